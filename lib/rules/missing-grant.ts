import type { Reporter, Rule } from './rule';
import { BucketGrant, GrantEntry, GrantIndex, judgedEntries, roleArns, workloadsByRole } from '../model/grants';
import { evaluateAll, EvaluationResult, normalizeStatements, principalMatchLevel } from '../model/iam';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { listText } from '../model/s3-reach';
import { BucketNode, ModelResource, RoleNode, WorkloadNode } from '../model/types';

/**
 * S3PA-MissingGrant: cross-account S3 access needs an allow on both sides, the role's identity policy and the bucket
 * policy. Reported when a workload role of the app is granted on a bucket in another account whose bucket policy
 * (in the app) does not allow it, or when a bucket policy of the app allows a role of another account of the app that
 * its identity policies do not. Same-account access needs only one side, so it is never reported here; a bucket
 * outside the app whose name or `s3:ResourceAccount` condition shows another account cannot be judged.
 *
 * The account of an imported bucket (`Bucket.fromBucketAttributes({ account })`) does not reach the template: only a
 * bucket of another stack of the app, an account id in the name, or a condition tells.
 */
export const missingGrant: Rule = {
  id: 'S3PA-MissingGrant',
  level: 'error',
  symptom: 'Cross-account S3 calls get 403 although one side (the role or the bucket policy) allows them.',
  description: 'A bucket in another account than a workload role that the app grants on it, whose bucket policy (in '
    + 'the app) allows the role nothing; or the reverse, a bucket policy that allows a role of another account of the '
    + 'app whose identity policies grant nothing on the bucket. Across accounts, both the identity policy and the '
    + 'bucket policy must allow the request.',
  fix: 'grant on both sides: add the role (by ARN, with the same actions and resources) to the bucket policy, and the '
    + 'bucket to the role\'s identity policy',
  appliesWhen: 'A workload role is granted on a bucket in another account whose policy (in the app) does not allow it, or a '
    + 'bucket policy allows a role of another account whose own policies do not: cross-account requests need both sides '
    + 'and get 403 (error; a warning for granted actions outside the judged set).',
  guard: 'Same-account access needs one side only and is never reported; a bucket outside the app cannot be judged.',
  hops: ['bucket-policy', 'identity-policy'],
  check(m: Model, report: Reporter): void {
    const grants = GrantIndex.of(m);
    for (const { role, workloads } of workloadsByRole(m).values()) {
      const who = `role ${role.res.path} (of ${listText(workloads.map(w => w.res.path))})`;
      for (const grant of grants.ofRole(role).byBucket.values()) {
        const bucket = grant.bucket;
        if (bucket.node) {
          if (bucket.node.res.stack.id === role.res.stack.id) continue;
          const [ra, ba] = [role.res.stack.account, bucket.account];
          if (!ra || !ba) {
            report.cannotJudge(policyHolder(bucket.node), `whether bucket ${bucket.node.res.path} (stack ${bucket.node.res.stack.id}) `
              + `is in the account of ${who}, granted on it: an environment-agnostic stack's account is unknown`,
            { subjects: { buckets: [bucket.key], roles: [role.res.key], workloads: workloads.map(w => w.res.key) } });
          } else if (ra !== ba) {
            judgeBucketSide(m, report, grant, bucket.node, role, who, workloads);
          }
        } else if (bucket.account && role.res.stack.account && bucket.account !== role.res.stack.account) {
          const sources = [...new Set(grant.entries.map(e => e.source.res))];
          for (const res of sources) {
            report.cannotJudge(res, `whether the bucket policy of ${bucket.name} (account ${bucket.account}, not in the `
              + `app) grants ${who} of account ${role.res.stack.account} the access its identity policy grants`,
            { subjects: { buckets: [bucket.key], roles: [role.res.key], workloads: workloads.map(w => w.res.key) } });
          }
        }
      }
    }
    for (const b of m.buckets) for (const p of b.policies) judgeRoleSide(m, report, grants, b, p.res, p.document);
  },
};

/** The bucket's policy resource (where a fix goes), or the bucket itself. */
function policyHolder(b: BucketNode): ModelResource {
  return b.policies[0]?.res ?? b.res;
}

