import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import {
  conditionEntries, conditionValue, ConditionEntry, effectOf, isStarPrincipal, shown, statementsOfDoc,
} from '../model/policy-conditions';
import { parseCidr } from '../model/s3-ranges';
import { BucketNode, isUnknown } from '../model/types';

/**
 * Condition keys whose fixed value makes a `Principal: "*"` grant non-public for S3 Block Public Access ("The
 * meaning of public" in the S3 guide), plus the principal-scoping keys the IAM guide recommends for the same purpose,
 * and the access-point keys of the S3 guide's "delegate access control to access points" policy
 * (`s3:DataAccessPointAccount`, `s3:DataAccessPointArn`), which grant only through the account's access points.
 */
const FIXING_KEYS = new Set([
  'aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:principalorgid',
  'aws:principalaccount', 'aws:principalarn', 'aws:userid', 's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:dataaccesspointaccount', 's3:dataaccesspointarn',
]);

const FIXING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/**
 * S3PA-PublicPolicyBlocked: with `BlockPublicPolicy` (set on the bucket, or S3's default for new buckets when the
 * bucket has no PublicAccessBlockConfiguration), S3 rejects PutBucketPolicy for a public policy, so the deployment
 * fails with 403.
 */
export const publicPolicyBlocked: Rule = {
  id: 'S3PA-PublicPolicyBlocked',
  level: 'error',
  symptom: 'The deployment fails with 403 Access Denied on PutBucketPolicy.',
  description: 'A bucket policy has a public Allow (Principal "*" or {"AWS": "*"}, or NotPrincipal) without a fixed '
    + 'source condition (aws:SourceVpce, aws:SourceVpc, aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, '
    + 'aws:PrincipalAccount... compared with a literal or a reference, or an aws:SourceIp range) on a bucket that '
    + 'blocks public policies: BlockPublicPolicy true, or no PublicAccessBlockConfiguration (S3 blocks public access '
    + 'on new buckets by default).',
  fix: 'Restrict the statement with a fixed condition (aws:SourceVpce with the endpoint reference, aws:PrincipalOrgID...) or name the principals; or, if the bucket must be public, set blockPublicAccess to allow public policies',
  appliesWhen: 'A bucket policy of the app allows everyone without a fixed source condition on a bucket that blocks public '
    + 'policies: PutBucketPolicy is rejected and the deployment fails (error).',
  guard: 'Statements with a fixed condition (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID...) or named principals are not public.',
  hops: [],
  check(m: Model, report: Reporter): void {
    for (const bucket of m.buckets) {
      const block = blocksPublicPolicy(m, bucket);
      if (block === false) continue;
      for (const policy of bucket.policies) {
        statementsOfDoc(policy.document).forEach((st, i) => {
          if (effectOf(st) !== 'allow') return;
          const everyone = st.NotPrincipal !== undefined ? 'NotPrincipal' : isStarPrincipal(st.Principal) ? 'Principal "*"' : undefined;
          if (!everyone) return;
          const name = typeof st.Sid === 'string' ? `statement ${st.Sid}` : `statement ${i + 1}`;
          const fixed = fixedness(m, policy.res, st);
          if (fixed === true) return;
          if (typeof block === 'string' && block.startsWith('?')) {
            report.cannotJudge(policy.res, `whether ${bucket.res.path} blocks public policies (${block.slice(1)}); ${name} of ${policy.res.path} is public`);
            return;
          }
          if (fixed !== false) {
            report.cannotJudge(policy.res, `whether ${name} of ${policy.res.path} is public: its condition value ${fixed} is not resolved`);
            return;
          }
          const actions = shown(listOf(st.Action ?? st.NotAction));
          report.fail(policy.res, `${name} of ${policy.res.path} allows everyone (${everyone}) ${actions} without a fixed source condition, `
            + `but ${bucket.res.path} blocks public policies (${block}): PutBucketPolicy fails with 403`);
        });
      }
    }
  },
};

/** false when public policies are allowed; otherwise why they are blocked; `?<what>` when it cannot be told. */
function blocksPublicPolicy(m: Model, bucket: BucketNode): false | string {
  const config = bucket.res.props.PublicAccessBlockConfiguration;
  if (config === undefined) return 'no PublicAccessBlockConfiguration: S3 blocks public policies on new buckets by default';
  if (config === null || typeof config !== 'object') return false;
  if (config.BlockPublicPolicy === undefined) return false;
  const v = m.bool(bucket.res, config.BlockPublicPolicy);
  if (v === undefined || v === false) return false;
  if (isUnknown(v)) return `?BlockPublicPolicy is ${v.what}`;
  return 'BlockPublicPolicy: true';
}

/** true when a condition fixes the source; false when none does; a description of the unresolved value otherwise. */
function fixedness(m: Model, res: any, st: any): boolean | string {
  let unresolved: string | undefined;
  for (const entry of conditionEntries(st)) {
    const verdict = entryFixes(m, res, entry);
    if (verdict === true) return true;
    if (typeof verdict === 'string') unresolved = unresolved ?? verdict;
  }
  return unresolved ?? false;
}

function entryFixes(m: Model, res: any, entry: ConditionEntry): boolean | string {
  if (entry.ifExists || entry.setOperator === 'ForAllValues' || entry.values.length === 0) return false;
  const isIp = entry.keyLower === 'aws:sourceip' && entry.base === 'IpAddress';
  if (!isIp && !(FIXING_KEYS.has(entry.keyLower) && FIXING_OPERATORS.has(entry.base))) return false;
  let unresolved: string | undefined;
  for (const value of entry.values) {
    const v = conditionValue(m, res, value);
    if (v.kind === 'resource') continue;
    if (v.kind === 'unknown') {
      unresolved = unresolved ?? v.what;
      continue;
    }
    if (isIp ? !narrowCidr(v.text) : /[*?]/.test(v.text)) return false;
  }
  return unresolved ?? true;
}

/** A CIDR no broader than /8 (IPv4) or /32 (IPv6); a plain address counts as a host route. */
function narrowCidr(text: string): boolean {
  const cidr = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (!cidr) return false;
  return cidr.prefixLength >= (cidr.family === 4 ? 8 : 32);
}
