import type { Reporter, Rule } from './rule';
import { GrantIndex, judgedEntries, roleArns, workloadsByRole } from '../model/grants';
import { ContextValue, evaluateAll, EvaluationResult } from '../model/iam';
import type { Model } from '../model/model';
import { listText } from '../model/s3-reach';
import { BucketNode, isUnknown, ModelResource, RoleNode, WorkloadNode } from '../model/types';

/** The KMS action each S3 object action needs on an SSE-KMS bucket's key. */
const KMS_FOR: Record<string, string> = {
  's3:GetObject': 'kms:Decrypt',
  's3:GetObjectVersion': 'kms:Decrypt',
  's3:PutObject': 'kms:GenerateDataKey',
};

/**
 * S3PA-KmsGrant: a workload role reads or writes objects of an SSE-KMS bucket whose key is in the app, but the role
 * may not use the key (`kms:Decrypt` to read, `kms:GenerateDataKey` to write), through its identity policies or the
 * key policy; or the key policy allows it only with `aws:SourceVpce`/`aws:SourceVpc`.
 *
 * The KMS call is made by S3 on the workload's behalf, so it is evaluated as such a call: `kms:ViaService`
 * `s3.<region>.amazonaws.com`, `aws:ViaAWSService` true, and no `aws:SourceVpce`/`aws:SourceVpc` (the KMS guide: a
 * policy that requires a VPC endpoint makes requests from integrated services that use the key on your behalf fail).
 */
export const kmsGrant: Rule = {
  id: 'S3PA-KmsGrant',
  level: 'error',
  symptom: 'Object reads or writes get 403 from KMS (AccessDenied on kms:Decrypt or kms:GenerateDataKey) although '
    + 'the S3 permissions and the network path are right.',
  description: 'An SSE-KMS bucket whose key is an AWS::KMS::Key of the app, where a workload role with object access '
    + 'lacks kms:Decrypt (to read) or kms:GenerateDataKey (to write) on the key, in its identity policies or the key '
    + 'policy; or the key policy requires aws:SourceVpce or aws:SourceVpc, which the KMS calls S3 makes on the '
    + 'workload\'s behalf do not carry.',
  fix: 'grant the KMS actions: kms:Decrypt (reads) and kms:GenerateDataKey (writes) on the bucket\'s key to the '
    + 'workload role (bucket.grantRead/grantWrite do this), and condition the key policy on kms:ViaService '
    + 's3.<region>.amazonaws.com instead of aws:SourceVpce',
  appliesWhen: 'A workload role reads or writes objects of an SSE-KMS bucket whose key is in the app, and may not use the key: its '
    + 'requests get 403 from KMS (error).',
  guard: 'The KMS calls are evaluated as S3 makes them (kms:ViaService, aws:ViaAWSService), and key ARN patterns such as '
    + 'arn:aws:kms:<region>:<account>:key/* match the key.',
  hops: ['kms'],
  check(m: Model, report: Reporter): void {
    const grants = GrantIndex.of(m);
    const roles = [...workloadsByRole(m).values()];
    for (const b of m.buckets) {
      if (!b.sseKms || b.kmsKey === undefined) continue;
      for (const { role, workloads } of roles) {
        const grant = grants.ofRole(role).byBucket.get(b.res.key);
        if (!grant) continue;
        const needed = new Map<string, string[]>();
        for (const e of judgedEntries(grant)) {
          const kmsAction = KMS_FOR[e.action];
          if (kmsAction) needed.set(kmsAction, [...(needed.get(kmsAction) ?? []), e.action]);
        }
        if (needed.size === 0) continue;
        const who = `role ${role.res.path} (of ${listText(workloads.map(w => w.res.path))})`;
        if (isUnknown(b.kmsKey)) {
          report.cannotJudge(b.res, `whether ${who} may use ${b.kmsKey.what}, the SSE-KMS key of bucket ${b.res.path}`,
            { subjects: { buckets: [b.res.key], roles: [role.res.key], workloads: workloads.map(w => w.res.key) } });
          continue;
        }
        judge(m, report, b, b.kmsKey, role, who, needed, workloads);
      }
    }
  },
};

function judge(m: Model, report: Reporter, b: BucketNode, key: ModelResource, role: RoleNode, who: string,
  needed: Map<string, string[]>, workloads: WorkloadNode[]): void {
  const subjects = { buckets: [b.res.key], roles: [role.res.key], workloads: workloads.map(w => w.res.key) };
  const keyPolicy = key.props.KeyPolicy === undefined ? undefined : m.symDoc(key, key.props.KeyPolicy);
  const identity = role.policies.map(p => m.symDoc(p.res, p.document));
  const account = role.res.stack.account ?? '{{AWS::AccountId}}';
  const region = b.res.stack.region ?? '{{AWS::Region}}';
  const context: Record<string, ContextValue> = {
    'kms:ViaService': `s3.${region}.amazonaws.com`,
    'aws:ViaAWSService': 'true',
    'aws:CalledVia': ['s3.amazonaws.com'],
  };
  const vpceBound = /aws:source(vpce|vpc)"/i.test(JSON.stringify(keyPolicy ?? {}));
  const sameAccount = key.stack.account !== undefined && key.stack.account === role.res.stack.account;
  const denied: string[] = [];
  const unsure: string[] = [];
  for (const [action, s3Actions] of needed) {
    let best: EvaluationResult | undefined;
    for (const arn of roleArns(m, role)) {
      const result = evaluateAll(
        { identity, resource: keyPolicy ? [keyPolicy] : [], sameAccount },
        { action, resource: m.values.symOfResource(key, 'Arn'), principal: { arn, account }, context });
      if (!best || rank(result) > rank(best)) best = result;
    }
    const what = `${action} (for ${listText(s3Actions)})`;
    if (best!.decision === 'allow' && !best!.uncertain) continue;
    if (best!.optimisticDecision === 'allow') unsure.push(what);
    else denied.push(what);
  }
  if (denied.length > 0) {
    report.fail(b.res, `${who} may not use ${listText(denied)} on key ${key.path} of SSE-KMS bucket ${b.res.path}`
      + (vpceBound ? ': the key policy conditions on aws:SourceVpce/aws:SourceVpc, which the KMS calls S3 makes on the '
        + 'workload\'s behalf do not carry' : ': neither its identity policies nor the key policy allow it'), { subjects });
  }
  if (unsure.length > 0) {
    report.cannotJudge(b.res, `whether ${who} may use ${listText(unsure)} on key ${key.path} of SSE-KMS bucket `
      + `${b.res.path}: it depends on values not resolved at synth time`, { subjects });
  }
}

function rank(r: EvaluationResult): number {
  if (r.decision === 'allow' && !r.uncertain) return 2;
  return r.optimisticDecision === 'allow' ? 1 : 0;
}
