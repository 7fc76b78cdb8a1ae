/**
 * The policy hops of an explained path: the endpoint policy, the bucket policy, the identity policy and the KMS key.
 * Each evaluates the request with the IAM evaluator the rules use, and takes its verdict from the covering rules
 * where they report.
 *
 * Internal: not exported from the package's index.
 */
import { HopSpec, keys, OwnVerdict, PathContext } from './hop';
import { roleArns } from '../model/grants';
import { ContextValue, evaluateAll, evaluatePolicy, EvaluationResult, IamRequest, IamStatement } from '../model/iam';
import { listText } from '../model/s3-reach';
import { EndpointNode, isUnknown, ModelResource, RoleNode } from '../model/types';

/** `allow`, `deny` or `unsure` (the outcome depends on unresolved values), with the deciding statements. */
interface Outcome {
  readonly kind: 'allow' | 'deny' | 'implicit-deny' | 'unsure';
  readonly result: EvaluationResult;
}

function outcomeOf(result: EvaluationResult): Outcome {
  if (result.decision === 'allow' && !result.uncertain) return { kind: 'allow', result };
  if (result.uncertain) return { kind: 'unsure', result };
  return { kind: result.decision === 'deny' ? 'deny' : 'implicit-deny', result };
}

const RANK = { 'allow': 3, 'unsure': 2, 'implicit-deny': 1, 'deny': 0 };

/** The best outcome over the ARNs a role may be named by (policies name roles symbolically or literally). */
function bestOver(principals: Array<IamRequest['principal']>, evaluate: (p: IamRequest['principal']) => EvaluationResult): Outcome {
  let best: Outcome | undefined;
  for (const p of principals.length > 0 ? principals : [undefined]) {
    const o = outcomeOf(evaluate(p));
    if (!best || RANK[o.kind] > RANK[best.kind]) best = o;
  }
  return best!;
}

function principalsOf(c: PathContext, role: RoleNode): Array<IamRequest['principal']> {
  const account = role.res.stack.account ?? '{{AWS::AccountId}}';
  return roleArns(c.m, role).map(arn => ({ arn, account }));
}

function statementsText(statements: IamStatement[]): string {
  const names = statements.map(s => (s.sid ? `statement ${s.sid}` : `statement #${s.index + 1}`));
  return names.length > 0 ? ` (${listText([...new Set(names)])})` : '';
}

/** The request context through the path's first S3 gateway endpoint (none when the path has no endpoint). */
function contextOf(c: PathContext, ep: EndpointNode | undefined): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = { 'aws:SecureTransport': true, 'aws:ViaAWSService': false };
  if (ep) {
    ctx['aws:SourceVpce'] = c.m.values.symOfResource(ep.res);
    if (!isUnknown(ep.vpc)) ctx['aws:SourceVpc'] = c.m.values.symOfResource(ep.vpc.res);
  }
  if (c.bucket.account) {
    ctx['aws:ResourceAccount'] = c.bucket.account;
    ctx['s3:ResourceAccount'] = c.bucket.account;
  }
  return ctx;
}

export function endpointPolicyHop(c: PathContext): HopSpec {
  const { action, resource } = c.request;
  const evidence: string[] = [];
  let own: OwnVerdict | undefined;
  for (const ep of c.gateways) {
    if (ep.policyDocument === undefined) {
      evidence.push(`S3 gateway endpoint ${ep.res.path} has no PolicyDocument: AWS's default policy allows every request`);
      continue;
    }
    const doc = c.m.symDoc(ep.res, ep.policyDocument);
    const context = contextOf(c, ep);
    const principals = c.bucket.awsOwned ? [] : c.roles.flatMap(r => principalsOf(c, r));
    const o = bestOver(principals, principal => evaluatePolicy(doc, { action, resource, principal, context }, { gatewayEndpoint: true }));
    const who = c.bucket.awsOwned ? 'for AWS\'s requests on the workload\'s behalf (no principal)'
      : `for role ${listText(c.roles.map(r => r.res.path))}`;
    if (o.kind === 'allow') {
      evidence.push(`the policy of ${ep.res.path} allows ${action} on ${resource} ${who}${statementsText(o.result.allowedBy)}`);
    } else if (o.kind === 'unsure') {
      evidence.push(`whether the policy of ${ep.res.path} allows ${action} on ${resource} ${who} depends on values not resolved at synth time`
        + statementsText(o.result.unknownStatements));
      own = own ?? { verdict: 'cannot-judge', fix: 'check the endpoint policy by hand, or make its values resolvable at synth time' };
    } else {
      evidence.push(`the policy of ${ep.res.path} does not allow ${action} on ${resource} ${who}`
        + (o.kind === 'deny' ? `: denied by${statementsText(o.result.deniedBy)}` : ': no statement allows it'));
      own = {
        verdict: 'fail',
        fix: c.bucket.awsOwned ? `add ${c.bucket.awsOwned} to the allowed AWS-owned buckets of the endpoint policy`
          : `allow ${action} on ${resource} in the policy of S3 gateway endpoint ${ep.res.path}`,
      };
    }
  }
  return {
    name: 'endpoint-policy',
    title: 'endpoint policy',
    resources: keys(...c.gateways.map(ep => ep.res)),
    evidence,
    notApplicable: c.gateways.length === 0 ? 'no S3 gateway endpoint on the path: no endpoint policy applies' : undefined,
    own,
  };
}

