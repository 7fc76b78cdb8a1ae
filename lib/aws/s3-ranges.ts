/**
 * The S3 service's published address ranges, bundled so synth-time checks and network-ACL entries need no network.
 *
 * The data (lib/aws/s3-ranges-data.ts) is a snapshot of the `service: "S3"` entries of
 * https://ip-ranges.amazonaws.com/ip-ranges.json, regenerated with scripts/refresh-s3-ranges.ts. It covers every
 * region the snapshot lists (commercial, China and GovCloud); a region launched after the snapshot is unknown
 * (`undefined`), and callers must treat that as "cannot judge", not as "no ranges". See `S3_RANGES_SNAPSHOT` for
 * where the current data comes from.
 */
import { summarizeIpv4Cidrs } from './s3-ranges-cidr';
import { S3_IPV4_CIDRS, S3_IPV6_CIDRS, S3_RANGES_DATA_INFO } from './s3-ranges-data';

export { cidrContains, cidrsOverlap, parseCidr, parseIpv4Cidr, parseIpv6Cidr, summarizeIpv4Cidrs } from './s3-ranges-cidr';
export type { IpCidr, Ipv4Cidr } from './s3-ranges-cidr';

/** The pseudo-region of ip-ranges.json for prefixes not tied to a region. */
export const S3_GLOBAL_REGION = 'GLOBAL';

/**
 * Where the bundled snapshot comes from: the published file's `createDate` and `syncToken` (`unknown` when the
 * source did not carry them) and a description of the source.
 */
export const S3_RANGES_SNAPSHOT: { readonly createDate: string; readonly syncToken: string; readonly source: string } =
  Object.freeze({ ...S3_RANGES_DATA_INFO });

function lookup(table: Readonly<Record<string, readonly string[]>>, region: string): string[] | undefined {
  return Object.prototype.hasOwnProperty.call(table, region) ? [...table[region]] : undefined;
}

/**
 * The IPv4 CIDRs of S3 in `region` (e.g. `eu-west-1`), as published, sorted by address.
 * `GLOBAL` returns the prefixes not tied to a region.
 *
 * @returns a fresh array, or undefined when the snapshot does not know the region
 */
export function s3Ipv4Cidrs(region: string): string[] | undefined {
  return lookup(S3_IPV4_CIDRS, region);
}

/**
 * The IPv6 CIDRs of S3 in `region`, sorted by address.
 *
 * @returns a fresh array (empty when the region has IPv4 ranges only), or undefined when the snapshot does not
 * know the region
 */
export function s3Ipv6Cidrs(region: string): string[] | undefined {
  return lookup(S3_IPV6_CIDRS, region) ?? (lookup(S3_IPV4_CIDRS, region) ? [] : undefined);
}

/**
 * The fewest IPv4 CIDRs that cover exactly S3's IPv4 ranges in `region` (adjacent blocks merged): what network-ACL
 * entries should allow. The network-ACL updater computes the same list from the live file, so entries written at
 * synth time from this list and entries the updater writes agree.
 *
 * @returns undefined when the snapshot does not know the region
 */
export function s3NaclIpv4Cidrs(region: string): string[] | undefined {
  const cidrs = s3Ipv4Cidrs(region);
  return cidrs ? summarizeIpv4Cidrs(cidrs) : undefined;
}

/** The regions the snapshot has S3 ranges for, sorted, without the `GLOBAL` pseudo-region. */
export function knownS3Regions(): string[] {
  const regions = new Set([...Object.keys(S3_IPV4_CIDRS), ...Object.keys(S3_IPV6_CIDRS)]);
  regions.delete(S3_GLOBAL_REGION);
  return [...regions].sort();
}
