import { GrantEntry, GrantIndex, judgedEntries, roleArns, workloadRoles } from '../../model/grants';
import { listText, unique } from '../../model/helpers';
import { ContextValue, evaluatePolicy, EvaluationResult } from '../../model/iam';
import type { Model } from '../../model/model';
import { onlyDenies } from '../../model/policy-conditions';
import { s3RequestContext, s3RoutesOf } from '../../model/s3-routes';
import { EndpointNode, RoleNode, SubnetNode, WorkloadNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-EndpointPolicyDenies: a workload is granted an S3 action on a bucket, but the policy of the S3 gateway endpoint
 * its subnet routes through does not allow it, so the call gets 403 although the role allows it.
 *
 * Each granted (action, bucket or key pattern) pair is evaluated against the endpoint policy with the workload's role
 * as principal and the endpoint and VPC as `aws:SourceVpce` / `aws:SourceVpc`. Grants on `*` name no bucket and are
 * not judged; wildcard actions are judged on the core actions they cover (see `judgedEntries`).
 */
export const endpointPolicyDenies: Rule = {
  id: 'S3PA-EndpointPolicyDenies',
  level: 'error',
  symptom: 'S3 calls from the workload get 403 Access Denied although its role allows them.',
  description: 'The policy of the S3 gateway endpoint associated with a workload subnet\'s route table does not allow '
    + 'an action on a bucket that the workload\'s role is granted (evaluated with the role as principal). Every request '
    + 'through a gateway endpoint must be allowed by the endpoint policy too; an endpoint without a PolicyDocument '
    + 'allows everything.',
  fix: 'widen the endpoint policy: allow the granted actions on the bucket (and its objects) for the workload\'s role',
  appliesWhen: 'A workload\'s subnets route through an S3 gateway endpoint with a policy, and its role is granted an '
    + 'S3 action on a bucket that the endpoint policy does not allow for it: those requests get 403. An error for the '
    + 'core actions (GetObject, PutObject, DeleteObject, ListBucket, and the judged actions named literally); a warning '
    + 'for other granted actions (aws-cdk-lib\'s grantWrite names s3:PutObjectTagging and more), which may never be called.',
  guard: 'Grants on `*` name no bucket and are not judged; wildcard actions are judged on the core actions they cover; '
    + 'one finding per endpoint, role and bucket, whatever the number of subnets; a policy of Deny statements only is '
    + 'S3PA-EndpointPolicyPerimeter\'s one finding, not one per grant.',
  hops: ['endpoint-policy'],
  check(m: Model, report: Reporter): void {
    const grants = GrantIndex.of(m);
    // one judgement per endpoint and role, with the workloads and subnets that send the requests
    const pairs = new Map<string, { ep: EndpointNode; role: RoleNode; workloads: WorkloadNode[]; subnets: SubnetNode[] }>();
    for (const w of m.workloads) {
      for (const route of s3RoutesOf(m, w)) {
        const ep = route.endpoint;
        if (route.via !== 'gateway' || !ep || ep.policyDocument === undefined) continue;
        for (const role of workloadRoles(w)) {
          const key = `${ep.res.key}|${role.res.key}`;
          const pair = pairs.get(key) ?? { ep, role, workloads: [], subnets: [] };
          if (!pair.workloads.includes(w)) pair.workloads.push(w);
          if (!pair.subnets.includes(route.subnet)) pair.subnets.push(route.subnet);
          pairs.set(key, pair);
        }
      }
    }
    for (const pair of pairs.values()) judge(m, report, grants, pair);
  },
};

function judge(m: Model, report: Reporter, grants: GrantIndex,
  { ep, role, workloads, subnets }: { ep: EndpointNode; role: RoleNode; workloads: WorkloadNode[]; subnets: SubnetNode[] }): void {
  const doc = m.symDoc(ep.res, ep.policyDocument);
  if (onlyDenies(doc)) return; // S3PA-EndpointPolicyPerimeter reports a policy that allows nothing, once
  const principals = roleArns(m, role);
  const who = `role ${role.res.path} of ${listText(workloads.map(w => w.res.path))} (${subnets.length > 1 ? 'subnets' : 'subnet'} `
    + `${listText(subnets.map(s => s.res.path))})`;
  for (const grant of grants.ofRole(role).byBucket.values()) {
    const denied: GrantEntry[] = [];
    const unsure: GrantEntry[] = [];
    for (const entry of judgedEntries(grant)) {
      if (!entry.probe) continue;
      // an env-agnostic stack's account is a hole, so conditions on it stay unknown rather than false
      const account = role.res.stack.account ?? '{{AWS::AccountId}}';
      const result = evaluateFor(doc, entry, entry.probe, principals, account, s3RequestContext(m, ep, grant.bucket));
      if (result.decision === 'allow' && !result.uncertain) continue;
      (result.optimisticDecision === 'allow' ? unsure : denied).push(entry);
    }
    const bucketText = grant.bucket.node ? `bucket ${grant.bucket.node.res.path}` : `bucket ${grant.bucket.name}`;
    const subjects = (entries: GrantEntry[]) => ({
      workloads: workloads.map(w => w.res.key),
      endpoints: [ep.res.key],
      roles: [role.res.key],
      buckets: [grant.bucket.key],
      subnets: subnets.map(s => s.res.key),
      actions: unique(entries.map(e => e.action)),
    });
    const what = (entries: GrantEntry[]) => listText(unique(entries.map(e => e.probe!))
      .map(probe => `${listText(unique(entries.filter(e => e.probe === probe).map(e => e.action)))} on ${probe}`));
    const core = denied.filter(e => e.core);
    const other = denied.filter(e => !e.core);
    if (core.length > 0) {
      report.fail(ep.res, `the policy of S3 gateway endpoint ${ep.res.path} does not allow ${what(core)} `
        + `on ${bucketText}, which ${who} is granted: those requests get 403`, { subjects: subjects(core) });
    }
    if (other.length > 0) {
      report.warn(ep.res, `the policy of S3 gateway endpoint ${ep.res.path} does not allow ${what(other)} `
        + `on ${bucketText}, which ${who} is granted: if the workload makes those requests, they get 403`, { subjects: subjects(other) });
    }
    if (unsure.length > 0) {
      report.cannotJudge(ep.res, `whether the policy of S3 gateway endpoint ${ep.res.path} allows ${what(unsure)} `
        + `on ${bucketText} for ${who}: it depends on values not resolved at synth time`, { subjects: subjects(unsure) });
    }
  }
}

/** The best outcome over the ARNs the role may be named by (a policy may name it symbolically or literally). */
function evaluateFor(doc: any, entry: GrantEntry, resource: string, principals: string[], account: string,
  context: Record<string, ContextValue>): EvaluationResult {
  let best: EvaluationResult | undefined;
  for (const arn of principals) {
    // a gateway endpoint policy's account principal means that account's root user only (PrivateLink guide)
    const result = evaluatePolicy(doc, { action: entry.action, resource, principal: { arn, account }, context }, { gatewayEndpoint: true });
    if (!best || rank(result) > rank(best)) best = result;
  }
  return best!;
}

function rank(r: EvaluationResult): number {
  if (r.decision === 'allow' && !r.uncertain) return 2;
  return r.optimisticDecision === 'allow' ? 1 : 0;
}
