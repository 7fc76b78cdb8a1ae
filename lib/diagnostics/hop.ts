/**
 * One hop of an explained path: what it is judged on, and how the verdict follows from the findings of the catalog
 * rules that cover it (so a hop never disagrees with its rule) and from the hop's own evaluation where no rule
 * covers the question (e.g. whether the role is granted at all).
 *
 * Internal: not exported from the package's index.
 */
import { BucketTarget, PathRequest } from './targets';
import { PathHop, PathVerdict } from './types';
import type { Model } from '../model/model';
import { EndpointNode, isUnknown, RoleNode, SubnetNode, Unknown, VpcNode, WorkloadNode } from '../model/types';
import type { Finding, FindingSubjects, HopName } from '../rules/rule';

/** What every hop reads: the model, the workload, and the path's parts. */
export interface PathContext {
  readonly m: Model;
  readonly w: WorkloadNode;
  readonly bucket: BucketTarget;
  readonly request: PathRequest;
  /** The workload's subnets that the app defines, and those it does not. */
  readonly subnets: SubnetNode[];
  readonly unresolvedSubnets: Unknown[];
  readonly vpcs: VpcNode[];
  /** S3 gateway endpoints associated with the route tables of the workload's subnets. */
  readonly gateways: EndpointNode[];
  /** S3 interface endpoints in the workload's VPCs. */
  readonly interfaces: EndpointNode[];
  readonly roles: RoleNode[];
}

/** The hop's own evaluation, when it decides something no rule reports. */
export interface OwnVerdict {
  readonly verdict: 'fail' | 'cannot-judge';
  readonly fix?: string;
}

/** What a hop is judged on. */
export interface HopSpec {
  readonly name: HopName;
  readonly title: string;
  /** The resources (keys) of the hop, for findings that carry no subjects. */
  readonly resources: ReadonlySet<string>;
  readonly evidence: string[];
  /** Why the hop is not on this path, when it is not. */
  readonly notApplicable?: string;
  readonly own?: OwnVerdict;
}

/** The resource keys of one path, by the dimensions of {@link FindingSubjects}. */
export type PathSets = { readonly [K in keyof FindingSubjects]-?: ReadonlySet<string> };

/**
 * The sets of a path: the workload, the bucket, the endpoints, subnets, tables, groups, ACLs, VPCs, roles, the action,
 * and whether it passes an S3 endpoint.
 */
export function pathSets(c: PathContext): PathSets {
  const set = (items: Array<string | undefined>) => new Set(items.filter((x): x is string => x !== undefined));
  const tables = c.subnets.map(s => (isUnknown(s.routeTable) ? undefined : s.routeTable.res.key));
  return {
    workloads: set([c.w.res.key]),
    // a request through an access point concerns the access point and its bucket
    buckets: set([c.bucket.node ? c.bucket.node.res.key : `external:${c.bucket.name}`, c.bucket.accessPoint?.key]),
    endpoints: set([...c.gateways, ...c.interfaces].map(ep => ep.res.key)),
    routeTables: set(tables),
    subnets: set(c.subnets.map(s => s.res.key)),
    securityGroups: set(c.w.securityGroups.map(g => (isUnknown(g) ? undefined : g.res.key))),
    networkAcls: set(c.subnets.map(s => s.networkAcl?.res.key)),
    vpcs: set(c.vpcs.map(v => v.res.key)),
    roles: set(c.roles.map(r => r.res.key)),
    actions: set([c.request.action.toLowerCase()]),
    via: set([c.gateways.length + c.interfaces.length > 0 ? 'endpoint' : 'no-endpoint']),
  };
}

/**
 * Whether a finding concerns this path: every dimension its subjects name meets the path (a finding on the security
 * group names the group and the workloads behind it; one on a bucket policy names the bucket, ...). A finding with
 * no subjects concerns the path when it is on one of the hop's resources.
 */
export function onPath(f: Finding, sets: PathSets, hopResources: ReadonlySet<string>): boolean {
  const dims = (Object.keys(f.subjects) as Array<keyof FindingSubjects>).filter(k => (f.subjects[k]?.length ?? 0) > 0);
  if (dims.length === 0) return hopResources.has(f.resource.key);
  return dims.every(k => f.subjects[k]!.some(v => sets[k].has(k === 'actions' ? v.toLowerCase() : v)));
}

/**
 * The verdict: `n/a` when the hop is not on the path; `fail` when a rule reports an error that belongs to the hop and
 * concerns the path (or the hop's own evaluation fails); `cannot-judge` when such a rule could not judge (or the own
 * evaluation could not); else `ok`. The findings are added to the evidence as `[rule id] message`.
 */
export function decideHop(spec: HopSpec, findings: readonly Finding[], sets: PathSets): PathHop {
  const relevant = findings.filter(f => f.hop === spec.name && onPath(f, sets, spec.resources));
  const evidence = [...spec.evidence, ...relevant.map(f => `${f.level === 'error' ? '' : 'warning: '}[${f.ruleId}] ${f.message}`)];
  const base = { name: spec.name, title: spec.title, evidence };
  // a hop off the path: findings of its rules are about other requests (e.g. a KMS grant when the action is on the bucket)
  if (spec.notApplicable !== undefined) return { ...base, evidence: [spec.notApplicable, ...evidence], verdict: PathVerdict.NOT_APPLICABLE };
  const error = relevant.find(f => f.level === 'error');
  if (error) return { ...base, verdict: PathVerdict.FAIL, ruleId: error.ruleId, fix: error.fix };
  // where a rule says the outcome depends on what synthesis cannot know, that wins over the hop's own evaluation
  const unsure = relevant.find(f => f.cannotJudge);
  if (unsure) return { ...base, verdict: PathVerdict.CANNOT_JUDGE, ruleId: unsure.ruleId, fix: unsure.fix };
  if (spec.own?.verdict === 'fail') {
    // a rule's warning about the same request (an action the workload may never call) names the rule
    const warning = relevant[0];
    return { ...base, verdict: PathVerdict.FAIL, fix: spec.own.fix, ...(warning ? { ruleId: warning.ruleId } : {}) };
  }
  if (spec.own?.verdict === 'cannot-judge') return { ...base, verdict: PathVerdict.CANNOT_JUDGE, fix: spec.own.fix };
  return { ...base, verdict: PathVerdict.OK };
}

/** Keys of resources, for {@link HopSpec.resources}. */
export function keys(...resources: Array<{ key: string } | undefined>): Set<string> {
  return new Set(resources.filter((r): r is { key: string } => r !== undefined).map(r => r.key));
}

/** A value for evidence: the literal, or `unresolved (<what>)`. */
export function shownValue(v: unknown, unset = 'unset'): string {
  if (v === undefined) return unset;
  if (typeof v === 'object' && v !== null && (v as any).unknown === true) return `unresolved (${(v as any).what})`;
  return String(v);
}
