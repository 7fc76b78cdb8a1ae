import { AccessPointNode, accessPointsOf, accessPointUses, AccessPointUse } from '../../model/access-points';
import { listText } from '../../model/helpers';
import type { Model } from '../../model/model';
import { s3RoutesOf } from '../../model/s3-routes';
import { isUnknown, VpcNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-AccessPointVpcOrigin: an access point with a VPC network origin (`VpcConfiguration.VpcId`) accepts only
 * requests that come from that VPC through an S3 endpoint. A workload granted on the access point's ARN that runs
 * in another VPC, or whose requests leave its VPC through NAT, gets 403 from S3, whatever its policies allow.
 * Functions outside any VPC are not workloads of the model, so they are not judged.
 */
export const accessPointVpcOrigin: Rule = {
  id: 'S3PA-AccessPointVpcOrigin',
  level: 'error',
  symptom: 'Requests through the access point get 403 AccessDenied although the role and the access point policy allow them.',
  description: 'An AWS::S3::AccessPoint with VpcConfiguration.VpcId (a VPC network origin) is named in the identity '
    + 'policy of a workload (its ARN or its /object/… ARNs), and the workload runs in another VPC (resolved through '
    + 'Refs, or by the deployed VPC id), or in that VPC without an S3 endpoint on its path (its '
    + 'requests leave through NAT or an internet gateway and carry no VPC origin).',
  fix: 'run the workload in the access point\'s VPC with an S3 endpoint on its route (S3PrivateAccess), or give the '
    + 'other VPC an access point of its own (VpcConfiguration.VpcId), or use an internet-origin access point restricted '
    + 'by aws:SourceVpce in its policy',
  appliesWhen: 'A workload granted on a VPC-origin access point sends its requests from another VPC, or from the '
    + 'access point\'s VPC through NAT or an internet gateway: S3 rejects them with 403 (error). '
    + 'An access point VPC id or a workload subnet that stays unresolved is a warning.',
  guard: 'Only grants whose resources name access points are judged (a grant on `*` does not show that the workload '
    + 'uses this one); internet-origin access points are not judged; requests from the access point\'s VPC through an '
    + 'S3 gateway or interface endpoint are compliant; functions outside any VPC are not judged.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    for (const ap of accessPointsOf(m)) {
      if (ap.vpc === undefined) continue;
      for (const use of accessPointUses(m, ap)) judge(m, report, ap, ap.vpc, use);
    }
  },
};

function judge(m: Model, report: Reporter, ap: AccessPointNode, origin: VpcNode | { unknown: true; what: string }, use: AccessPointUse): void {
  const w = use.workload;
  // the requests address the access point, not the bucket: its key stands in the buckets dimension, so direct
  // requests on the bucket (explain's workload → bucket path) are not concerned
  const subjects = { workloads: [w.res.key], roles: [use.role.res.key], buckets: [ap.res.key], actions: use.actions };
  const head = `${w.res.path} is granted ${listText(use.actions)} on access point ${ap.res.path}`;
  const unresolved = w.subnets.filter(isUnknown);
  if (unresolved.length > 0) {
    report.cannotJudge(ap.res, `whether ${listText(unresolved.map(u => u.what))} of ${w.res.path} are in the network origin of `
      + `access point ${ap.res.path}`, { subjects });
  }
  for (const route of s3RoutesOf(m, w)) {
    const vpc = route.subnet.vpc;
    const at = { ...subjects, subnets: [route.subnet.res.key], ...(isUnknown(vpc) ? {} : { vpcs: [vpc.res.key] }) };
    if (isUnknown(vpc) || isUnknown(origin)) {
      const what = isUnknown(vpc) ? vpc.what : (origin as { what: string }).what;
      report.cannotJudge(ap.res, `whether subnet ${route.subnet.res.path} of ${w.res.path} is in the network origin of access `
        + `point ${ap.res.path}: ${what}`, { subjects: at });
      continue;
    }
    if (vpc !== origin) {
      report.fail(ap.res, `${head}, whose network origin is VPC ${origin.res.path}, but runs in subnet ${route.subnet.res.path} `
        + `of VPC ${vpc.res.path}: S3 rejects requests from another VPC with 403`, { subjects: at });
    } else if (route.via === 'internet') {
      report.fail(ap.res, `${head} and runs in its VPC ${origin.res.path}, but subnet ${route.subnet.res.path} reaches S3 through `
        + 'NAT or an internet gateway, not an S3 endpoint: the requests carry no VPC origin and get 403', { subjects: at });
    }
  }
}
