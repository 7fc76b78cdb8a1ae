import type { Reporter, Rule } from './rule';
import { isPrivateIpv4 } from '../model/addresses';
import type { Model } from '../model/model';
import { cidrsOverlap, parseIpv4Cidr, s3Ipv4Cidrs } from '../model/s3-ranges';
import { listText, routeTargetText, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { anyUsesS3, ifUsesS3, s3UseOf } from '../model/s3-use';
import { EndpointNode, isUnknown, RouteNode, RouteTableNode, SubnetNode, VpcNode, WorkloadNode } from '../model/types';

const TRANSIT_KINDS = new Set(['transit-gateway', 'vpc-peering', 'vpn-gateway']);

/**
 * S3PA-Transitive: a workload VPC without an S3 endpoint whose S3 traffic leaves through a transit gateway, peering
 * or VPN, while the app's S3 gateway endpoint sits in another VPC. Gateway endpoints serve only their own VPC.
 */
export const transitive: Rule = {
  id: 'S3PA-Transitive',
  level: 'error',
  symptom: 'S3 calls time out, or leave through the hub\'s NAT instead of an endpoint.',
  description: 'A workload subnet in a VPC with no S3 endpoint, whose most specific route for S3 traffic (the default '
    + 'route, or a route overlapping S3\'s ranges of the region) points at a transit gateway, a peering connection or a '
    + 'VPN gateway, while another VPC of the app holds an S3 gateway endpoint: gateway endpoints do not serve traffic '
    + 'from other VPCs. A warning when that other VPC also has an S3 interface endpoint (reachable if the spoke resolves '
    + 'S3 names to it), and for any route to on-premises through a VPN gateway.',
  fix: 'add a gateway endpoint in each VPC (`S3PrivateAccess` per VPC), or an S3 interface endpoint that the spoke '
    + 'VPCs resolve to',
  appliesWhen: 'A workload that uses S3 runs in a VPC without an S3 endpoint, its S3 traffic leaves through a transit '
    + 'gateway, peering or VPN, and another VPC of the app holds an S3 gateway endpoint that the design evidently relies '
    + 'on: gateway endpoints serve only their own VPC (error). Warnings where the hub\'s interface endpoint may serve, '
    + 'for on-premises routes, and for workloads that may use S3.',
  guard: 'An app with no S3 endpoint in any VPC is not judged (the other network decides, and nothing shows an '
    + 'endpoint design); workloads that do not use S3 are not judged.',
  hops: ['s3-route'],
  check(m: Model, report: Reporter): void {
    const hubs = hubEndpoints(m);
    // with no S3 endpoint anywhere in the app, the traffic's fate is the other network's business
    if (hubs.size === 0) return;
    for (const w of m.workloads) {
      if (s3UseOf(m, w).level === 'no') continue;
      for (const subnet of workloadSubnets(w).known) {
        if (isUnknown(subnet.vpc) || isUnknown(subnet.routeTable)) continue;
        const own = s3EndpointsOf(subnet.vpc);
        if (own.gateway.length + own.interface.length + own.unsure.length > 0) continue;
        checkSubnet(m, report, w, subnet, subnet.vpc, subnet.routeTable, hubs);
      }
    }
  },
};

interface Hubs {
  readonly gateway: EndpointNode[];
  readonly interface: EndpointNode[];
}

function hubEndpoints(m: Model): Map<VpcNode, Hubs> {
  const out = new Map<VpcNode, Hubs>();
  for (const vpc of m.vpcs) {
    const eps = s3EndpointsOf(vpc);
    if (eps.gateway.length > 0 || eps.interface.length > 0) out.set(vpc, { gateway: eps.gateway, interface: eps.interface });
  }
  return out;
}

function checkSubnet(
  m: Model, report: Reporter, w: WorkloadNode, subnet: SubnetNode, vpc: VpcNode, rt: RouteTableNode, hubs: Map<VpcNode, Hubs>,
): void {
  const workload = w.res;
  const subjects = { workloads: [workload.key], subnets: [subnet.res.key], routeTables: [rt.res.key], vpcs: [vpc.res.key] };
  const region = workload.stack.region;
  const ranges = region === undefined ? undefined : s3Ipv4Cidrs(region);
  let best: { route: RouteNode; prefix: number } | undefined;
  for (const route of rt.routes) {
    const dest = route.destinationCidrBlock;
    if (dest === undefined) continue;
    if (isUnknown(dest)) {
      if (TRANSIT_KINDS.has(route.targetKind)) {
        report.cannotJudge(workload, `whether route ${route.res.path} of ${rt.res.path} carries S3 traffic: ${dest.what}`, { subjects });
      }
      continue;
    }
    const parsed = parseIpv4Cidr(dest);
    if (!parsed || isPrivateIpv4(dest)) continue;
    if (parsed.prefixLength > 0) {
      if (ranges === undefined) {
        if (TRANSIT_KINDS.has(route.targetKind)) {
          report.cannotJudge(workload, `whether ${dest} of route ${route.res.path} overlaps S3's ranges: `
            + (region === undefined ? 'the region is unknown (environment-agnostic stack)' : `no S3 ranges known for ${region}`), { subjects });
        }
        continue;
      }
      if (!ranges.some(s3 => cidrsOverlap(s3, dest))) continue;
    }
    if (!best || parsed.prefixLength > best.prefix) best = { route, prefix: parsed.prefixLength };
  }
  if (!best || !TRANSIT_KINDS.has(best.route.targetKind)) return;

  const route = best.route;
  const others = [...hubs.entries()].filter(([hub]) => hub !== vpc);
  const gateways = others.flatMap(([, h]) => h.gateway);
  const interfaces = others.flatMap(([, h]) => h.interface);
  const where = `${workload.path} runs in subnet ${subnet.res.path} of VPC ${vpc.res.path}, which has no S3 endpoint; `
    + `its S3 traffic follows route ${route.res.path} (${describeDest(route)}) to ${routeTargetText(route)}`;
  if (route.targetKind === 'vpn-gateway') {
    report.warn(workload, `${where}, on-premises: S3 is reached only if the network there forwards it to S3 `
      + '(through an S3 interface endpoint or the internet)', { subjects });
  } else if (gateways.length > 0 && interfaces.length === 0) {
    report.failIf(anyUsesS3(m, [w]), workload, `${where}, but S3 gateway endpoint ${listText(gateways.map(ep => ep.res.path))} of another `
      + `VPC does not serve traffic from other VPCs${ifUsesS3(m, [w])}`, { subjects });
  } else if (gateways.length + interfaces.length > 0) {
    report.warn(workload, `${where}; it reaches S3 interface endpoint ${listText(interfaces.map(ep => ep.res.path))} `
      + 'of another VPC only if the spoke resolves S3 names to it (endpoint-specific names or a Route 53 Resolver rule)', { subjects });
  }
}

function describeDest(route: RouteNode): string {
  return typeof route.destinationCidrBlock === 'string' ? route.destinationCidrBlock : 'unknown destination';
}
