import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isGateway, isS3Endpoint, listText, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { isUnknown, ModelResource, SubnetNode } from '../model/types';

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
  check(m: Model, report: Reporter): void {
    const appHasS3Gateway = m.endpoints.some(ep => isGateway(ep) && isS3Endpoint(ep) === true);
    for (const w of m.workloads) {
      const { known, unresolved } = workloadSubnets(w);
      for (const subnet of known) checkSubnet(report, w.res, subnet);
      if (unresolved.length > 0 && appHasS3Gateway) {
        report.cannotJudge(w.res, `whether the route tables of ${listText(unresolved.map(u => u.what))} used by `
          + `${w.res.path} are associated with an S3 gateway endpoint`);
      }
    }
  },
};

function checkSubnet(report: Reporter, workload: ModelResource, subnet: SubnetNode): void {
  if (isUnknown(subnet.vpc)) return;
  const gateways = s3EndpointsOf(subnet.vpc).gateway;
  if (gateways.length === 0) return;
  const names = listText(gateways.map(ep => ep.res.path));
  const rt = subnet.routeTable;
  if (isUnknown(rt)) {
    report.cannotJudge(workload, `whether subnet ${subnet.res.path} of ${workload.path} routes to S3 gateway `
      + `endpoint ${names}: it uses ${rt.what}`);
    return;
  }
  if (rt.gatewayEndpoints.some(ep => gateways.includes(ep))) return;
  const unsure = gateways.filter(ep => ep.routeTables.some(isUnknown));
  if (unsure.length > 0) {
    const ids = unsure.flatMap(ep => ep.routeTables.filter(isUnknown).map(u => u.what));
    report.cannotJudge(workload, `whether route table ${rt.res.path} of subnet ${subnet.res.path} is among `
      + `${listText(ids)} named by S3 gateway endpoint ${listText(unsure.map(ep => ep.res.path))}`);
    return;
  }
  report.fail(workload, `${workload.path} runs in subnet ${subnet.res.path}, whose route table ${rt.res.path} is `
    + `not in the RouteTableIds of S3 gateway endpoint ${names}: its S3 traffic `
    + `${subnet.hasInternetRoute ? 'leaves through the NAT or internet path, not the endpoint' : 'has no route and times out'}`);
}
