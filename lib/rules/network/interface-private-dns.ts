import { listText } from '../../model/helpers';
import { callsEndpointNames, isS3Interface, privateDnsMode, privateS3Zone } from '../../model/interface-endpoints';
import type { Model } from '../../model/model';
import { s3EndpointsOf, workloadSubnets } from '../../model/s3-reach';
import { endpointOnlyDenials } from '../../model/s3-routes';
import { ifUsesS3, s3UseOf } from '../../model/s3-use';
import { EndpointNode, isUnknown, SubnetNode, VpcNode, WorkloadNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-InterfacePrivateDns: the only S3 endpoints of a VPC are interface endpoints without private DNS. S3's default
 * names then resolve to its public addresses, so a workload that calls them (every SDK does unless told otherwise)
 * sends its requests out of the VPC: through NAT or an internet gateway, or nowhere. A VPC with no S3 endpoint at all
 * is S3PA-NoEndpoint's case, one with a gateway endpoint S3PA-RouteNotAssociated's.
 */
export const interfacePrivateDns: Rule = {
  id: 'S3PA-InterfacePrivateDns',
  level: 'error',
  symptom: 'S3 calls time out from isolated subnets (or leave through NAT) although the VPC has an S3 interface endpoint.',
  description: 'A VPC whose only S3 endpoints are AWS::EC2::VPCEndpoint resources of service '
    + 'com.amazonaws.<region>.s3 and type Interface with PrivateDnsEnabled false or unset (CloudFormation\'s default), '
    + 'in which a workload that uses S3 runs. Only the endpoint-specific names (bucket.vpce-….s3.<region>.vpce.amazonaws.com) '
    + 'reach such an endpoint; s3.<region>.amazonaws.com resolves to public addresses.',
  fix: 'set PrivateDnsEnabled on the S3 interface endpoint (privateDnsEnabled: true), or add an S3 gateway endpoint '
    + 'for the VPC\'s own workloads (S3PrivateAccess), or point the SDK at the endpoint-specific name (AWS_ENDPOINT_URL_S3)',
  appliesWhen: 'A workload that uses S3 runs in a VPC whose only S3 endpoints are interface endpoints without private '
    + 'DNS. An error when its requests fail: its subnet has no route out of the VPC (timeout), or its requests leave '
    + 'through NAT to a bucket whose policy denies requests not through an endpoint (403). A warning when they still '
    + 'work through NAT or an internet gateway, leave through a transit gateway, peering or VPN, or the workload may '
    + 'not use S3.',
  guard: 'Workloads whose environment names an endpoint-specific S3 URL (AWS_ENDPOINT_URL_S3, a vpce.amazonaws.com '
    + 'name, the endpoint\'s DnsEntries) do not depend on private DNS and are not judged; a Route 53 private hosted '
    + 'zone for s3.<region>.amazonaws.com associated with the VPC answers the names instead; a VPC with an S3 gateway '
    + 'endpoint or with an interface endpoint with private DNS is not judged; a PrivateDnsEnabled that stays '
    + 'unresolved is a warning.',
  hops: ['dns'],
  check(m: Model, report: Reporter): void {
    for (const w of m.workloads) {
      const use = s3UseOf(m, w);
      if (use.level === 'no' || callsEndpointNames(m, w)) continue;
      const byVpc = new Map<VpcNode, SubnetNode[]>();
      for (const subnet of workloadSubnets(w).known) {
        if (isUnknown(subnet.vpc)) continue;
        byVpc.set(subnet.vpc, [...byVpc.get(subnet.vpc) ?? [], subnet]);
      }
      for (const [vpc, subnets] of byVpc) checkVpc(m, report, w, use.level === 'yes', vpc, subnets);
    }
  },
};

function checkVpc(m: Model, report: Reporter, w: WorkloadNode, definite: boolean, vpc: VpcNode, subnets: SubnetNode[]): void {
  const eps = s3EndpointsOf(vpc);
  if (eps.gateway.length > 0 || eps.unsure.length > 0 || eps.interface.length === 0) return;
  const modes = eps.interface.filter(isS3Interface).map(ep => ({ ep, mode: privateDnsMode(m, ep) }));
  if (modes.some(x => x.mode !== 'off' && !isUnknown(x.mode))) return;
  // a private hosted zone for S3's names, associated with the VPC, points them at the endpoint by hand
  if (privateS3Zone(m, vpc)) return;
  const names = listText(eps.interface.map(ep => ep.res.path));
  const at = eps.interface[0].res;
  const base = { workloads: [w.res.key], vpcs: [vpc.res.key] };
  const unresolved = modes.filter(x => isUnknown(x.mode));
  if (unresolved.length > 0) {
    report.cannotJudge(at, `whether S3 interface endpoint ${listText(unresolved.map(x => x.ep.res.path))} of VPC `
      + `${vpc.res.path} answers S3's default names for ${w.res.path}: ${listText(unresolved.map(x => (x.mode as any).what))}`,
    { subjects: { ...base, subnets: subnets.map(s => s.res.key) } });
    return;
  }
  const where = (group: SubnetNode[]) => `${w.res.path} runs in ${group.length > 1 ? 'subnets' : 'subnet'} `
    + `${listText(group.map(s => s.res.path))} of VPC ${vpc.res.path}, whose only S3 endpoint ${names} has no private `
    + 'DNS: S3\'s default names resolve to public addresses';
  const maybe = ifUsesS3(m, [w]);
  const isolated = subnets.filter(s => s.wayOut === 'none');
  const out = subnets.filter(s => s.wayOut === 'nat' || s.wayOut === 'internet-gateway');
  const transit = subnets.filter(s => s.wayOut === 'transit');
  const unknownWay = subnets.filter(s => s.wayOut === 'unknown');
  if (isolated.length > 0) {
    report.failIf(definite, at, `${where(isolated)}, and the subnet has no route out of the VPC: its S3 calls time out${maybe}`,
      { subjects: { ...base, subnets: isolated.map(s => s.res.key) } });
  }
  if (out.length > 0) natPath(m, report, w, definite, out, where(out), eps.interface);
  if (transit.length > 0) {
    report.warn(at, `${where(transit)}, so its S3 traffic leaves through a transit gateway, peering or VPN and whether it `
      + 'reaches S3 depends on the other network', { subjects: { ...base, subnets: transit.map(s => s.res.key) } });
  }
  if (unknownWay.length > 0) {
    report.cannotJudge(at, `${where(unknownWay)}; where the subnet sends that traffic is not resolved`,
      { subjects: { ...base, subnets: unknownWay.map(s => s.res.key) } });
  }
}

/** A path through NAT or an internet gateway: 403 when a bucket the workload uses requires an endpoint, else a warning. */
function natPath(m: Model, report: Reporter, w: WorkloadNode, definite: boolean, subnets: SubnetNode[], where: string, eps: EndpointNode[]): void {
  const at = eps[0].res;
  const vpc = subnets[0].vpc as VpcNode;
  const subjects = { workloads: [w.res.key], vpcs: [vpc.res.key], subnets: subnets.map(s => s.res.key) };
  const denials = endpointOnlyDenials(m, w);
  const denied = denials.filter(d => d.kind === 'deny');
  if (denied.length > 0) {
    const buckets = [...new Set(denied.map(d => d.bucket.node?.res.path ?? d.bucket.name))];
    report.failIf(definite, at, `${where}, so its S3 traffic leaves through NAT or an internet gateway, without aws:SourceVpce, `
      + `and the bucket policy of ${listText(buckets)} denies ${listText([...new Set(denied.map(d => d.action))])} from outside `
      + `the endpoint: those requests get 403${ifUsesS3(m, [w])}`,
    { subjects: { ...subjects, buckets: [...new Set(denied.map(d => d.bucket.key))] } });
  } else if (denials.length > 0) {
    report.cannotJudge(at, `${where}, so its S3 traffic leaves through NAT or an internet gateway; whether the bucket policy of `
      + `${listText([...new Set(denials.map(d => d.bucket.node?.res.path ?? d.bucket.name))])} denies requests from outside the `
      + 'endpoint depends on values not resolved at synth time', { subjects });
  } else if (definite) {
    report.warn(at, `${where}, so its S3 traffic works, but leaves through NAT or an internet gateway instead of the endpoint`,
      { subjects });
  }
}
