import { needsOf, workloadsByPolicyEndpoint } from './aws-bucket-needs';
import { fillArnPattern } from '../../aws/aws-owned-buckets';
import { listText, unique } from '../../model/helpers';
import { evaluatePolicy } from '../../model/iam';
import type { Model } from '../../model/model';
import { onlyDenies, perimeterKeysOfAllows, withoutPerimeterOnAllows } from '../../model/policy-conditions';
import { endpointRegion } from '../../model/s3-reach';
import { s3RequestContext } from '../../model/s3-routes';
import { anyUsesS3, ifUsesS3 } from '../../model/s3-use';
import { EndpointNode, WorkloadNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-EndpointPolicyPerimeter: an S3 endpoint policy that allows nothing (Deny statements only), or whose Allow
 * statements carry principal or resource perimeter conditions (`aws:PrincipalAccount`, `aws:PrincipalOrgID`,
 * `aws:ResourceOrgID`, `aws:ResourceAccount`...) that the AWS-owned buckets its workloads read never match: AWS owns
 * those buckets, and the reads are made (or presigned) by AWS, not by the workload's principal.
 *
 * The AWS-owned buckets a workload needs are judged as S3PA-EndpointPolicyAwsBuckets judges them, each probe evaluated
 * with no principal and again with the perimeter conditions taken off the Allow statements: a probe that only the
 * second evaluation allows is this rule's finding. CloudFormation's response buckets are S3PA-CustomResourceResponse's.
 */
export const endpointPolicyPerimeter: Rule = {
  id: 'S3PA-EndpointPolicyPerimeter',
  level: 'error',
  symptom: 'Every S3 request through the endpoint gets 403, or ECS image pulls (CannotPullContainerError), dnf/yum and '
    + 'SSM Agent fail behind an endpoint policy that names the AWS-owned buckets but conditions them on the '
    + 'organization or account.',
  description: 'An S3 endpoint policy made of Deny statements only (it allows nothing, so it denies every request); or '
    + 'Allow statements conditioned on aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths, '
    + 'aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths or s3:ResourceAccount, while workloads routed '
    + 'through the endpoint read AWS-owned buckets (ECR image layers, Amazon Linux repositories, SSM Agent buckets): '
    + 'those buckets belong to AWS\'s accounts and are read anonymously or through URLs AWS presigns, so no perimeter '
    + 'value of yours ever matches them.',
  fix: 'give the endpoint policy an Allow statement; carve the AWS-owned buckets out of the perimeter: a separate '
    + 'Allow of s3:GetObject on them (AwsOwnedBuckets.ECR_LAYERS, AMAZON_LINUX_REPOS, SSM, '
    + 'CLOUDFORMATION_RESPONSES) for Principal "*" with no principal or resource conditions',
  appliesWhen: 'A workload\'s subnets route S3 through an endpoint (gateway, or interface with private DNS) with such '
    + 'a policy. Deny statements only: an error when a workload routed through it uses S3 (every request gets 403), a '
    + 'warning when none surely does. Perimeter conditions: an error when a workload surely reads an AWS-owned bucket '
    + 'that the conditions keep out (ECS services with ECR images, Amazon Linux instances whose user data installs '
    + 'packages), a warning when it may (SSM-managed instances, Amazon Linux instances that may install later, '
    + 'instances whose image the template does not show). The same from --live, which reads the endpoint policies.',
  guard: 'A perimeter condition is blamed only when the policy allows the AWS-owned bucket once the conditions are '
    + 'taken off its Allow statements (a policy that names no such bucket is S3PA-EndpointPolicyAwsBuckets\' finding); '
    + 'workloads that do not use S3 are not judged; CloudFormation\'s response buckets are '
    + 'S3PA-CustomResourceResponse\'s; an environment-agnostic stack (bucket names depend on the region) is a warning.',
  hops: ['endpoint-policy'],
  check(m: Model, report: Reporter): void {
    const byEndpoint = workloadsByPolicyEndpoint(m, ['gateway', 'interface']);
    for (const ep of m.endpoints) {
      if (ep.policyDocument !== undefined && !byEndpoint.has(ep.res.key) && onlyDenies(m.symDoc(ep.res, ep.policyDocument))) {
        byEndpoint.set(ep.res.key, { ep, workloads: new Map() });
      }
    }
    for (const { ep, workloads } of byEndpoint.values()) judge(m, report, ep, [...workloads.values()]);
  },
};

function judge(m: Model, report: Reporter, ep: EndpointNode, workloads: WorkloadNode[]): void {
  const doc = m.symDoc(ep.res, ep.policyDocument);
  const users = listText(workloads.map(w => w.res.path));
  const subjects = { endpoints: [ep.res.key], workloads: workloads.map(w => w.res.key) };
  if (onlyDenies(doc)) {
    if (workloads.length === 0) {
      report.warn(ep.res, `the policy of S3 endpoint ${ep.res.path} has Deny statements only: it allows nothing, so every `
        + 'S3 request through the endpoint gets 403 (no workload of the app is routed through it yet)', { subjects });
      return;
    }
    report.failIf(anyUsesS3(m, workloads), ep.res, `the policy of S3 endpoint ${ep.res.path} has Deny statements only: it `
      + `allows nothing, so every S3 request of ${users} through the endpoint gets 403${ifUsesS3(m, workloads)}`, { subjects });
    return;
  }
  const keys = perimeterKeysOfAllows(doc);
  if (keys.length === 0) return;
  const keysText = listText(keys);
  const stripped = withoutPerimeterOnAllows(doc);
  const context = s3RequestContext(m, ep);
  const region = endpointRegion(ep);

  const needs = new Map<string, { use: string; allowance: string; by: WorkloadNode[]; definite: boolean }>();
  for (const w of workloads) {
    for (const need of needsOf(w)) {
      const entry = needs.get(need.pattern) ?? { use: need.use, allowance: need.allowance, by: [], definite: false };
      entry.by.push(w);
      entry.definite = entry.definite || need.definite;
      needs.set(need.pattern, entry);
    }
  }
  const judged = new Set<string>();
  if (needs.size > 0 && !region) {
    report.cannotJudge(ep.res, `whether the perimeter conditions (${keysText}) of the policy of S3 endpoint ${ep.res.path} `
      + `keep out the AWS-owned buckets that ${users} need: their names depend on the region, which the `
      + 'environment-agnostic stack does not fix', { subjects });
    return;
  }
  for (const [pattern, need] of needs) {
    const arn = fillArnPattern(pattern, region!, ep.res.stack.partition);
    const probe = arn.replace(/\*/g, 's3pa-probe');
    const request = { action: 's3:GetObject', resource: probe, context };
    if (evaluatePolicy(doc, request).optimisticDecision === 'allow') continue;
    if (evaluatePolicy(stripped, request).optimisticDecision !== 'allow') continue; // not allowed at all: S3PA-EndpointPolicyAwsBuckets
    for (const w of need.by) judged.add(w.res.key);
    const by = unique(need.by.map(w => w.res.path));
    report.failIf(need.definite, ep.res, `the policy of S3 endpoint ${ep.res.path} allows ${arn} (${need.use}) only under `
      + `${keysText}, which requests to AWS-owned buckets never match (AWS owns them and makes or presigns the reads), `
      + `so ${listText(by)} ${by.length === 1 ? 'is' : 'are'} denied`, {
      fix: `${endpointPolicyPerimeter.fix}; here: ${need.allowance} (s3:GetObject on ${arn}) in its own statement`,
      subjects: { ...subjects, workloads: unique(need.by.map(w => w.res.key)), buckets: [`external:${arnBucket(arn)}`] },
    });
  }
  // instances whose image the template does not show may read the repositories and SSM buckets all the same
  const unsure = workloads.filter(w => !judged.has(w.res.key) && needsOf(w).length === 0
    && (w.kind === 'ec2-instance' || w.kind === 'autoscaling-group' || w.kind === 'batch'));
  if (unsure.length > 0) {
    report.warn(ep.res, `the policy of S3 endpoint ${ep.res.path} conditions its Allow statements on ${keysText}, which `
      + 'requests to AWS-owned buckets (package repositories, SSM Agent, ECS and CloudFormation buckets) never match; '
      + `the app does not show whether ${listText(unsure.map(w => w.res.path))} read${unsure.length === 1 ? 's' : ''} them`,
    { subjects: { ...subjects, workloads: unsure.map(w => w.res.key) } });
  }
}

/** The bucket name of an S3 ARN (`arn:aws:s3:::name/*` → `name`). */
function arnBucket(arn: string): string {
  return arn.replace(/^arn:[^:]*:s3:::/, '').split('/')[0];
}
