import type { Model } from '../model/model';
import type { ModelResource } from '../model/types';

/** `error` fails `cdk synth`; `warning` does not. */
export type RuleLevel = 'error' | 'warning';

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
}

/** Collects a rule's findings; each rule gets one. */
export class Reporter {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly rule: Rule) {}

  /** The rule's own level: the setup is wrong. */
  fail(resource: ModelResource, message: string, fix?: string): void {
    this.add({ ruleId: this.rule.id, level: this.rule.level, resource, message, fix: fix ?? this.rule.fix });
  }

  /** A warning even for an error rule (a weaker form of the fault, as the catalog describes). */
  warn(resource: ModelResource, message: string, fix?: string): void {
    this.add({ ruleId: this.rule.id, level: 'warning', resource, message, fix: fix ?? this.rule.fix });
  }

  /** A warning saying what could not be judged, and why. Never an error. */
  cannotJudge(resource: ModelResource, what: string): void {
    this.add({
      ruleId: this.rule.id,
      level: 'warning',
      resource,
      cannotJudge: true,
      message: `cannot judge: ${what}`,
      fix: 'make the value resolvable at synth time (define the resource in the app, or give the stack an env), or check it by hand',
    });
  }

  private add(f: Finding): void {
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
  /** Reports findings; reports nothing when compliant or not applicable. Must not throw on odd input. */
  check(model: Model, report: Reporter): void;
}

/** Runs rules over a model; a rule that throws becomes a warning finding naming the rule, never a crash. */
export function runRules(model: Model, rules: readonly Rule[]): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const reporter = new Reporter(rule);
    try {
      rule.check(model, reporter);
    } catch (e) {
      const first = model.resources[0];
      if (first) reporter.warn(first, `rule ${rule.id} could not run: ${(e as Error).message}`, 'report this as a bug of cdk-s3-private-access');
    }
    out.push(...reporter.findings);
  }
  return out;
}