export function bucketPolicyHop(c: PathContext): HopSpec {
  const { action, resource } = c.request;
  const base = { name: 'bucket-policy' as const, title: 'bucket policy' };
  const b = c.bucket.node;
  if (!b) {
    return c.bucket.awsOwned
      ? { ...base, resources: new Set(), evidence: [], notApplicable: `${c.bucket.name} is an AWS-owned bucket (${c.bucket.awsOwned}): AWS keeps its policy` }
      : {
        ...base,
        resources: new Set(),
        evidence: [`bucket ${c.bucket.name} is not defined in the app: its bucket policy cannot be read`],
        own: { verdict: 'cannot-judge', fix: `check the bucket policy of ${c.bucket.name} by hand (aws s3api get-bucket-policy --bucket ${c.bucket.name})` },
      };
  }
  const evidence: string[] = [];
  let own: OwnVerdict | undefined;
  if (b.policies.length === 0) evidence.push(`bucket ${b.res.path} has no bucket policy: the identity policy decides (same account)`);
  const context = contextOf(c, c.gateways[0]);
  if (c.gateways.length === 0 && c.w.subnets.length > 0) evidence.push('the request reaches S3 through no endpoint: it carries no aws:SourceVpce or aws:SourceVpc');
  for (const p of b.policies) {
    const doc = c.m.symDoc(p.res, p.document);
    const o = bestOver(c.roles.flatMap(r => principalsOf(c, r)), principal => evaluatePolicy(doc, { action, resource, principal, context }));
    const subject = `bucket policy ${p.res.path}`;
    if (o.kind === 'deny') {
      evidence.push(`${subject} denies ${action} on ${resource} to ${listText(c.roles.map(r => r.res.path))}${statementsText(o.result.deniedBy)}`);
      own = { verdict: 'fail', fix: `change the Deny statement of ${subject} so that requests of the workload through the endpoint do not match it` };
    } else if (o.kind === 'unsure') {
      evidence.push(`whether ${subject} denies ${action} on ${resource} depends on values not resolved at synth time${statementsText(o.result.unknownStatements)}`);
      own = own ?? { verdict: 'cannot-judge', fix: 'check the bucket policy by hand, or make its values resolvable at synth time' };
    } else if (o.kind === 'allow') {
      evidence.push(`${subject} allows ${action} on ${resource}${statementsText(o.result.allowedBy)}`);
    } else {
      evidence.push(`${subject} neither allows nor denies ${action} on ${resource}: the identity policy decides (same account)`);
    }
  }
  return { ...base, resources: keys(b.res, ...b.policies.map(p => p.res)), evidence, own };
}

