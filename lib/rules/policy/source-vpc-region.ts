import { listText, unique } from '../../model/helpers';
import type { Model } from '../../model/model';
import { entriesOn, policyDocuments, statementsOfDoc } from '../../model/policy-conditions';
import type { Reporter, Rule } from '../rule';

/** Keys that tie a statement to a region: the VPC's ARN names its region, or the request's region is compared. */
const REGION_GUARDS = ['aws:SourceVpcArn', 'aws:RequestedRegion'];

/**
 * S3PA-SourceVpcRegion: a bucket policy compares `aws:SourceVpc` with VPC ids and nothing ties the comparison to a
 * region, in an app whose stacks are in two regions or more. A VPC id names a VPC only within its region (and
 * account); `aws:SourceVpcArn` carries the region and the account, `aws:RequestedRegion` the region of the request.
 */
export const sourceVpcRegion: Rule = {
  id: 'S3PA-SourceVpcRegion',
  level: 'warning',
  symptom: 'A bucket policy trusts a VPC by its id alone in an app that spans regions: the id does not say which '
    + 'region\'s VPC it is.',
  description: 'A bucket policy statement conditions on aws:SourceVpc without aws:SourceVpcArn or aws:RequestedRegion, '
    + 'while the app\'s stacks are in two regions or more. VPC ids are unique only within a region (and account), so '
    + 'the comparison does not say which region\'s VPC is meant.',
  fix: 'compare aws:SourceVpcArn (arn:aws:ec2:<region>:<account>:vpc/<id>) instead of aws:SourceVpc, or add an '
    + 'aws:RequestedRegion condition with the bucket\'s region to the statement',
  appliesWhen: 'A bucket policy of the app (or read by --live, whose stacks are one per region read) with an '
    + 'aws:SourceVpc condition in a statement with no region guard, when the app has stacks in two regions or more. '
    + 'A warning: no request fails, but the policy trusts an id, not a VPC of a region.',
  guard: 'A single-region app is not judged; a statement that also compares aws:SourceVpcArn or aws:RequestedRegion '
    + 'is guarded; Null checks on aws:SourceVpc compare no id; stacks whose region is not resolved make it a "cannot '
    + 'judge" warning only when they could make the app multi-region.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    const regions = unique(m.stacks.map(s => s.region).filter((r): r is string => typeof r === 'string'));
    const unresolved = m.stacks.filter(s => s.region === undefined);
    const multi = regions.length >= 2;
    const maybe = !multi && m.stacks.length >= 2 && unresolved.length > 0;
    if (!multi && !maybe) return;
    for (const p of policyDocuments(m, ['bucket'])) {
      const subjects = p.bucket && 'res' in p.bucket ? { buckets: [p.bucket.res.key] } : {};
      for (const st of statementsOfDoc(p.document)) {
        const vpc = entriesOn(st, 'aws:SourceVpc').filter(e => e.base !== 'Null');
        if (vpc.length === 0) continue;
        if (REGION_GUARDS.some(k => entriesOn(st, k).some(e => e.base !== 'Null'))) continue;
        const sid = typeof st.Sid === 'string' ? ` (statement ${st.Sid})` : '';
        if (maybe) {
          report.cannotJudge(p.res, `whether bucket policy ${p.res.path}${sid} needs a region guard on aws:SourceVpc: the `
            + `region of stack${unresolved.length > 1 ? 's' : ''} ${listText(unresolved.map(s => s.id))} is not resolved, `
            + 'so the app may span regions', { subjects });
          continue;
        }
        report.fail(p.res, `bucket policy ${p.res.path}${sid} compares aws:SourceVpc (${vpc[0].operator}) with no region `
          + `guard, in an app with stacks in ${listText(regions)}: a VPC id names a VPC only within its region`, { subjects });
      }
    }
  },
};
