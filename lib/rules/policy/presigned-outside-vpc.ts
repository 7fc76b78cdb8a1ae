import { GrantIndex, judgedEntries, roleArns } from '../../model/grants';
import { listOf, listText, unique } from '../../model/helpers';
import { EvaluationResult, evaluatePolicy } from '../../model/iam';
import type { Model } from '../../model/model';
import { bucketPolicyVerdict, s3RequestContext } from '../../model/s3-routes';
import { BucketNode, ModelResource } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/** The network keys whose Deny restricts a bucket to an endpoint or a VPC. */
const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourcevpcarn']);

/** The actions presigned URLs are made for. */
const PRESIGNED_ACTIONS = new Set(['s3:GetObject', 's3:PutObject']);

/**
 * S3PA-PresignedOutsideVpc: a bucket whose policy denies requests that come through no VPC endpoint (a Deny on
 * `aws:SourceVpce` / `aws:SourceVpc`) while something hands its objects to clients outside the VPC: a CORS
 * configuration (browsers call the bucket from wherever they are), or a Lambda function that names the bucket in its
 * environment, is granted s3:GetObject or s3:PutObject on it and is reachable from outside (a function URL, API
 * Gateway). A presigned URL is signed by the function's role, but the request is made by the client, from outside the
 * VPC, so it carries no aws:SourceVpce and the Deny answers 403.
 *
 * Each case is judged with the bucket policy's own decision on a request through no endpoint (of an arbitrary
 * principal of the bucket's account for CORS, of the function's role for presigning), so exempted roles pass.
 */
export const presignedOutsideVpc: Rule = {
  id: 'S3PA-PresignedOutsideVpc',
  level: 'warning',
  symptom: 'Presigned URLs (or browser uploads and downloads through CORS) get 403 Access Denied when used outside '
    + 'the VPC, although the signing role is allowed.',
  description: 'A bucket policy denies requests that come through no VPC endpoint (Deny on aws:SourceVpce or '
    + 'aws:SourceVpc), and the bucket has a CorsConfiguration (browsers use it from outside the VPC), or a Lambda '
    + 'function that names the bucket in its environment and is granted s3:GetObject/s3:PutObject on it is reachable '
    + 'from outside (an AWS::Lambda::Url, or API Gateway\'s invoke permission), which is how presigning services look: '
    + 'a presigned URL carries the signer\'s permissions but not the VPC, so its requests are denied.',
  fix: 'serve clients outside the VPC another way (CloudFront with origin access control, or a proxy in the VPC), or '
    + 'exempt the presigning role from the endpoint condition for the actions it presigns (aws:PrincipalArn) and drop '
    + 'the CORS configuration if browsers are not meant to call the bucket',
  appliesWhen: 'A bucket restricted to an endpoint or a VPC by a Deny, with CORS or a function that presigns for it. '
    + 'A warning: the app does not show whether the URLs are used outside the VPC (clients in the VPC through the '
    + 'endpoint succeed). --live reads bucket CORS configurations, but not function URLs or API Gateway, so it judges '
    + 'the CORS case only.',
  guard: 'The Deny is judged by the bucket policy\'s decision on a request through no endpoint: an exempted principal '
    + '(aws:PrincipalArn) passes; a function is taken as presigning only when it names the bucket in its environment, '
    + 'is granted GetObject or PutObject on it and has a function URL or API Gateway invoke permission; values not '
    + 'resolved at synth time make it a "cannot judge" warning.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    const fronted = frontedFunctions(m);
    const grants = GrantIndex.of(m);
    for (const b of m.buckets) {
      if (b.policies.length === 0) continue;
      if (b.res.props.CorsConfiguration !== undefined) judgeCors(m, report, b);
      for (const fn of m.ofType('AWS::Lambda::Function')) {
        const front = fronted.get(fn.key);
        if (!front || !namesBucket(m, fn, b)) continue;
        const role = m.role(m.target(fn, fn.props.Role));
        if (!role) continue;
        const grant = grants.ofRole(role).byBucket.get(b.res.key);
        const entries = grant ? judgedEntries(grant).filter(e => e.probe && PRESIGNED_ACTIONS.has(e.action)) : [];
        const denied: string[] = [];
        const unsure: string[] = [];
        for (const e of entries) {
          const v = bucketPolicyVerdict(m, grant!.bucket, role, roleArns(m, role), e.action, e.probe!, undefined);
          if (!v || v.kind === 'pass' || !byNetworkKey(v.result, v.kind === 'unsure')) continue;
          (v.kind === 'deny' ? denied : unsure).push(e.action);
        }
        const subjects = { buckets: [b.res.key], roles: [role.res.key], via: ['no-endpoint'] };
        const who = `function ${fn.path} (${listText(front)}), which names bucket ${b.res.path} in its environment`;
        if (denied.length > 0) {
          report.warn(b.policies[0].res, `the policy of bucket ${b.res.path} denies requests that come through no VPC `
            + `endpoint, and ${who}, may presign ${listText(unique(denied))} for clients outside the VPC: those URLs get 403`,
          { subjects: { ...subjects, actions: unique(denied) } });
        } else if (unsure.length > 0) {
          report.cannotJudge(b.policies[0].res, `whether the policy of bucket ${b.res.path} denies the presigned `
            + `${listText(unique(unsure))} of ${who}, used outside the VPC: it depends on values not resolved at synth time`,
          { subjects: { ...subjects, actions: unique(unsure) } });
        }
      }
    }
  },
};

