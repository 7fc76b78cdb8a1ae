import type { ResourceIndex } from './resources';
import { ModelResource, NetworkAclEntryNode, NetworkAclNode, unknown } from './types';
import { s3Ipv6Cidrs, s3NaclIpv4Cidrs } from '../aws/s3-ranges';

/**
 * Network-ACL entries written at deploy time rather than by CloudFormation, so that rules evaluating an ACL see them:
 * the custom resources of these types run a function that writes, in each ACL of its `Config`, outbound TCP 443 to and
 * inbound TCP 1024-65535 from every S3 CIDR of the region (IPv4, and IPv6 when its `Config` has `ipv6` ranges), in its
 * rule-number ranges (cdk-s3-private-access's
 * `keepNaclCidrsCurrent` and the NACL entries of environment-agnostic stacks; lib/network/nacl-cidr-updater.ts).
 */
const S3_NACL_WRITER_TYPES = new Set(['Custom::S3NaclCidrs']);

/** The parts of the writer's `Config` the model reads (NaclUpdaterConfig of lib/network). */
interface WriterConfig {
  readonly networkAclIds?: unknown;
  readonly region?: unknown;
  readonly egressRuleNumberStart?: unknown;
  readonly ingressRuleNumberStart?: unknown;
  readonly maxEntriesPerDirection?: unknown;
  readonly ipv6?: {
    readonly egressRuleNumberStart?: unknown;
    readonly ingressRuleNumberStart?: unknown;
    readonly maxEntriesPerDirection?: unknown;
  };
}

/**
 * Adds the entries each S3 NACL writer of the app will write to the ACLs it names. The CIDRs are the bundled
 * snapshot's for the region (the function downloads the published ranges at deploy time, the snapshot stands in for
 * them); when the region is unknown (an environment-agnostic stack), one entry per direction with an unknown CIDR
 * stands in, so the rules cannot judge rather than report a missing entry; likewise for IPv6. Writers whose CIDRs do not
 * fit their ranges, or with IPv6 ranges but no IPv6 CIDRs, write nothing in any family (their deployment fails), and so
 * add nothing.
 */
export function addDeployTimeNaclEntries(m: ResourceIndex, networkAcls: Map<string, NetworkAclNode>): void {
  for (const res of m.resources) {
    if (!S3_NACL_WRITER_TYPES.has(res.type)) continue;
    let config: WriterConfig;
    try {
      config = JSON.parse(m.values.sym(res.stack, res.props.Config));
    } catch {
      continue;
    }
    const ids = Array.isArray(config.networkAclIds) ? config.networkAclIds : [];
    const acls = ids.map((id) => networkAcls.get(/^\{\{(.+)\}\}$/.exec(String(id))?.[1] ?? ''))
      .filter((acl): acl is NetworkAclNode => acl !== undefined);
    const region = typeof config.region === 'string' && !config.region.startsWith('{{') ? config.region : res.stack.region;
    const max = Number(config.maxEntriesPerDirection);
    const cidrs = region ? s3NaclIpv4Cidrs(region) : undefined;
    if (cidrs !== undefined && cidrs.length > max) continue;
    const v6 = config.ipv6 && typeof config.ipv6 === 'object' ? config.ipv6 : undefined;
    const ipv6Cidrs = v6 && region ? s3Ipv6Cidrs(region) : undefined;
    if (v6 && ipv6Cidrs !== undefined && (ipv6Cidrs.length === 0 || ipv6Cidrs.length > Number(v6.maxEntriesPerDirection))) continue;
    for (const acl of acls) {
      acl.entries.push(
        ...entriesOf(res, cidrs, true, Number(config.egressRuleNumberStart), 443, 443),
        ...entriesOf(res, cidrs, false, Number(config.ingressRuleNumberStart), 1024, 65535),
      );
      if (v6) {
        acl.entries.push(
          ...entriesOf(res, ipv6Cidrs, true, Number(v6.egressRuleNumberStart), 443, 443, true),
          ...entriesOf(res, ipv6Cidrs, false, Number(v6.ingressRuleNumberStart), 1024, 65535, true),
        );
      }
    }
  }
}

/** The entries of one direction and family: `ipv6` ones carry `ipv6CidrBlock` and no `cidrBlock`, as CloudFormation's. */
function entriesOf(
  res: ModelResource, cidrs: string[] | undefined, egress: boolean, start: number, portFrom: number, portTo: number, ipv6 = false,
): NetworkAclEntryNode[] {
  const common = { res, egress, ruleAction: 'allow', protocol: '6', portFrom, portTo };
  const ruleNumber = (j: number) => (Number.isInteger(start) ? start + j : unknown(`the rule numbers of ${res.path}`));
  const block = (cidr: NetworkAclEntryNode['cidrBlock']) => (ipv6 ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr });
  if (cidrs === undefined) {
    return [{ ...common, ruleNumber: ruleNumber(0), ...block(unknown(`the S3 ${ipv6 ? 'IPv6 ' : ''}CIDRs that ${res.path} writes at deploy time`)) }];
  }
  return cidrs.map((cidr, j) => ({ ...common, ruleNumber: ruleNumber(j), ...block(cidr) }));
}