function judgeBucketSide(
  m: Model, report: Reporter, grant: BucketGrant, b: BucketNode, role: RoleNode, who: string, workloadsOf: WorkloadNode[],
): void {
  const identity = role.policies.map(p => m.symDoc(p.res, p.document));
  const resource = b.policies.map(p => m.symDoc(p.res, p.document));
  const denied: GrantEntry[] = [];
  const unsure: GrantEntry[] = [];
  for (const e of judgedEntries(grant)) {
    const arn = e.probe;
    if (!arn) continue;
    const result = best(m, role, arns => evaluateAll({ identity, resource, sameAccount: false }, { action: e.action, resource: arn, ...arns }));
    if (result.decision === 'allow' && !result.uncertain) continue;
    (result.optimisticDecision === 'allow' ? unsure : denied).push(e);
  }
  const where = `bucket ${b.res.path} (account ${b.res.stack.account})`;
  const text = (entries: GrantEntry[]) => listText(entries.map(e => `${e.action} on ${e.probe}`));
  const subjects = (entries: GrantEntry[]) => ({
    buckets: [b.res.key], roles: [role.res.key], workloads: workloadsOf.map(w => w.res.key), actions: [...new Set(entries.map(e => e.action))],
  });
  for (const [entries, core] of [[denied.filter(e => e.core), true], [denied.filter(e => !e.core), false]] as const) {
    if (entries.length === 0) continue;
    report.failIf(core, policyHolder(b), `${who} of account ${role.res.stack.account} is granted ${text(entries)} on ${where}, `
      + `but ${b.policies.length === 0 ? 'the bucket has no bucket policy' : 'its bucket policy does not allow it'}: `
      + `cross-account access needs both${core ? '' : ' (if the workload makes those requests, they get 403)'}`, { subjects: subjects(entries) });
  }
  if (unsure.length > 0) {
    report.cannotJudge(policyHolder(b), `whether the bucket policy of ${where} allows ${text(unsure)} to ${who}: it `
      + 'depends on values not resolved at synth time', { subjects: subjects(unsure) });
  }
}

function judgeRoleSide(m: Model, report: Reporter, grants: GrantIndex, b: BucketNode, policy: ModelResource, document: any): void {
  const doc = m.symDoc(policy, document);
  const bucketAccount = b.res.stack.account;
  if (!bucketAccount) return;
  for (const role of m.roles) {
    const account = role.res.stack.account;
    if (!account || account === bucketAccount) continue;
    const arns = roleArns(m, role);
    const raw = listOf(doc?.Statement);
    const naming = normalizeStatements(doc).filter(s => s.effect === 'Allow' && s.principal && !s.principal.wildcard
      && arns.some(arn => principalMatchLevel(s.principal, { arn, account }) === 'direct'));
    if (naming.length === 0) continue;
    const identity = role.policies.map(p => m.symDoc(p.res, p.document));
    const missing: string[] = [];
    let core = false;
    for (const s of naming) {
      const grant = grants.ofBucketPolicy({ res: policy, document: { Statement: [raw[s.index]] } }, grants.appBucket(b));
      for (const e of judgedEntries(grant)) {
        const arn = e.probe;
        if (!arn) continue;
        const result = best(m, role, p => evaluateAll({ identity, resource: [doc], sameAccount: false }, { action: e.action, resource: arn, ...p }));
        if (result.optimisticDecision !== 'allow') {
          missing.push(`${e.action} on ${arn}`);
          core = core || e.core;
        }
      }
    }
    if (missing.length === 0) continue;
    report.failIf(core, role.policies[0]?.res ?? role.res, `bucket policy ${policy.path} of bucket ${b.res.path} (account `
      + `${bucketAccount}) allows role ${role.res.path} of account ${account} ${listText([...new Set(missing)])}, but the `
      + 'role\'s identity policies do not: cross-account access needs both', { subjects: { buckets: [b.res.key], roles: [role.res.key] } });
  }
}

/** The most permissive result over the ARNs the role may be named by. */
function best(m: Model, role: RoleNode, evaluate: (p: { principal: { arn: string; account: string } }) => EvaluationResult): EvaluationResult {
  const account = role.res.stack.account ?? '{{AWS::AccountId}}';
  let out: EvaluationResult | undefined;
  for (const arn of roleArns(m, role)) {
    const r = evaluate({ principal: { arn, account } });
    if (!out || rank(r) > rank(out)) out = r;
  }
  return out!;
}

function rank(r: EvaluationResult): number {
  if (r.decision === 'allow' && !r.uncertain) return 2;
  return r.optimisticDecision === 'allow' ? 1 : 0;
}
