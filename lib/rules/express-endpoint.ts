import type { Reporter, Rule } from './rule';
import { workloadRoles } from '../model/grants';
import { actionMatches, resourceMatches } from '../model/iam';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { isGateway, listText, workloadSubnets } from '../model/s3-reach';
import { EndpointNode, isUnknown, ModelResource, RoleNode, VpcNode } from '../model/types';

/** The actions that reach a directory bucket: `CreateSession` opens every data-plane session. */
const EXPRESS_PROBE = 's3express:CreateSession';

/**
 * S3PA-ExpressEndpoint: a workload uses an S3 Express One Zone directory bucket of the app, but its VPC has no
 * `com.amazonaws.<region>.s3express` gateway endpoint (the S3 gateway endpoint does not serve directory buckets), or
 * the workload's route table is not associated with it.
 *
 * "Uses" means: the workload's role is allowed `s3express:CreateSession` on the directory bucket's ARN (or on `*`).
 * Every data-plane call to a directory bucket starts with a CreateSession that IAM must allow, so a workload without
 * that grant cannot use the bucket whatever its network; judging every VPC workload whenever the app holds a
 * directory bucket would flag workloads that never touch it.
 */
export const expressEndpoint: Rule = {
  id: 'S3PA-ExpressEndpoint',
  level: 'error',
  symptom: 'Calls to the S3 Express One Zone directory bucket time out (or leave through NAT) from the VPC.',
  description: 'An AWS::S3Express::DirectoryBucket is used by a workload (its role is allowed s3express:CreateSession '
    + 'on the bucket) whose VPC has no com.amazonaws.<region>.s3express gateway endpoint associated with the '
    + 'workload subnet\'s route table. The S3 gateway endpoint does not carry directory-bucket traffic.',
  fix: 'add a com.amazonaws.<region>.s3express gateway endpoint (GatewayVpcEndpointAwsService.S3_EXPRESS) to the VPC '
    + 'and associate the workload subnets\' route tables',
  check(m: Model, report: Reporter): void {
    const buckets = m.ofType('AWS::S3Express::DirectoryBucket');
    if (buckets.length === 0) return;
    for (const w of m.workloads) {
      const used = buckets.filter(b => workloadRoles(w).some(role => allowsExpress(m, role, b)));
      if (used.length === 0) continue;
      const names = listText(used.map(b => b.path));
      const { known, unresolved } = workloadSubnets(w);
      if (unresolved.length > 0) {
        report.cannotJudge(w.res, `whether ${listText(unresolved.map(u => u.what))} of ${w.res.path} route to an `
          + `s3express gateway endpoint for directory bucket ${names}`);
      }
      for (const subnet of known) {
        if (isUnknown(subnet.vpc)) continue;
        const eps = expressEndpoints(m, subnet.vpc);
        if (eps.unsure.length > 0 && eps.gateway.length === 0) {
          report.cannotJudge(w.res, `whether endpoint ${listText(eps.unsure.map(e => e.res.path))} of VPC `
            + `${subnet.vpc.res.path} serves s3express, which ${w.res.path} needs for directory bucket ${names}`);
          continue;
        }
        if (eps.gateway.length === 0) {
          report.fail(w.res, `${w.res.path} uses directory bucket ${names} from subnet ${subnet.res.path}, but VPC `
            + `${subnet.vpc.res.path} has no com.amazonaws.<region>.s3express gateway endpoint`);
          continue;
        }
        const rt = subnet.routeTable;
        if (isUnknown(rt) || rt.gatewayEndpoints.some(ep => eps.gateway.includes(ep))) continue;
        if (eps.gateway.some(ep => ep.routeTables.some(isUnknown))) {
          report.cannotJudge(w.res, `whether route table ${rt.res.path} of ${w.res.path} is associated with s3express `
            + `endpoint ${listText(eps.gateway.map(e => e.res.path))}`);
          continue;
        }
        report.fail(w.res, `${w.res.path} uses directory bucket ${names} from subnet ${subnet.res.path}, whose route `
          + `table ${rt.res.path} is not associated with s3express gateway endpoint ${listText(eps.gateway.map(e => e.res.path))}`);
      }
    }
  },
};

/** Whether the role's identity policies allow `s3express:CreateSession` on the directory bucket. */
function allowsExpress(m: Model, role: RoleNode, bucket: ModelResource): boolean {
  const arns = [m.values.symOfResource(bucket, 'Arn')];
  const name = bucket.props.BucketName === undefined ? undefined : m.str(bucket, bucket.props.BucketName);
  const { region, account, partition } = bucket.stack;
  if (typeof name === 'string' && region && account) arns.push(`arn:${partition}:s3express:${region}:${account}:bucket/${name}`);
  for (const source of role.policies) {
    const doc = m.symDoc(source.res, source.document);
    for (const s of listOf(doc?.Statement)) {
      if (s?.Effect !== 'Allow' || !listOf(s.Action).some(a => typeof a === 'string' && a.toLowerCase().startsWith('s3express:') && actionMatches(a, EXPRESS_PROBE))) continue;
      if (listOf(s.Resource).some(r => typeof r === 'string' && arns.some(arn => resourceMatches(r, arn)))) return true;
    }
  }
  return false;
}

/** The VPC's s3express gateway endpoints, and endpoints whose service cannot be read. */
function expressEndpoints(m: Model, vpc: VpcNode): { gateway: EndpointNode[]; unsure: EndpointNode[] } {
  const gateway: EndpointNode[] = [];
  const unsure: EndpointNode[] = [];
  for (const ep of vpc.endpoints) {
    if (!isGateway(ep)) continue;
    if (typeof ep.service === 'string') {
      if (ep.service === 's3express') gateway.push(ep);
      continue;
    }
    const name = m.sym(ep.res, ep.res.props.ServiceName);
    if (/\.s3express$/.test(name)) gateway.push(ep);
    else if (name.includes('{{?}}') || !/^(com|cn)\.amazonaws\./.test(name)) unsure.push(ep);
  }
  return { gateway, unsure };
}
