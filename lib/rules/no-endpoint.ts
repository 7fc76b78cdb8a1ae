import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listText, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { endpointOnlyDenials } from '../model/s3-routes';
import { ifUsesS3, S3Use, s3UseOf } from '../model/s3-use';
import { isUnknown, RouteTableNode, SubnetNode, VpcNode, WorkloadNode } from '../model/types';

/**
 * S3PA-NoEndpoint: a workload that uses S3 in a subnet with no way out of the VPC, in a VPC with no S3 endpoint.
 * Subnets whose S3 traffic leaves through a transit gateway, peering or VPN are S3PA-Transitive's case.
 */
export const noEndpoint: Rule = {
  id: 'S3PA-NoEndpoint',
  level: 'error',
  symptom: 'S3 calls time out from isolated subnets.',
  description: 'A workload that uses S3 runs in a VPC with no S3 gateway or interface endpoint, and its requests fail: '
    + 'its subnet\'s route table has no route to public address space (no internet or NAT gateway, no NAT instance, no '
    + 'transit gateway, peering or VPN route), or its requests leave through NAT to a bucket whose policy denies '
    + 'requests that do not come through an endpoint.',
  fix: 'add `S3PrivateAccess` (an S3 gateway endpoint associated with the workload subnets\' route tables)',
  appliesWhen: 'A workload that uses S3 (granted on S3, a bucket in its environment, ECR images, an Amazon Linux or '
    + 'SSM-managed instance) runs in a VPC without an S3 endpoint, in a subnet with no route out (its requests time '
    + 'out), or with a NAT path to a bucket that requires an endpoint (403): an error. A warning when the workload may '
    + 'use S3 but the app does not show it.',
  guard: 'Workloads that do not use S3 are not judged; a route to public space through any target (NAT gateway or '
    + 'instance, internet gateway, transit gateway, an appliance) counts as a way out.',
  hops: ['s3-route'],
  check(m: Model, report: Reporter): void {
    for (const w of m.workloads) {
      const use = s3UseOf(m, w);
      if (use.level === 'no') continue;
      const { known, unresolved } = workloadSubnets(w);
      const isolatedByVpc = new Map<VpcNode, SubnetNode[]>();
      const natByVpc = new Map<VpcNode, SubnetNode[]>();
      for (const subnet of known) {
        if (isUnknown(subnet.vpc)) continue;
        const eps = s3EndpointsOf(subnet.vpc);
        if (eps.gateway.length > 0 || eps.interface.length > 0) continue;
        if (subnet.hasInternetRoute) {
          if (eps.unsure.length === 0) natByVpc.set(subnet.vpc, [...natByVpc.get(subnet.vpc) ?? [], subnet]);
          continue;
        }
        if (subnet.wayOut !== 'none' && !isUnknown(subnet.routeTable)) continue;
        const subjects = { workloads: [w.res.key], subnets: [subnet.res.key], vpcs: [subnet.vpc.res.key] };
        if (eps.unsure.length > 0) {
          report.cannotJudge(w.res, `whether ${listText(eps.unsure.map(ep => ep.res.path))} of VPC ${subnet.vpc.res.path} `
            + `is an S3 endpoint for ${w.res.path}`, { subjects });
          continue;
        }
        const rt = subnet.routeTable;
        if (isUnknown(rt)) {
          report.cannotJudge(w.res, `whether subnet ${subnet.res.path} of ${w.res.path} has a route out of VPC `
            + `${subnet.vpc.res.path}, which has no S3 endpoint: it uses ${rt.what}`, { subjects });
          continue;
        }
        isolatedByVpc.set(subnet.vpc, [...isolatedByVpc.get(subnet.vpc) ?? [], subnet]);
      }
      for (const [vpc, subnets] of isolatedByVpc) fail(m, report, w, use, vpc, subnets);
      for (const [vpc, subnets] of natByVpc) endpointRequired(m, report, w, vpc, subnets);
      if (unresolved.length > 0) {
        report.cannotJudge(w.res, `whether ${listText(unresolved.map(u => u.what))} of ${w.res.path} `
          + 'reach S3 through an endpoint or the internet', { subjects: { workloads: [w.res.key] } });
      }
    }
  },
};

/** A workload that reaches S3 through NAT (no endpoint in its VPC) while a bucket it uses requires the endpoint. */
function endpointRequired(m: Model, report: Reporter, w: WorkloadNode, vpc: VpcNode, subnets: SubnetNode[]): void {
  const denials = endpointOnlyDenials(m, w);
  if (denials.length === 0) return;
  const denied = denials.filter(d => d.kind === 'deny');
  const buckets = [...new Set((denied.length > 0 ? denied : denials).map(d => d.bucket.node?.res.path ?? d.bucket.name))];
  const where = `${w.res.path} reaches S3 from ${subnets.length > 1 ? 'subnets' : 'subnet'} ${listText(subnets.map(s => s.res.path))} `
    + `through NAT or an internet gateway, since VPC ${vpc.res.path} has no S3 endpoint`;
  const subjects = {
    workloads: [w.res.key],
    vpcs: [vpc.res.key],
    subnets: subnets.map(s => s.res.key),
    buckets: [...new Set((denied.length > 0 ? denied : denials).map(d => d.bucket.key))],
  };
  if (denied.length === 0) {
    report.cannotJudge(w.res, `${where}; whether the bucket policy of ${listText(buckets)} denies requests not through an `
      + 'endpoint depends on values not resolved at synth time', { subjects });
    return;
  }
  report.fail(w.res, `${where}, and the bucket policy of ${listText(buckets)} denies `
    + `${listText([...new Set(denied.map(d => d.action))])} from outside the endpoint: those requests get 403`, { subjects });
}

function fail(m: Model, report: Reporter, w: WorkloadNode, use: S3Use, vpc: VpcNode, subnets: SubnetNode[]): void {
  const where = subnets.map(s => `${s.res.path} (route table ${(s.routeTable as RouteTableNode).res.path})`);
  report.failIf(use.level === 'yes', w.res, `${w.res.path} runs in ${subnets.length > 1 ? 'subnets' : 'subnet'} ${listText(where)} with no `
    + `route out of the VPC, and VPC ${vpc.res.path} has no S3 gateway or interface endpoint: its S3 calls time out`
    + ifUsesS3(m, [w]), {
    subjects: {
      workloads: [w.res.key],
      vpcs: [vpc.res.key],
      subnets: subnets.map(s => s.res.key),
      routeTables: subnets.map(s => (s.routeTable as RouteTableNode).res.key),
    },
  });
}
