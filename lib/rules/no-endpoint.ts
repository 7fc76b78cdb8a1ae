import type { Reporter, Rule } from './rule';
import { isPrivateIpv4 } from '../model/addresses';
import type { Model } from '../model/model';
import { listText, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { isUnknown, RouteNode, RouteTableNode, SubnetNode, VpcNode, WorkloadNode } from '../model/types';

/**
 * S3PA-NoEndpoint: a workload in a subnet with no way out of the VPC, in a VPC with no S3 endpoint, in an app that
 * uses S3. Subnets whose S3 traffic leaves through a transit gateway, peering or VPN are S3PA-Transitive's case.
 */
export const noEndpoint: Rule = {
  id: 'S3PA-NoEndpoint',
  level: 'error',
  symptom: 'S3 calls time out from isolated subnets.',
  description: 'A workload runs in a subnet whose route table has no route to the internet (no internet or NAT '
    + 'gateway) and no other way out of the VPC, the app uses S3 (it defines a bucket, or the workload\'s roles are '
    + 'granted on S3 ARNs), and the subnet\'s VPC has no S3 gateway or interface endpoint.',
  fix: 'add `S3PrivateAccess` (an S3 gateway endpoint associated with the workload subnets\' route tables)',
  check(m: Model, report: Reporter): void {
    const appHasBucket = m.buckets.length > 0;
    for (const w of m.workloads) {
      if (!appHasBucket && !grantedOnS3(m, w)) continue;
      const { known, unresolved } = workloadSubnets(w);
      const isolatedByVpc = new Map<VpcNode, SubnetNode[]>();
      for (const subnet of known) {
        if (isUnknown(subnet.vpc) || subnet.hasInternetRoute) continue;
        const eps = s3EndpointsOf(subnet.vpc);
        if (eps.gateway.length > 0 || eps.interface.length > 0) continue;
        if (eps.unsure.length > 0) {
          report.cannotJudge(w.res, `whether ${listText(eps.unsure.map(ep => ep.res.path))} of VPC ${subnet.vpc.res.path} `
            + `is an S3 endpoint for ${w.res.path}`);
          continue;
        }
        const rt = subnet.routeTable;
        if (isUnknown(rt)) {
          report.cannotJudge(w.res, `whether subnet ${subnet.res.path} of ${w.res.path} has a route out of VPC `
            + `${subnet.vpc.res.path}, which has no S3 endpoint: it uses ${rt.what}`);
          continue;
        }
        if (otherWayOut(rt)) continue;
        isolatedByVpc.set(subnet.vpc, [...isolatedByVpc.get(subnet.vpc) ?? [], subnet]);
      }
      for (const [vpc, subnets] of isolatedByVpc) fail(report, w, vpc, subnets);
      if (unresolved.length > 0) {
        report.cannotJudge(w.res, `whether ${listText(unresolved.map(u => u.what))} of ${w.res.path} `
          + 'reach S3 through an endpoint or the internet');
      }
    }
  },
};

function fail(report: Reporter, w: WorkloadNode, vpc: VpcNode, subnets: SubnetNode[]): void {
  const where = subnets.map(s => `${s.res.path} (route table ${(s.routeTable as RouteTableNode).res.path})`);
  report.fail(w.res, `${w.res.path} runs in ${subnets.length > 1 ? 'subnets' : 'subnet'} ${listText(where)} with no `
    + `route to the internet, and VPC ${vpc.res.path} has no S3 gateway or interface endpoint: its S3 calls time out`);
}

/**
 * A route that may carry S3 traffic out of the VPC other than through an internet or NAT gateway (a transit
 * gateway, peering, VPN, appliance or unknown target, to a destination that is not private address space).
 */
function otherWayOut(rt: RouteTableNode): boolean {
  return rt.routes.some((r: RouteNode) => {
    if (r.destinationPrefixListId !== undefined) return true;
    const dest = r.destinationCidrBlock;
    if (dest === undefined) return false;
    return isUnknown(dest) || !isPrivateIpv4(dest);
  });
}

/** Whether one of the workload's roles has a policy that names an S3 ARN. */
function grantedOnS3(m: Model, w: WorkloadNode): boolean {
  return [...w.roles, ...w.executionRoles].some(role => role.policies.some(p =>
    JSON.stringify(m.symDoc(p.res, p.document) ?? '').includes(':s3:::')));
}
