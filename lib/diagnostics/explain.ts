/**
 * The `explain` command's engine: the path of one request from a workload to a bucket, hop by hop, each hop judged
 * by the catalog rules that cover it (run over the model scoped to the workload) and by the rules' own helpers.
 *
 * Internal: not exported from the package's index.
 */
import { decideHop, HopSpec, PathContext } from './hop';
import { dnsHop, endpointHop, naclOutboundHop, naclReturnHop, routeTableHop, s3RouteHop, securityGroupHop, subnetHop } from './hops-network';
import { bucketPolicyHop, endpointPolicyHop, identityPolicyHop, kmsHop } from './hops-policy';
import { findBucket, findWorkload, requestOf } from './targets';
import { ExplainPathOptions, PathExplanation, PathVerdict } from './types';
import { s3PathOf } from '../model/bucket-reach';
import { workloadRoles } from '../model/grants';
import { buildModel, Model } from '../model/model';
import { workloadSubnets } from '../model/s3-reach';
import { isUnknown, VpcNode, WorkloadNode } from '../model/types';
import { StackTemplate } from '../model/values';
import { ALL_RULES } from '../rules/all';
import { runRules } from '../rules/rule';

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
  const m = scopedTo(model, w);
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
  const hops = HOPS.map(hop => decideHop(hop(context), findings));
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
 * The model with its workloads reduced to one, so the rules that iterate workloads judge only the explained one;
 * everything else (lookups, caches keyed by node) is the shared model's.
 */
function scopedTo(model: Model, w: WorkloadNode): Model {
  return Object.create(model, { workloads: { value: [w], enumerable: true } });
}