export function identityPolicyHop(c: PathContext): HopSpec {
  const { action, resource } = c.request;
  const base = { name: 'identity-policy' as const, title: 'identity policy' };
  const resources: ModelResource[] = c.roles.flatMap(r => [r.res, ...r.policies.map(p => p.res)]);
  if (c.bucket.awsOwned) {
    return {
      ...base,
      resources: keys(...resources),
      evidence: [],
      notApplicable: `${c.bucket.name} is an AWS-owned bucket: AWS authorizes those reads itself (presigned URLs, public repositories)`,
    };
  }
  const fix = `grant ${action} on ${resource} to the workload's role: S3PrivateAccess.grantRead/grantWrite/grantReadWrite `
    + '(or bucket.grantRead/grantWrite), with the key prefix the workload uses';
  if (c.roles.length === 0) {
    return { ...base, resources: new Set(), evidence: [`${c.w.res.path} runs as no role of the app`], own: { verdict: 'fail', fix } };
  }
  const evidence: string[] = [];
  let best: OwnVerdict | undefined = { verdict: 'fail', fix };
  for (const role of c.roles) {
    const docs = role.policies.map(p => c.m.symDoc(p.res, p.document));
    const request = (principal: IamRequest['principal']) => ({ action, resource, principal, context: contextOf(c, c.gateways[0]) });
    const o = bestOver(principalsOf(c, role), p => evaluateAll({ identity: docs, sameAccount: true }, request(p)));
    const external = role.externalManagedPolicyArns.map(a => (isUnknown(a) ? a.what : a)).filter(a => !grantsNoS3(a));
    if (o.kind === 'allow') {
      const by = role.policies.filter(p => evaluatePolicy(c.m.symDoc(p.res, p.document), request(principalsOf(c, role)[0])).decision === 'allow');
      evidence.push(`role ${role.res.path} is allowed ${action} on ${resource}${by.length > 0 ? ` by ${listText(by.map(p => p.res.path))}` : ''}`);
      best = undefined;
      continue;
    }
    if (o.kind === 'deny') {
      evidence.push(`an identity policy of role ${role.res.path} denies ${action} on ${resource}${statementsText(o.result.deniedBy)}`);
      continue;
    }
    const sameAccount = !c.bucket.account || !role.res.stack.account || c.bucket.account === role.res.stack.account;
    const grantedByBucket = sameAccount && c.bucket.node?.policies.some(p => {
      const doc = c.m.symDoc(p.res, p.document);
      const r = bestOver(principalsOf(c, role), pr => evaluatePolicy(doc, request(pr))).result;
      return r.decision === 'allow' && !r.uncertain && !r.allowedForAccountOnly;
    });
    if (grantedByBucket) {
      evidence.push(`role ${role.res.path}'s policies do not allow ${action} on ${resource}, but the bucket policy grants it to the role (same account)`);
      best = undefined;
    } else if (o.kind === 'unsure' || external.length > 0) {
      evidence.push(`whether role ${role.res.path} is allowed ${action} on ${resource} depends on `
        + (external.length > 0 ? `managed policies not defined in the app (${listText(external)})` : 'values not resolved at synth time'));
      if (best?.verdict === 'fail') best = { verdict: 'cannot-judge', fix: 'check the role\'s policies by hand' };
    } else {
      evidence.push(`no identity policy of role ${role.res.path} allows ${action} on ${resource}`);
    }
  }
  return { ...base, resources: keys(...resources), evidence, own: best };
}

/** AWS managed policies that workloads commonly carry and that allow no S3 action (they cannot grant the request). */
const NO_S3_MANAGED = new Set([
  'service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AmazonECSTaskExecutionRolePolicy', 'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy',
  'AWSXRayDaemonWriteAccess',
]);

function grantsNoS3(arn: string): boolean {
  const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
  return name !== undefined && NO_S3_MANAGED.has(name);
}

export function kmsHop(c: PathContext): HopSpec {
  const base = { name: 'kms' as const, title: 'KMS key' };
  const b = c.bucket.node;
  if (!b) {
    return c.bucket.awsOwned
      ? { ...base, resources: new Set(), evidence: [], notApplicable: `${c.bucket.name} is an AWS-owned bucket: its encryption is AWS's concern` }
      : {
        ...base,
        resources: new Set(),
        evidence: [`bucket ${c.bucket.name} is not defined in the app: its default encryption cannot be read`],
        own: { verdict: 'cannot-judge', fix: `check the encryption of ${c.bucket.name} and its key policy by hand` },
      };
  }
  if (!c.request.objectAction) {
    return { ...base, resources: keys(b.res), evidence: [], notApplicable: `${c.request.action} acts on the bucket, not on objects: S3 makes no KMS call` };
  }
  if (!b.sseKms) {
    return { ...base, resources: keys(b.res), evidence: [], notApplicable: `bucket ${b.res.path} is not encrypted with SSE-KMS by default: no KMS key on the path` };
  }
  const key = b.kmsKey === undefined ? 'the AWS managed key aws/s3 (usable by every principal of the account)'
    : isUnknown(b.kmsKey) ? `${b.kmsKey.what} (not defined in the app)` : `key ${b.kmsKey.path}`;
  return { ...base, resources: keys(b.res), evidence: [`bucket ${b.res.path} is encrypted with SSE-KMS: ${key}`] };
}
