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
import { EndpointNode, RoleNode, SubnetNode, Unknown, VpcNode, WorkloadNode } from '../model/types';
import type { Finding } from '../rules/rule';

/** What every hop reads: the model scoped to the workload, and the path's parts. */
export interface PathContext {
  /** The model with its workloads reduced to the explained one, so workload rules judge only it. */
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
  readonly name: string;
  readonly title: string;
  /** The catalog rules that cover the hop. */
  readonly rules: readonly string[];
  /** The resources (keys) whose findings belong to this hop. */
  readonly resources: ReadonlySet<string>;
  /** Narrows the findings further (e.g. to those naming the bucket). */
  readonly accept?: (f: Finding) => boolean;
  readonly evidence: string[];
  /** Why the hop is not on this path, when it is not. */
  readonly notApplicable?: string;
  readonly own?: OwnVerdict;
}

/**
 * The verdict: `n/a` when the hop is not on the path; `fail` when a covering rule reports an error on the hop's
 * resources (or the hop's own evaluation fails); `cannot-judge` when a rule could not judge (or the own evaluation
 * could not); else `ok`. Rule findings are added to the evidence as `[rule id] message`.
 */
export function decideHop(spec: HopSpec, findings: readonly Finding[]): PathHop {
  const relevant = findings.filter(f => spec.rules.includes(f.ruleId) && spec.resources.has(f.resource.key)
    && (spec.accept?.(f) ?? true));
  const evidence = [...spec.evidence, ...relevant.map(f => `${f.level === 'error' ? '' : 'warning: '}[${f.ruleId}] ${f.message}`)];
  const base = { name: spec.name, title: spec.title, evidence };
  // a hop off the path: findings of its rules are about other requests (e.g. a KMS grant when the action is on the bucket)
  if (spec.notApplicable !== undefined) return { ...base, evidence: [spec.notApplicable, ...evidence], verdict: PathVerdict.NOT_APPLICABLE };
  const error = relevant.find(f => f.level === 'error');
  if (error) return { ...base, verdict: PathVerdict.FAIL, ruleId: error.ruleId, fix: error.fix };
  if (spec.own?.verdict === 'fail') return { ...base, verdict: PathVerdict.FAIL, fix: spec.own.fix };
  const unsure = relevant.find(f => f.cannotJudge);
  if (unsure) return { ...base, verdict: PathVerdict.CANNOT_JUDGE, ruleId: unsure.ruleId, fix: unsure.fix };
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
