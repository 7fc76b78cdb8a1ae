import { CLOUDFORMATION_RESPONSES, fillArnPattern } from '../../aws/aws-owned-buckets';
import { listText, unique } from '../../model/helpers';
import { evaluatePolicy } from '../../model/iam';
import type { Model } from '../../model/model';
import { perimeterKeysOfAllows } from '../../model/policy-conditions';
import { endpointRegion } from '../../model/s3-reach';
import { S3Route, s3RequestContext, s3RoutesOf } from '../../model/s3-routes';
import { EndpointNode, ModelResource, WorkloadNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/** The response bucket patterns: custom resources (region without dashes) and wait conditions (with them). */
const CUSTOM_RESOURCE_BUCKET = CLOUDFORMATION_RESPONSES.objectArnPatterns.find(p => p.includes('custom-resource-response'))!;
const WAIT_CONDITION_BUCKET = CLOUDFORMATION_RESPONSES.objectArnPatterns.find(p => p.includes('waitcondition'))!;

/** A workload that answers CloudFormation through a presigned S3 URL, and what it answers. */
interface Responder {
  readonly workload: WorkloadNode;
  readonly pattern: string;
  /** What it answers, for messages: `custom resource Stack/Thing/Default`. */
  readonly answers: string[];
}

/**
 * S3PA-CustomResourceResponse: a Lambda function in the VPC answers a custom resource (it is the `ServiceToken`, or a
 * CDK Provider framework's `isComplete`/`onTimeout` function of a provider whose `onEvent` function is), or an
 * instance or Auto Scaling group signals a `WaitConditionHandle` (its user data names the handle's URL), while the S3
 * endpoint its subnets route through does not allow `s3:PutObject` on CloudFormation's response bucket. The response
 * is a PUT to a URL CloudFormation presigned, so it is evaluated with no principal, like the other AWS-owned buckets.
 *
 * The user functions behind a Provider framework (`onEventHandler`, `isCompleteHandler`) do not answer
 * CloudFormation themselves: the framework's functions do, and those outside the VPC are not affected.
 */
export const customResourceResponse: Rule = {
  id: 'S3PA-CustomResourceResponse',
  level: 'error',
  symptom: 'The deployment hangs for an hour on a custom resource (or until a wait condition times out) and then '
    + 'fails, although the function ran: its response never reached CloudFormation.',
  description: 'A VPC-attached Lambda function that answers a custom resource (AWS::CloudFormation::CustomResource or '
    + 'Custom::*, directly as its ServiceToken or as the isComplete/onTimeout function of a CDK Provider framework), or '
    + 'an instance or Auto Scaling group whose user data signals an AWS::CloudFormation::WaitConditionHandle, sits in '
    + 'subnets that route S3 through an endpoint whose policy does not allow s3:PutObject on CloudFormation\'s response '
    + 'bucket (`cloudformation-custom-resource-response-<region without dashes>/*`, '
    + '`cloudformation-waitcondition-<region>/*`): the response URL is presigned by CloudFormation and the PUT gets 403.',
  fix: 'allow s3:PutObject on CloudFormation\'s response buckets in the endpoint policy, for Principal "*" with no '
    + 'principal conditions (AwsOwnedBuckets.CLOUDFORMATION_RESPONSES in the construct\'s restricted endpoint policy), '
    + 'or run the function outside the VPC',
  appliesWhen: 'A custom resource\'s responding function (or a signalling instance) runs in subnets that route S3 '
    + 'through an endpoint with a policy that denies that PUT. An error when every subnet of the responder routes '
    + 'through such an endpoint (the response never arrives: the stack waits an hour, or the wait condition\'s timeout, '
    + 'then fails); a warning when only some do (some deployments hang). Synth time only: --live reads no stacks\' '
    + 'custom resources, so it cannot judge this.',
  guard: 'Only the functions that answer CloudFormation are judged (the ServiceToken, a Provider framework\'s '
    + 'isComplete/onTimeout functions), not the user handlers behind a Provider framework or framework functions '
    + 'outside the VPC; instances only when their user data names a wait condition handle (cfn-signal with '
    + '--resource and a CreationPolicy calls the CloudFormation API, not S3); an SNS ServiceToken is not judged.',
  hops: ['endpoint-policy'],
  check(m: Model, report: Reporter): void {
    for (const r of responders(m)) judge(m, report, r);
  },
};

function judge(m: Model, report: Reporter, r: Responder): void {
  const routes = s3RoutesOf(m, r.workload);
  const byEndpoint = new Map<string, { ep: EndpointNode; routes: S3Route[] }>();
  for (const route of routes) {
    const ep = route.endpoint;
    if ((route.via !== 'gateway' && route.via !== 'interface') || !ep || ep.policyDocument === undefined) continue;
    const entry = byEndpoint.get(ep.res.key) ?? { ep, routes: [] };
    entry.routes.push(route);
    byEndpoint.set(ep.res.key, entry);
  }
  const what = `${listText(r.answers)} (answered by ${r.workload.res.path})`;
  for (const { ep, routes: through } of byEndpoint.values()) {
    const region = endpointRegion(ep);
    const subjects = { endpoints: [ep.res.key], workloads: [r.workload.res.key], subnets: through.map(x => x.subnet.res.key) };
    if (!region) {
      report.cannotJudge(ep.res, `whether the policy of S3 endpoint ${ep.res.path} lets ${what} answer CloudFormation: the `
        + 'response bucket\'s name depends on the region, which the environment-agnostic stack does not fix', { subjects });
      continue;
    }
    const arn = fillArnPattern(r.pattern, region, ep.res.stack.partition);
    const bucket = arn.replace(/^arn:[^:]*:s3:::/, '').split('/')[0];
    const doc = m.symDoc(ep.res, ep.policyDocument);
    const result = evaluatePolicy(doc, { action: 's3:PutObject', resource: arn.replace(/\*/g, 's3pa-probe'), context: s3RequestContext(m, ep) });
    const withBucket = { ...subjects, buckets: [`external:${bucket}`], actions: ['s3:PutObject'] };
    if (result.decision === 'allow' && !result.uncertain) continue;
    if (result.optimisticDecision === 'allow') {
      report.cannotJudge(ep.res, `whether the policy of S3 endpoint ${ep.res.path} allows s3:PutObject on ${arn} for `
        + `${what}: it depends on values not resolved at synth time`, { subjects: withBucket });
      continue;
    }
    const perimeter = perimeterKeysOfAllows(doc);
    const why = perimeter.length > 0 ? ` (its Allow statements are conditioned on ${listText(perimeter)}, which the `
      + 'presigned response never matches)' : '';
    const all = through.length === routes.length;
    const outcome = all ? 'the response PUT gets 403 and the deployment hangs until CloudFormation times out'
      : `responses from subnet${through.length > 1 ? 's' : ''} ${listText(through.map(x => x.subnet.res.path))} get 403, so `
        + 'some deployments hang until CloudFormation times out';
    report.failIf(all, ep.res, `the policy of S3 endpoint ${ep.res.path} does not allow s3:PutObject on ${arn}${why}, `
      + `CloudFormation's response bucket for ${what}: ${outcome}`, { subjects: withBucket });
  }
}

/** The workloads that answer CloudFormation through its response bucket. */
function responders(m: Model): Responder[] {
  const lambdas = new Map(m.workloads.filter(w => w.kind === 'lambda').map(w => [w.res.key, w]));
  const out = new Map<string, Responder>();
  const add = (w: WorkloadNode | undefined, pattern: string, answers: string) => {
    if (!w) return;
    const key = `${w.res.key}|${pattern}`;
    const entry = out.get(key) ?? { workload: w, pattern, answers: [] };
    if (!entry.answers.includes(answers)) entry.answers.push(answers);
    out.set(key, entry);
  };
  for (const cr of m.resources) {
    if (cr.type !== 'AWS::CloudFormation::CustomResource' && !cr.type.startsWith('Custom::')) continue;
    const fn = m.target(cr, cr.props.ServiceToken);
    if (fn?.type !== 'AWS::Lambda::Function') continue;
    const answers = `custom resource ${cr.path}`;
    add(lambdas.get(fn.key), CUSTOM_RESOURCE_BUCKET, answers);
    // a Provider framework with isComplete: its waiter's functions send the response
    for (const waiter of frameworkWaiters(m, fn)) add(lambdas.get(waiter.key), CUSTOM_RESOURCE_BUCKET, answers);
  }
  for (const handle of m.ofType('AWS::CloudFormation::WaitConditionHandle')) {
    const marker = JSON.stringify({ Ref: handle.logicalId });
    for (const w of m.workloads) {
      if (w.kind !== 'ec2-instance' && w.kind !== 'autoscaling-group') continue;
      if (w.res.stack.id !== handle.stack.id) continue;
      const text = JSON.stringify(w.res.props) + JSON.stringify(w.definition?.props ?? {});
      if (text.includes(marker)) add(w, WAIT_CONDITION_BUCKET, `wait condition handle ${handle.path}`);
    }
  }
  return [...out.values()];
}

/**
 * The `isComplete` and `onTimeout` functions of the CDK Provider framework whose `onEvent` function is `onEvent`:
 * they carry the same user functions in their environment (`USER_ON_EVENT_FUNCTION_ARN`, `USER_IS_COMPLETE_FUNCTION_ARN`).
 */
function frameworkWaiters(m: Model, onEvent: ModelResource): ModelResource[] {
  const env = (res: ModelResource) => res.props.Environment?.Variables ?? {};
  const own = env(onEvent);
  if (own.USER_IS_COMPLETE_FUNCTION_ARN === undefined || own.USER_ON_EVENT_FUNCTION_ARN === undefined) return [];
  const same = (a: any, b: any) => JSON.stringify(a) === JSON.stringify(b);
  return unique(m.ofType('AWS::Lambda::Function').filter(f => f.key !== onEvent.key && f.stack.id === onEvent.stack.id
    && same(env(f).USER_ON_EVENT_FUNCTION_ARN, own.USER_ON_EVENT_FUNCTION_ARN)
    && same(env(f).USER_IS_COMPLETE_FUNCTION_ARN, own.USER_IS_COMPLETE_FUNCTION_ARN)));
}

