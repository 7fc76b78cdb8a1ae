import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isGateway, isS3Endpoint, listText } from '../model/s3-reach';
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
  check(m: Model, report: Reporter): void {
    for (const ep of m.endpoints) {
      if (!isGateway(ep) || isS3Endpoint(ep) !== true) continue;
      const v6only = ipv6OnlySubnets(ep);
      if (v6only.length === 0) continue;
      const type = ep.ipAddressType;
      const names = listText(v6only.map(s => s.res.path));
      if (isUnknown(type)) {
        report.cannotJudge(ep.res, `whether S3 gateway endpoint ${ep.res.path} serves the IPv6-only subnets ${names}: `
          + `IpAddressType is ${type.what}`);
      } else if (type === undefined || type === 'ipv4') {
        report.fail(ep.res, `S3 gateway endpoint ${ep.res.path} has IpAddressType ${type ?? 'unset (ipv4)'} but its `
          + `route tables serve the IPv6-only ${v6only.length > 1 ? 'subnets' : 'subnet'} ${names}`);
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
