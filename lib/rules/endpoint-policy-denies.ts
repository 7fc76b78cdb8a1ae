import type { Reporter, Rule } from './rule';
import { GrantEntry, GrantIndex, GrantedBucket, judgedEntries, roleArns, unique, workloadRoles } from '../model/grants';
import { ContextValue, evaluatePolicy, EvaluationResult } from '../model/iam';
import type { Model } from '../model/model';
import { isGateway, isS3Endpoint, listText, workloadSubnets } from '../model/s3-reach';
import { EndpointNode, isUnknown, RoleNode, SubnetNode, WorkloadNode } from '../model/types';

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
  check(m: Model, report: Reporter): void {
    const grants = GrantIndex.of(m);
    for (const w of m.workloads) {
      const roles = workloadRoles(w);
      if (roles.length === 0) continue;
      for (const subnet of workloadSubnets(w).known) {
        if (isUnknown(subnet.routeTable)) continue;
        for (const ep of subnet.routeTable.gatewayEndpoints) {
          if (!isGateway(ep) || isS3Endpoint(ep) !== true || ep.policyDocument === undefined) continue;
          for (const role of roles) judge(m, report, grants, w, subnet, ep, role);
        }
      }
    }
  },
};

function judge(m: Model, report: Reporter, grants: GrantIndex, w: WorkloadNode, subnet: SubnetNode, ep: EndpointNode, role: RoleNode): void {
  const doc = m.symDoc(ep.res, ep.policyDocument);
  const principals = roleArns(m, role);
  for (const grant of grants.ofRole(role).byBucket.values()) {
    const denied: string[] = [];
    const unsure: string[] = [];
    for (const entry of judgedEntries(grant)) {
      const resource = entry.probe;
      if (!resource) continue;
      // an env-agnostic stack's account is a hole, so conditions on it stay unknown rather than false
      const account = role.res.stack.account ?? '{{AWS::AccountId}}';
      const result = evaluateFor(doc, entry, resource, principals, account, contextOf(m, ep, grant.bucket));
      const what = `${entry.action} on ${resource}`;
      if (result.decision === 'allow' && !result.uncertain) continue;
      if (result.optimisticDecision === 'allow') unsure.push(what);
      else denied.push(what);
    }
    const bucketText = grant.bucket.node ? `bucket ${grant.bucket.node.res.path}` : `bucket ${grant.bucket.name}`;
    const who = `role ${role.res.path} of ${w.res.path} (subnet ${subnet.res.path})`;
    if (denied.length > 0) {
      report.fail(ep.res, `the policy of S3 gateway endpoint ${ep.res.path} does not allow ${listText(unique(denied))} `
        + `on ${bucketText}, which ${who} is granted: those requests get 403`);
    }
    if (unsure.length > 0) {
      report.cannotJudge(ep.res, `whether the policy of S3 gateway endpoint ${ep.res.path} allows ${listText(unique(unsure))} `
        + `on ${bucketText} for ${who}: it depends on values not resolved at synth time`);
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

function contextOf(m: Model, ep: EndpointNode, bucket: GrantedBucket): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'aws:SourceVpce': m.values.symOfResource(ep.res),
  };
  if (!isUnknown(ep.vpc)) ctx['aws:SourceVpc'] = m.values.symOfResource(ep.vpc.res);
  if (bucket.account) {
    ctx['aws:ResourceAccount'] = bucket.account;
    ctx['s3:ResourceAccount'] = bucket.account;
  }
  return ctx;
}

