import type { Model } from '../../model/model';
import { ConditionEntry, conditionEntries, effectOf, policyDocuments, statementsOfDoc } from '../../model/policy-conditions';
import { ModelResource } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/** The single-valued network keys judged here, in lower case, and how they are written. */
const KEYS: Record<string, string> = {
  'aws:sourcevpce': 'aws:SourceVpce',
  'aws:sourcevpc': 'aws:SourceVpc',
  'aws:sourcevpcarn': 'aws:SourceVpcArn',
  'aws:sourceip': 'aws:SourceIp',
};

/** Which requests carry no value for a key, in a kind of policy. */
function missingFor(keyLower: string, kind: 'bucket' | 'identity' | 'endpoint'): 'never' | 'always' | string {
  if (keyLower === 'aws:sourceip') {
    // a request through a VPC endpoint carries aws:VpcSourceIp instead
    return kind === 'endpoint' ? 'always' : 'requests through a VPC endpoint (they carry aws:VpcSourceIp instead)';
  }
  // every request through an endpoint carries them, and an endpoint policy sees no other request
  return kind === 'endpoint' ? 'never' : 'requests that come through no VPC endpoint (from the internet or through NAT, '
    + 'the console, CloudFormation)';
}

/**
 * S3PA-SetOperatorSingleValued: `ForAllValues:` or `ForAnyValue:` on a single-valued key (`aws:SourceVpce`,
 * `aws:SourceVpc`, `aws:SourceVpcArn`, `aws:SourceIp`). A request carries at most one value for these keys, so the
 * set operator changes nothing when the key is present and only decides what a request without the key gets:
 * `ForAllValues:` is true on a missing key (the empty set), `ForAnyValue:` false (the IAM guide, "Single-valued vs.
 * multivalued context keys": set operators are for multivalued keys only). The real effect is judged by comparing
 * that with the plain operator on a missing key (false for positive operators, true for negated ones and `IfExists`).
 */
export const setOperatorSingleValued: Rule = {
  id: 'S3PA-SetOperatorSingleValued',
  level: 'error',
  symptom: 'A bucket perimeter lets requests from outside the VPC through (or denies every request without the key), '
    + 'because a set operator on aws:SourceVpce/aws:SourceVpc/aws:SourceIp does not mean what it reads as.',
  description: 'A bucket, identity or endpoint policy uses ForAllValues: or ForAnyValue: with a single-valued key '
    + '(aws:SourceVpce, aws:SourceVpc, aws:SourceVpcArn, aws:SourceIp). On a request that carries no value for the key '
    + 'ForAllValues: is true and ForAnyValue: false, whatever the values: a Deny with ForAnyValue:StringNotEquals no '
    + 'longer denies requests that come through no endpoint, an Allow with ForAllValues:StringEquals grants them, a '
    + 'Deny with ForAllValues:StringEquals denies them all.',
  fix: 'drop the set operator: use the plain operator (StringNotEquals, StringEquals, NotIpAddress...) with these keys',
  appliesWhen: 'Any policy of the app or read by --live with such a condition. An error when the set operator really '
    + 'changes who gets through: a Deny that stops applying to requests without the key (they are let through), an '
    + 'Allow that starts granting them, or a Deny with no other condition that starts denying them all (a lockout); a '
    + 'warning when it changes nothing (the key is always present, e.g. aws:SourceVpce in an endpoint policy, or the '
    + 'plain operator gives the same on a missing key) or only narrows an Allow, or the Deny carries other conditions.',
  guard: 'Only these single-valued keys are judged (set operators are right for multivalued keys such as aws:TagKeys); '
    + 'the effect is judged per kind of policy (in an endpoint policy aws:SourceVpce and aws:SourceVpc are always '
    + 'present and aws:SourceIp never is); a lockout is an error only for a Deny the condition alone decides.',
  hops: ['bucket-policy', 'endpoint-policy'],
  check(m: Model, report: Reporter): void {
    for (const p of policyDocuments(m, ['bucket', 'identity'])) {
      const subjects = p.bucket && 'res' in p.bucket ? { buckets: [p.bucket.res.key] } : {};
      judgeDoc(report, p.res, p.document, p.kind as 'bucket' | 'identity', subjects, 'bucket-policy');
    }
    for (const ep of m.endpoints) {
      if (ep.policyDocument !== undefined) judgeDoc(report, ep.res, ep.policyDocument, 'endpoint', { endpoints: [ep.res.key] }, 'endpoint-policy');
    }
  },
};

