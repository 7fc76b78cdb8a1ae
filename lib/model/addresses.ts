/**
 * Address spaces that are never S3's: the private, shared and link-local IPv4 blocks. One list for every reader
 * (routes, security groups, `aws:SourceIp` conditions), so they agree on what "private" means.
 *
 * Internal: not exported from the package's index.
 */
import { cidrContains, parseIpv4Cidr } from './s3-ranges-cidr';

/** RFC 1918, RFC 6598 (shared address space) and RFC 3927 (link-local) blocks. */
export const PRIVATE_V4_BLOCKS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** The private block that wholly contains an IPv4 CIDR (or address), if any; undefined for text that is not IPv4. */
export function privateBlockOf(cidrOrAddress: string): string | undefined {
  const cidr = cidrOrAddress.includes('/') ? cidrOrAddress : `${cidrOrAddress}/32`;
  if (parseIpv4Cidr(cidr) === undefined) return undefined;
  return PRIVATE_V4_BLOCKS.find(p => cidrContains(p, cidr));
}

/** Whether an IPv4 CIDR lies wholly in private (non-S3) address space; false for text that is not a CIDR. */
export function isPrivateIpv4(cidr: string): boolean {
  return cidr.includes('/') && privateBlockOf(cidr) !== undefined;
}
