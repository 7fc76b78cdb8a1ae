import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isGateway, isS3Endpoint, listText, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { endpointOnlyDenials } from '../model/s3-routes';
import { ifUsesS3, S3Use, s3UseOf } from '../model/s3-use';
import { isUnknown, SubnetNode, WorkloadNode } from '../model/types';

/**
 * S3PA-RouteNotAssociated: a workload's subnet routes through a table that no S3 gateway endpoint of its VPC lists.
 * A VPC without any S3 gateway endpoint is left to S3PA-NoEndpoint, so one fault is reported once.
 */
export const routeNotAssociated: Rule = {
  id: 'S3PA-RouteNotAssociated',
  level: 'error',
  symptom: 'S3 calls time out (no NAT), or silently take the NAT path and get 403 from endpoint-only bucket policies.',
  description: 'A workload subnet\'s route table (through its AWS::EC2::SubnetRouteTableAssociation) is missing from '
    + 'the RouteTableIds of every S3 gateway endpoint of its VPC, so the subnet has no route to the S3 prefix list. '
    + 'Judged only in VPCs that have an S3 gateway endpoint (a VPC with none is S3PA-NoEndpoint\'s case); a subnet '
    + 'without an association uses the VPC\'s main route table, which cannot be judged from the template.',
  fix: 'associate the route table with the S3 gateway endpoint: include the subnet in the `subnets` prop of '
    + 'S3PrivateAccess (or add the table to the endpoint\'s RouteTableIds)',
  appliesWhen: 'A workload that uses S3 runs in a subnet of a VPC with an S3 gateway endpoint, and the subnet\'s route '
    + 'table is not associated with it. An error when the requests fail: the subnet has no other way out (timeout), or '
    + 'a bucket the workload is granted on denies requests that do not come through the endpoint (403 on the NAT '
    + 'path). A warning when the requests still work through NAT (a cost and privacy note; nothing for an internet '
    + 'gateway, which costs nothing), '
    + 'leave through a transit gateway, peering or VPN, or the workload may not use S3.',
  guard: 'Workloads that do not use S3 (no S3 grant, no bucket in the environment, no ECR image) are not judged; a '
    + 'subnet with a NAT gateway, NAT instance or internet gateway still reaches S3, so it is an error only when an '
    + 'endpoint-only bucket policy turns that path into 403.',
  hops: ['route-table'],
  check(m: Model, report: Reporter): void {
    const appHasS3Gateway = m.endpoints.some(ep => isGateway(ep) && isS3Endpoint(ep) === true);
    for (const w of m.workloads) {
      const use = s3UseOf(m, w);
      if (use.level === 'no') continue;
      const { known, unresolved } = workloadSubnets(w);
      for (const subnet of known) checkSubnet(m, report, w, use, subnet);
      if (unresolved.length > 0 && appHasS3Gateway) {
        report.cannotJudge(w.res, `whether the route tables of ${listText(unresolved.map(u => u.what))} used by `
          + `${w.res.path} are associated with an S3 gateway endpoint`, { subjects: { workloads: [w.res.key] } });
      }
    }
  },
};

function checkSubnet(m: Model, report: Reporter, w: WorkloadNode, use: S3Use, subnet: SubnetNode): void {
  if (isUnknown(subnet.vpc)) return;
  const gateways = s3EndpointsOf(subnet.vpc).gateway;
  if (gateways.length === 0) return;
  const names = listText(gateways.map(ep => ep.res.path));
  const rt = subnet.routeTable;
  const subjects = {
    workloads: [w.res.key],
    subnets: [subnet.res.key],
    ...(isUnknown(rt) ? {} : { routeTables: [rt.res.key] }),
  };
  if (isUnknown(rt)) {
    report.cannotJudge(w.res, `whether subnet ${subnet.res.path} of ${w.res.path} routes to S3 gateway `
      + `endpoint ${names}: it uses ${rt.what}`, { subjects });
    return;
  }
  if (rt.gatewayEndpoints.some(ep => gateways.includes(ep))) return;
  const unsure = gateways.filter(ep => ep.routeTables.some(isUnknown));
  if (unsure.length > 0) {
    const ids = unsure.flatMap(ep => ep.routeTables.filter(isUnknown).map(u => u.what));
    report.cannotJudge(w.res, `whether route table ${rt.res.path} of subnet ${subnet.res.path} is among `
      + `${listText(ids)} named by S3 gateway endpoint ${listText(unsure.map(ep => ep.res.path))}`, { subjects });
    return;
  }
  const where = `${w.res.path} runs in subnet ${subnet.res.path}, whose route table ${rt.res.path} is not in the `
    + `RouteTableIds of S3 gateway endpoint ${names}`;
  const maybe = ifUsesS3(m, [w]);
  const definite = use.level === 'yes';
  switch (subnet.wayOut) {
    case 'none':
      report.failIf(definite, w.res, `${where}: its S3 traffic has no route and times out${maybe}`, { subjects });
      return;
    case 'internet-gateway':
    case 'nat': {
      const path = subnet.wayOut === 'nat' ? 'NAT' : 'internet gateway';
      const denials = endpointOnlyDenials(m, w);
      const denied = denials.filter(d => d.kind === 'deny');
      if (denied.length > 0) {
        const buckets = [...new Set(denied.map(d => d.bucket.node?.res.path ?? d.bucket.name))];
        report.failIf(definite, w.res, `${where}: its S3 traffic leaves through the ${path}, without aws:SourceVpce, and `
          + `the bucket policy of ${listText(buckets)} denies ${listText([...new Set(denied.map(d => d.action))])} from `
          + `outside the endpoint: those requests get 403${maybe}`,
        { subjects: { ...subjects, buckets: [...new Set(denied.map(d => d.bucket.key))] } });
      } else if (denials.length > 0) {
        report.cannotJudge(w.res, `${where}: its S3 traffic leaves through the ${path}; whether the bucket policy of `
          + `${listText([...new Set(denials.map(d => d.bucket.node?.res.path ?? d.bucket.name))])} denies requests from `
          + 'outside the endpoint depends on values not resolved at synth time', { subjects });
      } else if (definite && subnet.wayOut === 'nat') {
        // a note for a workload that uses S3 through NAT (an internet gateway costs nothing, and public subnets are
        // left out of endpoints on purpose); for one that may not use S3, a working path is nothing to report
        report.warn(w.res, `${where}: its S3 traffic works, but leaves through the NAT instead of the endpoint `
          + '(NAT data processing charges, and the traffic leaves the VPC)', { subjects });
      }
      return;
    }
    case 'transit':
      report.warn(w.res, `${where}: its S3 traffic leaves through a transit gateway, peering or VPN, so whether it `
        + 'reaches S3 depends on the other network', { subjects });
      return;
    default:
      report.cannotJudge(w.res, `where subnet ${subnet.res.path} of ${w.res.path} sends S3 traffic: route table `
        + `${rt.res.path} is not associated with S3 gateway endpoint ${names}, and its routes out are not resolved`, { subjects });
  }
}
