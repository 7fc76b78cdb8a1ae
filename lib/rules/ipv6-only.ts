import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isGateway, isS3Endpoint, listText } from '../model/s3-reach';
import { anyUsesS3, ifUsesS3, s3UseOf } from '../model/s3-use';
import { EndpointNode, isUnknown, SubnetNode } from '../model/types';

/**
 * S3PA-Ipv6Only: IPv6-only subnets routed through an S3 gateway endpoint that carries IPv4 only. Gateway endpoints
 * do support IPv6 (`IpAddressType` dualstack or ipv6), so those are compliant.
 */
export const ipv6Only: Rule = {
  id: 'S3PA-Ipv6Only',
  level: 'error',
  symptom: 'AAAA traffic from IPv6-only subnets bypasses the S3 endpoint (or has no route).',
  description: 'An IPv6-only subnet (Ipv6Native true) whose route table is associated with an S3 gateway endpoint '
    + 'whose IpAddressType is ipv4 or unset (ipv4 is the default): the endpoint adds no IPv6 prefix-list route, so the '
    + 'subnet\'s S3 traffic does not use it. Endpoints with IpAddressType dualstack or ipv6 serve IPv6.',
  fix: 'set the endpoint\'s IpAddressType to dualstack (or ipv6)',
  appliesWhen: 'An S3 gateway endpoint with IpAddressType ipv4 (the default) serves IPv6-only subnets: an error when a '
    + 'workload that uses S3 runs there and the subnet has no IPv6 way out (its requests have no route); a warning '
    + 'when an egress-only internet gateway still carries them, or no workload that uses S3 runs there.',
  guard: 'Dualstack and ipv6 endpoints serve IPv6; subnets with IPv4 are not judged; workloads that do not use S3 do '
    + 'not make the finding an error.',
  hops: ['endpoint'],
  check(m: Model, report: Reporter): void {
    for (const ep of m.endpoints) {
      if (!isGateway(ep) || isS3Endpoint(ep) !== true) continue;
      const v6only = ipv6OnlySubnets(ep);
      if (v6only.length === 0) continue;
      const type = ep.ipAddressType;
      const names = listText(v6only.map(s => s.res.path));
      if (isUnknown(type)) {
        report.cannotJudge(ep.res, `whether S3 gateway endpoint ${ep.res.path} serves the IPv6-only subnets ${names}: `
          + `IpAddressType is ${type.what}`, { subjects: { endpoints: [ep.res.key] } });
      } else if (type === undefined || type === 'ipv4') {
        const keys = new Set(v6only.map(s => s.res.key));
        const users = m.workloads.filter(w => s3UseOf(m, w).level !== 'no' && w.subnets.some(s => !isUnknown(s) && keys.has(s.res.key)));
        const stuck = v6only.filter(s => s.wayOut === 'none');
        const definite = stuck.length > 0 && anyUsesS3(m, users);
        report.failIf(definite, ep.res, `S3 gateway endpoint ${ep.res.path} has IpAddressType ${type ?? 'unset (ipv4)'} but its `
          + `route tables serve the IPv6-only ${v6only.length > 1 ? 'subnets' : 'subnet'} ${names}`
          + (definite ? `: S3 requests of ${listText(users.map(w => w.res.path))} there have no route`
            : users.length > 0 ? `: S3 requests of ${listText(users.map(w => w.res.path))} bypass the endpoint${ifUsesS3(m, users)}` : ''),
        { subjects: { endpoints: [ep.res.key], subnets: [...keys], workloads: users.map(w => w.res.key) } });
      }
    }
  },
};

function ipv6OnlySubnets(ep: EndpointNode): SubnetNode[] {
  const out: SubnetNode[] = [];
  for (const rt of ep.routeTables) {
    if (isUnknown(rt)) continue;
    for (const subnet of rt.subnets) if (subnet.ipv6Native && !out.includes(subnet)) out.push(subnet);
  }
  return out;
}
