import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { parseIpv4Cidr } from '../model/s3-ranges';
import { formatIpv4Cidr } from '../model/s3-ranges-cidr';
import { listText, vpcsInUse } from '../model/s3-reach';
import { isUnknown, VpcNode } from '../model/types';

/** The Amazon resolver's link-local address, reachable from every VPC. */
const AMAZON_RESOLVER_LINK_LOCAL = '169.254.169.253';

/**
 * S3PA-CustomDns: a DHCP options set with custom name servers on a VPC that matters for S3 private access.
 */
export const customDns: Rule = {
  id: 'S3PA-CustomDns',
  level: 'warning',
  symptom: 'S3 names resolve elsewhere (to on-premises answers, or not to the endpoint\'s addresses).',
  description: 'An AWS::EC2::DHCPOptions associated with a VPC (through AWS::EC2::VPCDHCPOptionsAssociation) lists '
    + 'DomainNameServers other than AmazonProvidedDNS (the Amazon resolver\'s addresses, 169.254.169.253 and the VPC '
    + 'base address plus two, count as Amazon). Those servers answer for S3 names unless they forward to the Amazon '
    + 'resolver. Only VPCs that hold an S3 endpoint or a workload are judged.',
  fix: 'forward to the Amazon resolver: have the custom servers forward amazonaws.com (or all unknown zones) to the '
    + 'VPC resolver, or use AmazonProvidedDNS with Route 53 Resolver rules for the private zones',
  appliesWhen: 'A VPC that holds an S3 endpoint or a workload that uses S3 has a DHCP options set with custom name '
    + 'servers: whether they send S3 names to the Amazon resolver cannot be told from the template (always a warning).',
  guard: 'The Amazon resolver\'s own addresses (AmazonProvidedDNS, 169.254.169.253, the VPC base plus two) are not '
    + 'custom; VPCs unrelated to S3 access are not judged.',
  hops: ['dns'],
  check(m: Model, report: Reporter): void {
    for (const { vpc } of vpcsInUse(m).values()) {
      const options = vpc.dhcpOptions;
      if (!options || options.type !== 'AWS::EC2::DHCPOptions') continue;
      const raw = options.props.DomainNameServers;
      if (raw === undefined) continue;
      if (!Array.isArray(raw)) {
        report.cannotJudge(options, `the DomainNameServers of ${options.path}, used by VPC ${vpc.res.path}: ${JSON.stringify(raw)}`, { subjects: { vpcs: [vpc.res.key] } });
        continue;
      }
      const amazon = amazonResolvers(m, vpc);
      const custom: string[] = [];
      for (const value of raw) {
        const server = m.str(options, value);
        if (isUnknown(server)) report.cannotJudge(options, `a DomainNameServers entry of ${options.path}, used by VPC ${vpc.res.path}: ${server.what}`, { subjects: { vpcs: [vpc.res.key] } });
        else if (!amazon.has(server)) custom.push(server);
      }
      if (custom.length === 0) continue;
      report.fail(options, `DHCP options ${options.path}, associated with VPC ${vpc.res.path}, sets custom `
        + `DomainNameServers ${listText(custom)}: S3 names resolve there, not at the Amazon resolver`, { subjects: { vpcs: [vpc.res.key] } });
    }
  },
};

/** `AmazonProvidedDNS`, the link-local resolver, and the VPC's base+2 address when its CIDR is a literal. */
function amazonResolvers(m: Model, vpc: VpcNode): Set<string> {
  const out = new Set(['AmazonProvidedDNS', AMAZON_RESOLVER_LINK_LOCAL]);
  const cidr = vpc.res.props.CidrBlock === undefined ? undefined : m.str(vpc.res, vpc.res.props.CidrBlock);
  const parsed = typeof cidr === 'string' ? parseIpv4Cidr(cidr) : undefined;
  if (parsed) out.add(formatIpv4Cidr(parsed.network + 2, 32).replace('/32', ''));
  return out;
}
