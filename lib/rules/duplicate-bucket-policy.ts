import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { BucketPolicyNode, isUnknown } from '../model/types';

/**
 * S3PA-DuplicateBucketPolicy: a bucket has one policy. Two `AWS::S3::BucketPolicy` resources for the same bucket
 * each call PutBucketPolicy, and whichever CloudFormation applies last replaces the other.
 */
export const duplicateBucketPolicy: Rule = {
  id: 'S3PA-DuplicateBucketPolicy',
  level: 'error',
  symptom: 'One bucket policy silently replaces the other; its statements (grants or the endpoint restriction) are lost.',
  description: 'Two or more AWS::S3::BucketPolicy resources name the same bucket (the same reference or the same '
    + 'literal name), in one stack or across the app\'s stacks.',
  fix: 'Merge the statements into one bucket policy (bucket.addToResourcePolicy on the bucket, or one CfnBucketPolicy)',
  appliesWhen: 'Two AWS::S3::BucketPolicy resources of the app name one bucket: the one applied last replaces the other, and the '
    + 'other\'s statements are lost (error).',
  guard: 'Bucket names that stay unresolved and may be the same bucket give a warning, not an error.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    const groups = new Map<string, { label: string; policies: BucketPolicyNode[] }>();
    const unresolved: Array<{ policy: BucketPolicyNode; what: string; raw: string }> = [];
    const external: BucketPolicyNode[] = [];
    for (const p of m.bucketPolicies) {
      let id: string;
      let label: string;
      if (isUnknown(p.bucket)) {
        // the same unresolved expression in the same stack is the same bucket (e.g. one parameter used twice)
        const raw = JSON.stringify(p.res.props.Bucket);
        id = `?${p.res.stack.id}|${raw}`;
        label = `bucket ${p.bucket.what}`;
        unresolved.push({ policy: p, what: p.bucket.what, raw: id });
      } else if ('res' in p.bucket) {
        id = `res|${p.bucket.res.key}`;
        label = `bucket ${p.bucket.res.path}`;
      } else {
        id = `name|${p.bucket.name}`;
        label = `bucket ${p.bucket.name}`;
        external.push(p);
      }
      const group = groups.get(id) ?? { label, policies: [] };
      group.policies.push(p);
      groups.set(id, group);
    }
    for (const { label, policies } of groups.values()) {
      if (policies.length < 2) continue;
      for (const p of policies) {
        const others = policies.filter(o => o !== p).map(o => o.res.path);
        report.fail(p.res, `${label} has ${policies.length} bucket policies: ${p.res.path} and ${others.join(', ')}; each replaces the other on deploy`);
      }
    }
    // unresolved bucket names may still be the same bucket as another unresolved or external one
    for (const u of unresolved) {
      const candidates = [
        ...unresolved.filter(o => o.raw !== u.raw).map(o => o.policy),
        ...external,
      ];
      if (candidates.length === 0) continue;
      report.cannotJudge(u.policy.res, `whether bucket policy ${u.policy.res.path} (bucket ${u.what}) targets the same bucket as ${candidates.map(c => c.res.path).join(', ')}`);
    }
  },
};
