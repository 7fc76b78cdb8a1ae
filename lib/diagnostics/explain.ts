/**
 * The `explain` command's engine: the path of one request from a workload to a bucket, hop by hop. Each hop's verdict
 * comes from the findings of the catalog (the same run `check` makes) that belong to the hop and concern the path,
 * matched by their structured subjects, and from the hop's own evaluation where no rule covers the question.
 *
 * Internal: not exported from the package's index.
 */
import { decideHop, HopSpec, PathContext, pathSets } from './hop';
import { dnsHop, endpointHop, naclOutboundHop, naclReturnHop, routeTableHop, s3RouteHop, securityGroupHop, subnetHop } from './hops-network';
import { bucketPolicyHop, endpointPolicyHop, identityPolicyHop, kmsHop } from './hops-policy';
import { findBucket, findWorkload, requestOf } from './targets';
import { ExplainPathOptions, PathExplanation, PathHop, PathVerdict } from './types';
import { s3PathOf } from '../model/bucket-reach';
import { workloadRoles } from '../model/grants';
import { buildModel } from '../model/model';
import { workloadSubnets } from '../model/s3-reach';
import { isUnknown, VpcNode } from '../model/types';
import { StackTemplate } from '../model/values';
import { ALL_RULES } from '../rules/all';
import { runRules } from '../rules/run';

/** The hops in the order a request meets them. */
const HOPS: ReadonlyArray<(c: PathContext) => HopSpec> = [
  dnsHop, subnetHop, routeTableHop, s3RouteHop, endpointHop, securityGroupHop, naclOutboundHop, naclReturnHop,
  endpointPolicyHop, bucketPolicyHop, identityPolicyHop, kmsHop,
];

/** Explains the path of a request from a workload to a bucket over the app's templates. */
export function explainTemplates(stacks: StackTemplate[], options: ExplainPathOptions): PathExplanation {
  const model = buildModel(stacks);
  const w = findWorkload(model, options.from);
  const bucket = findBucket(model, options.bucket, w);
  const request = requestOf(model, w, bucket, options.action ?? 's3:GetObject', options.key);
  const m = model;
  const findings = runRules(m, ALL_RULES);

  const { known, unresolved } = workloadSubnets(w);
  const vpcs = new Map<string, VpcNode>();
  for (const s of known) if (!isUnknown(s.vpc)) vpcs.set(s.vpc.res.key, s.vpc);
  const reach = s3PathOf(m, w);
  const context: PathContext = {
    m,
    w,
    bucket,
    request,
    subnets: known,
    unresolvedSubnets: unresolved,
    vpcs: [...vpcs.values()],
    gateways: reach.gateway,
    interfaces: reach.interface,
    roles: workloadRoles(w),
  };
  const sets = pathSets(context);
  const hops = consequences(HOPS.map(hop => decideHop(hop(context), findings, sets)));
  return {
    workload: w.res.path,
    bucket: bucket.label,
    action: request.action,
    resource: request.resource,
    hops,
    firstFailure: hops.find(h => h.verdict === PathVerdict.FAIL),
  };
}

/**
 * A hop that fails on its own evaluation after an earlier hop failed on a rule's finding fails because of it (a
 * request that misses the endpoint arrives without aws:SourceVpce, and the bucket policy denies it): it names that
 * rule, and says so.
 */
function consequences(hops: PathHop[]): PathHop[] {
  const first = hops.find(h => h.verdict === PathVerdict.FAIL && h.ruleId !== undefined);
  if (!first) return hops;
  const at = hops.indexOf(first);
  return hops.map((h, i) => (i <= at || h.verdict !== PathVerdict.FAIL || h.ruleId !== undefined ? h : {
    ...h,
    ruleId: first.ruleId,
    fix: first.fix,
    evidence: [...h.evidence, `this follows from the ${first.title} failure [${first.ruleId}]: fix that first`],
  }));
}