function judgeCors(m: Model, report: Reporter, b: BucketNode): void {
  const account = b.res.stack.account ?? '{{AWS::AccountId}}';
  const principal = { arn: `arn:${b.res.stack.partition}:iam::${account}:role/s3pa-presigning-probe`, account };
  const resource = `arn:${b.res.stack.partition}:s3:::${m.values.symOfResource(b.res)}/s3pa-probe`;
  const context = s3RequestContext(m, undefined, { account: b.res.stack.account });
  for (const p of b.policies) {
    const result = evaluatePolicy(m.symDoc(p.res, p.document), { action: 's3:GetObject', resource, principal, context });
    const subjects = { buckets: [b.res.key], actions: ['s3:GetObject'], via: ['no-endpoint'] };
    if (result.optimisticDecision === 'deny' && byNetworkKey(result)) {
      report.warn(p.res, `bucket ${b.res.path} has a CORS configuration, so browsers outside the VPC call it, but its policy `
        + `${p.res.path} denies requests that come through no VPC endpoint: their requests (and presigned URLs they use) get 403`,
      { subjects });
      return;
    }
    if (result.decision === 'deny' && byNetworkKey(result, true)) {
      report.cannotJudge(p.res, `whether policy ${p.res.path} denies browser requests to bucket ${b.res.path}, which has a `
        + 'CORS configuration, from outside the VPC: it depends on values not resolved at synth time', { subjects });
      return;
    }
  }
}

/** Whether the Deny that decides is one on a network key (an endpoint or VPC restriction). */
function byNetworkKey(result: EvaluationResult, unknown = false): boolean {
  const statements = unknown ? [...result.deniedBy, ...result.unknownStatements] : result.deniedBy;
  return statements.some(s => s.effect === 'Deny' && s.conditions.some(c => NETWORK_KEYS.has(c.key)));
}

/** Functions reachable from outside the VPC, with how: a function URL, an API Gateway invoke permission. */
function frontedFunctions(m: Model): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (from: ModelResource, ref: any, how: string) => {
    const fn = m.target(from, ref);
    if (fn?.type !== 'AWS::Lambda::Function') return;
    const list = out.get(fn.key) ?? [];
    if (!list.includes(how)) list.push(how);
    out.set(fn.key, list);
  };
  for (const url of m.ofType('AWS::Lambda::Url')) add(url, url.props.TargetFunctionArn, `function URL ${url.path}`);
  for (const perm of m.ofType('AWS::Lambda::Permission')) {
    const principal = m.str(perm, perm.props.Principal);
    if (principal === 'apigateway.amazonaws.com') add(perm, perm.props.FunctionName, 'invoked by API Gateway');
  }
  for (const integ of m.ofType('AWS::ApiGatewayV2::Integration')) add(integ, integ.props.IntegrationUri, 'invoked by API Gateway');
  return out;
}

/** Whether a function's environment names the bucket (a reference to it, or its literal name). */
function namesBucket(m: Model, fn: ModelResource, b: BucketNode): boolean {
  const vars = fn.props.Environment?.Variables;
  if (!vars || typeof vars !== 'object') return false;
  return Object.values(vars).some(v => m.target(fn, v)?.key === b.res.key
    || (typeof b.bucketName === 'string' && listOf(v).includes(b.bucketName)));
}
