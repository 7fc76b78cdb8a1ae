import { Need, needsOf, workloadsByPolicyEndpoint } from './aws-bucket-needs';
import { fillArnPattern } from '../../aws/aws-owned-buckets';
import { listText, unique } from '../../model/helpers';
import { evaluatePolicy } from '../../model/iam';
import type { Model } from '../../model/model';
import { onlyDenies, perimeterKeysOfAllows, withoutPerimeterOnAllows } from '../../model/policy-conditions';
import { endpointRegion } from '../../model/s3-reach';
import { s3RequestContext } from '../../model/s3-routes';
import { EndpointNode, WorkloadNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-EndpointPolicyAwsBuckets: an S3 gateway endpoint whose policy allows only named buckets, without `s3:GetObject`
 * on the AWS-owned buckets its workloads read: ECR image layers (`prod-<region>-starport-layer-bucket`) for ECS
 * services with ECR images, Amazon Linux repositories for instances running Amazon Linux, SSM Agent buckets for
 * instances managed by Systems Manager. Lambda container images are pulled by the Lambda service outside the
 * function's VPC, so they need no allowance.
 *
 * A policy counts as restrictive when it does not allow `s3:GetObject` on an arbitrary bucket. Requests to these
 * buckets are made by AWS on the workload's behalf (ECR hands out presigned layer URLs) or anonymously (dnf/yum), so
 * the allowance is evaluated with no principal: it must not depend on the caller's account or ARN. A policy of Deny
 * statements only, and an allowance that only perimeter conditions (`aws:PrincipalAccount`, `aws:ResourceOrgID`...)
 * break, are S3PA-EndpointPolicyPerimeter's findings, not this rule's.
 */
export const endpointPolicyAwsBuckets: Rule = {
  id: 'S3PA-EndpointPolicyAwsBuckets',
  level: 'error',
  symptom: 'ECS tasks fail with CannotPullContainerError (or time out pulling layers), dnf/yum cannot reach the '
    + 'Amazon Linux repositories, or SSM Agent operations fail, although the network path to S3 is in place.',
  description: 'A restrictive S3 gateway endpoint policy (one that does not allow s3:GetObject on arbitrary buckets) '
    + 'lacks s3:GetObject on the AWS-owned buckets that the workloads routed through it need: '
    + '`prod-<region>-starport-layer-bucket/*` for ECS services with ECR images (not Lambda functions: the Lambda '
    + 'service pulls their images outside the VPC), the Amazon Linux repository '
    + 'buckets (`al2023-repos-<region>-de612dc2/*`, `amazonlinux-2-repos-<region>/*`) for Amazon Linux instances, and '
    + 'the SSM Agent buckets (`aws-ssm-<region>/*`, `amazon-ssm-<region>/*`) for instances managed by Systems Manager.',
  fix: 'add the AWS-owned bucket allowances to the endpoint policy (AwsOwnedBuckets.ECR_LAYERS, AMAZON_LINUX_REPOS or '
    + 'SSM in the construct\'s restricted endpoint policy): s3:GetObject on those buckets for any principal',
  appliesWhen: 'A restrictive S3 gateway endpoint policy serves a workload that reads AWS-owned buckets. An error when '
    + 'it surely does: an ECS service pulls ECR images (layers), an Amazon Linux instance\'s user data installs packages '
    + '(repositories); without the allowance those reads get 403. A warning for Amazon Linux instances that may install '
    + 'packages later and for SSM-managed instances (agent updates and some documents read the SSM buckets).',
  guard: 'Lambda container images are pulled by the Lambda service outside the VPC and need no allowance; a policy '
    + 'that allows s3:GetObject on an arbitrary bucket is not restrictive; the allowance is evaluated with no '
    + 'principal, as AWS makes those reads; a policy of Deny statements only, or an allowance broken only by '
    + 'perimeter conditions, is left to S3PA-EndpointPolicyPerimeter (one finding per fault).',
  hops: ['endpoint-policy'],
  check(m: Model, report: Reporter): void {
    const byEndpoint = workloadsByPolicyEndpoint(m, ['gateway']);
    for (const { ep, workloads } of byEndpoint.values()) judge(m, report, ep, [...workloads.values()]);
  },
};

function judge(m: Model, report: Reporter, ep: EndpointNode, workloads: WorkloadNode[]): void {
  const needs = new Map<string, { need: Need; by: WorkloadNode[]; definite: boolean }>();
  for (const w of workloads) {
    for (const need of needsOf(w)) {
      const entry = needs.get(need.pattern) ?? { need, by: [], definite: false };
      entry.by.push(w);
      entry.definite = entry.definite || need.definite;
      needs.set(need.pattern, entry);
    }
  }
  if (needs.size === 0) return;
  const doc = m.symDoc(ep.res, ep.policyDocument);
  if (onlyDenies(doc)) return; // S3PA-EndpointPolicyPerimeter: it denies everything
  const context = s3RequestContext(m, ep);
  const allows = (resource: string) => evaluatePolicy(doc, { action: 's3:GetObject', resource, context });
  const stripped = perimeterKeysOfAllows(doc).length > 0 ? withoutPerimeterOnAllows(doc) : undefined;

  const open = allows('arn:aws:s3:::s3pa-any-bucket-probe/s3pa-probe');
  if (open.optimisticDecision === 'allow') return; // not restrictive (or possibly not): nothing to add

  const region = endpointRegion(ep);
  if (!region) {
    report.cannotJudge(ep.res, `whether the policy of S3 gateway endpoint ${ep.res.path} allows the AWS-owned buckets `
      + `that ${listText(unique(workloads.map(w => w.res.path)))} need: their names depend on the region, which the `
      + 'environment-agnostic stack does not fix', { subjects: { endpoints: [ep.res.key], workloads: workloads.map(w => w.res.key) } });
    return;
  }
  const partition = ep.res.stack.partition;
  for (const { need, by } of needs.values()) {
    const arn = fillArnPattern(need.pattern, region, partition);
    const result = allows(arn.replace(/\*/g, 's3pa-probe'));
    const users = listText(unique(by.map(w => w.res.path)));
    const subjects = { endpoints: [ep.res.key], workloads: unique(by.map(w => w.res.key)), buckets: [`external:${arnBucket(arn)}`] };
    if (result.decision === 'allow' && !result.uncertain) continue;
    if (result.optimisticDecision === 'allow') {
      report.cannotJudge(ep.res, `whether the policy of S3 gateway endpoint ${ep.res.path} allows s3:GetObject on ${arn} `
        + `(${need.use}) for ${users}: it depends on values not resolved at synth time`, { subjects });
      continue;
    }
    // allowed but for its perimeter conditions: S3PA-EndpointPolicyPerimeter's finding
    const probe = arn.replace(/\*/g, 's3pa-probe');
    if (stripped && evaluatePolicy(stripped, { action: 's3:GetObject', resource: probe, context }).optimisticDecision === 'allow') continue;
    const definite = needs.get(need.pattern)!.definite;
    report.failIf(definite, ep.res, `the policy of S3 gateway endpoint ${ep.res.path} allows s3:GetObject only on named buckets, not on `
      + `${arn} (${need.use}), which ${users} need${by.length === 1 ? 's' : ''}`,
    { fix: `${endpointPolicyAwsBuckets.fix}; here: ${need.allowance} (s3:GetObject on ${arn}, Principal "*", no principal conditions)`, subjects });
  }
}

/** The bucket name of an S3 ARN (`arn:aws:s3:::name/*` → `name`). */
function arnBucket(arn: string): string {
  return arn.replace(/^arn:[^:]*:s3:::/, '').split('/')[0];
}
