import type { Model } from '../model/model';
import type { ModelResource } from '../model/types';

/** `error` fails `cdk synth`; `warning` does not. */
export type RuleLevel = 'error' | 'warning';

/**
 * The hops of a request's path from a workload to a bucket, in the order the request meets them (what `explain`
 * shows). A rule names the hops its findings belong to, so explain's verdicts are the rules' findings.
 */
export type HopName = 'dns' | 'subnet' | 'route-table' | 's3-route' | 'endpoint' | 'security-group' | 'nacl-outbound'
  | 'nacl-return' | 'endpoint-policy' | 'bucket-policy' | 'identity-policy' | 'kms';

/**
 * What a finding is about, as resource keys (`<stackId>/<logicalId>`; a bucket outside the app is `external:<name>`),
 * so other code (explain, reports) never reads the message text. Each dimension names what lies on the path of the
 * requests concerned (the workload, its subnets, route tables, groups, ACLs, VPCs and roles, the endpoint the
 * requests pass, the bucket, the action), never a resource off that path (the endpoint a subnet fails to use). A
 * dimension left out means "any": a finding on an endpoint's policy names the endpoint, and the workloads and buckets
 * it concerns when it knows them.
 */
export interface FindingSubjects {
  readonly workloads?: readonly string[];
  readonly buckets?: readonly string[];
  readonly endpoints?: readonly string[];
  readonly routeTables?: readonly string[];
  readonly subnets?: readonly string[];
  readonly securityGroups?: readonly string[];
  readonly networkAcls?: readonly string[];
  readonly vpcs?: readonly string[];
  readonly roles?: readonly string[];
  /** The S3 actions of the requests concerned (e.g. `s3:GetObject`). */
  readonly actions?: readonly string[];
  /**
   * How the requests concerned reach S3: `endpoint` (through an S3 endpoint) or `no-endpoint` (NAT, an internet
   * gateway, a client outside the VPC), for findings about the requests that carry no `aws:SourceVpce`.
   */
  readonly via?: readonly string[];
}

/** What a rule found on one resource. */
export interface Finding {
  readonly ruleId: string;
  /** Usually the rule's level; `warning` when the rule could not judge an unresolved value. */
  readonly level: RuleLevel;
  /** The offending resource (its construct path and logical id are in the message front ends print). */
  readonly resource: ModelResource;
  /** What is wrong, with the evidence (names of the resources and values involved). Lowercase start, no trailing period. */
  readonly message: string;
  /** The fix, from the rule's metadata (or a more specific one). */
  readonly fix: string;
  /** True when this finding says a value could not be judged (unresolved token, a resource outside the app). */
  readonly cannotJudge?: boolean;
  /** What the finding is about (see {@link FindingSubjects}). */
  readonly subjects: FindingSubjects;
  /** The hop of a request's path the finding belongs to: the rule's first hop unless the rule says otherwise. */
  readonly hop?: HopName;
}

/** How a rule qualifies a finding: a more specific fix, its subjects, the hop it belongs to. */
export interface FindingOptions {
  readonly fix?: string;
  readonly subjects?: FindingSubjects;
  readonly hop?: HopName;
}

/** Collects a rule's findings; each rule gets one. */
export class Reporter {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly rule: Rule) {}

  /** The rule's own level: the setup is wrong. */
  fail(resource: ModelResource, message: string, options: FindingOptions | string = {}): void {
    this.add(this.rule.level, resource, message, options);
  }

  /** A warning even for an error rule (a weaker form of the fault, as the catalog describes). */
  warn(resource: ModelResource, message: string, options: FindingOptions | string = {}): void {
    this.add('warning', resource, message, options);
  }

  /** The rule's level when `definite`, else a warning: for faults that break only a workload that does use S3. */
  failIf(definite: boolean, resource: ModelResource, message: string, options: FindingOptions | string = {}): void {
    this.add(definite ? this.rule.level : 'warning', resource, message, options);
  }

  /** A warning saying what could not be judged, and why. Never an error. */
  cannotJudge(resource: ModelResource, what: string, options: Omit<FindingOptions, 'fix'> = {}): void {
    this.add('warning', resource, `cannot judge: ${what}`, {
      ...options,
      fix: 'make the value resolvable at synth time (define the resource in the app, or give the stack an env), or check it by hand',
    }, true);
  }

  private add(level: RuleLevel, resource: ModelResource, message: string, options: FindingOptions | string, cannotJudge?: boolean): void {
    const o: FindingOptions = typeof options === 'string' ? { fix: options } : options;
    const f: Finding = {
      ruleId: this.rule.id,
      level,
      resource,
      message,
      fix: o.fix ?? this.rule.fix,
      subjects: o.subjects ?? {},
      hop: o.hop ?? this.rule.hops[0],
      ...(cannotJudge ? { cannotJudge } : {}),
    };
    const key = `${f.resource.key}|${f.level}|${f.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(f);
  }
}

/** One rule of the catalog (`../shared/RULES.md`): metadata plus a pure check over the model. */
export interface Rule {
  /** Stable id, `S3PA-…` (no `::`, so cdk-nag can acknowledge it). */
  readonly id: string;
  readonly level: RuleLevel;
  /** The symptom users see, one line. */
  readonly symptom: string;
  /** What in the synthesized app reveals the fault. */
  readonly description: string;
  /** The fix the message names. */
  readonly fix: string;
  /**
   * When the rule applies: the resources and the use of S3 it judges, and which request outcome (timeout, 403, a
   * failed deployment) makes a finding an error rather than a warning.
   */
  readonly appliesWhen: string;
  /** The false positive it guards against, and how (a workload that does not use S3, a working NAT path, ...). */
  readonly guard: string;
  /** The hops of a request's path its findings belong to (empty: not on a bucket request's path, e.g. a deployment). */
  readonly hops: readonly HopName[];
  /** Reports findings; reports nothing when compliant or not applicable. Must not throw on odd input. */
  check(model: Model, report: Reporter): void;
}