function judgeDoc(report: Reporter, res: ModelResource, doc: any, kind: 'bucket' | 'identity' | 'endpoint',
  subjects: { buckets?: string[]; endpoints?: string[] }, hop: 'bucket-policy' | 'endpoint-policy'): void {
  for (const st of statementsOfDoc(doc)) {
    const effect = effectOf(st);
    if (!effect) continue;
    const entries = conditionEntries(st);
    for (const entry of entries) {
      const key = KEYS[entry.keyLower];
      if (!key || !entry.setOperator || entry.base === 'Null') continue;
      const set = entry.setOperator.toLowerCase() === 'forallvalues' ? 'ForAllValues' : 'ForAnyValue';
      const alone = entries.length === 1;
      const judged = judgeEntry(entry, set, effect, missingFor(entry.keyLower, kind), alone);
      const text = `${policyText(kind)} ${res.path} ${effect === 'deny' ? 'denies' : 'allows'} with ${entry.operator} on ${key}, `
        + `a single-valued key: ${judged.effect}`;
      // the requests without the key are those the finding is about (none in particular when the operator changes nothing)
      const via = kind === 'endpoint' || !judged.changes ? {} : { via: [entry.keyLower === 'aws:sourceip' ? 'endpoint' : 'no-endpoint'] };
      const options = { subjects: { ...subjects, ...via }, hop, fix: `${setOperatorSingleValued.fix}: ${plainOperator(entry)} on ${key}` };
      if (judged.error) report.fail(res, text, options);
      else report.warn(res, text, options);
    }
  }
}

function policyText(kind: 'bucket' | 'identity' | 'endpoint'): string {
  return kind === 'bucket' ? 'bucket policy' : kind === 'endpoint' ? 'the policy of S3 endpoint' : 'identity policy';
}

function plainOperator(entry: ConditionEntry): string {
  return entry.operator.slice(entry.operator.indexOf(':') + 1);
}

/** The real effect of the set operator, against the plain operator, on the requests that carry no value. */
function judgeEntry(entry: ConditionEntry, set: 'ForAllValues' | 'ForAnyValue', effect: 'allow' | 'deny',
  missing: string, alone: boolean): { error: boolean; effect: string; changes: boolean } {
  const plainOnMissing = entry.ifExists || entry.negated;
  const setOnMissing = set === 'ForAllValues';
  const same = `it compares the one value a request carries just as ${plainOperator(entry)} does`;
  if (missing === 'never' || setOnMissing === plainOnMissing) {
    const why = missing === 'never' ? 'every request through an endpoint carries the key'
      : `on a request without the key it gives ${String(setOnMissing)}, as ${plainOperator(entry)} does`;
    return { error: false, effect: `${same}, and ${why}: no effect, but misleading`, changes: false };
  }
  const who = missing === 'always' ? 'every request through the endpoint (none carries aws:SourceIp)' : missing;
  const on = `${set}: is ${String(setOnMissing)} on a request without the key, where ${plainOperator(entry)} is ${String(plainOnMissing)}`;
  if (effect === 'deny' && !setOnMissing) {
    return { error: missing !== 'always', effect: `${on}, so the Deny does not apply to ${who}: they are let through`, changes: true };
  }
  if (effect === 'deny') {
    const tail = alone ? '' : ' (unless its other conditions exempt them)';
    return { error: alone, effect: `${on}, so the Deny applies to ${who}${tail}: they get 403`, changes: true };
  }
  if (setOnMissing) {
    return { error: missing !== 'always', effect: `${on}, so the Allow grants ${who}, whatever the values: they are let through`, changes: true };
  }
  return { error: false, effect: `${on}, so the Allow never grants ${who}: if nothing else allows them, they get 403`, changes: true };
}
