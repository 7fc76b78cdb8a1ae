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
  appliesWhen: 'A workload allowed s3express:CreateSession on a directory bucket of the app runs in a subnet whose '
    + 'route table no s3express gateway endpoint of its VPC serves. An error when the subnet has no other way out '
    + '(timeout); a warning when the traffic still leaves through NAT or an internet gateway (it works, outside the endpoint).',
  guard: 'Only workloads granted on a directory bucket are judged (every data-plane call starts with CreateSession); '
    + 'a subnet with a NAT gateway, NAT instance or internet gateway still reaches the zonal endpoint.',
  hops: ['endpoint'],
  check(m: Model, report: Reporter): void {
    const buckets = m.ofType('AWS::S3Express::DirectoryBucket');
    if (buckets.length === 0) return;
    for (const w of m.workloads) {
      const used = buckets.filter(b => workloadRoles(w).some(role => allowsExpress(m, role, b)));
      if (used.length === 0) continue;
      const names = listText(used.map(b => b.path));
      const subjects = { workloads: [w.res.key], buckets: used.map(b => b.key) };
      const { known, unresolved } = workloadSubnets(w);
      if (unresolved.length > 0) {
        report.cannotJudge(w.res, `whether ${listText(unresolved.map(u => u.what))} of ${w.res.path} route to an `
          + `s3express gateway endpoint for directory bucket ${names}`, { subjects });
      }
      for (const subnet of known) {
        if (isUnknown(subnet.vpc)) continue;
        const eps = expressEndpoints(subnet.vpc);
        const timeout = subnet.wayOut === 'none';
        const outcome = timeout ? ': its calls time out'
          : `: its calls leave through the ${subnet.wayOut === 'nat' ? 'NAT' : subnet.wayOut === 'internet-gateway' ? 'internet gateway' : 'route out of the VPC'} instead`;
        if (eps.unsure.length > 0 && eps.gateway.length === 0) {
          report.cannotJudge(w.res, `whether endpoint ${listText(eps.unsure.map(e => e.res.path))} of VPC `
            + `${subnet.vpc.res.path} serves s3express, which ${w.res.path} needs for directory bucket ${names}`, { subjects });
          continue;
        }
        if (eps.gateway.length === 0) {
          report.failIf(timeout, w.res, `${w.res.path} uses directory bucket ${names} from subnet ${subnet.res.path}, but VPC `
            + `${subnet.vpc.res.path} has no com.amazonaws.<region>.s3express gateway endpoint${outcome}`,
          { subjects: { ...subjects, subnets: [subnet.res.key], vpcs: [subnet.vpc.res.key] } });
          continue;
        }
        const rt = subnet.routeTable;
        if (isUnknown(rt) || rt.gatewayEndpoints.some(ep => eps.gateway.includes(ep))) continue;
        if (eps.gateway.some(ep => ep.routeTables.some(isUnknown))) {
          report.cannotJudge(w.res, `whether route table ${rt.res.path} of ${w.res.path} is associated with s3express `
            + `endpoint ${listText(eps.gateway.map(e => e.res.path))}`, { subjects });
          continue;
        }
        report.failIf(timeout, w.res, `${w.res.path} uses directory bucket ${names} from subnet ${subnet.res.path}, whose route `
          + `table ${rt.res.path} is not associated with s3express gateway endpoint ${listText(eps.gateway.map(e => e.res.path))}${outcome}`,
        { subjects: { ...subjects, subnets: [subnet.res.key], routeTables: [rt.res.key] } });
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

/** The VPC's s3express gateway endpoints, and gateway endpoints whose service cannot be read. */
function expressEndpoints(vpc: VpcNode): { gateway: EndpointNode[]; unsure: EndpointNode[] } {
  const gateways = vpc.endpoints.filter(isGateway);
  return {
    gateway: gateways.filter(ep => ep.service === 's3express'),
    unsure: gateways.filter(ep => isUnknown(ep.service)),
  };
}
