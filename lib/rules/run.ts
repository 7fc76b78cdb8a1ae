/**
 * The rule runner every front end shares: which rules run (the catalog minus the disabled ones), running them over a
 * model, and the one text a finding is printed as.
 *
 * Internal: not exported from the package's index.
 */
import { ALL_RULES } from './all';
import { CheckOptions } from './options';
import { Finding, Rule, Reporter } from './rule';
import { buildModel, Model } from '../model/model';
import { StackTemplate } from '../model/values';

export type { CheckOptions };


/** The rules to run: the catalog minus the disabled ones (unknown ids are an error, so typos don't hide rules). */
export function selectRules(disabled: readonly string[] = []): Rule[] {
  const known = new Set(ALL_RULES.map(r => r.id));
  const unknownIds = disabled.filter(id => !known.has(id));
  if (unknownIds.length > 0) {
    throw new Error(`unknown rule id in disabledRules: ${unknownIds.join(', ')}; known ids are ${[...known].join(', ')}`);
  }
  return ALL_RULES.filter(r => !disabled.includes(r.id));
}

/** Runs the selected rules over templates; applies warningsAsErrors. */
export function checkTemplates(stacks: StackTemplate[], options: CheckOptions = {}): Finding[] {
  const findings = runRules(buildModel(stacks), selectRules(options.disabledRules));
  return options.warningsAsErrors ? findings.map(f => ({ ...f, level: 'error' as const })) : findings;
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

/** `[S3PA-Id] message (logical id X). Fix: fix` — the one message format every front end prints. */
export function formatFinding(f: Finding): string {
  return `[${f.ruleId}] ${f.message} (logical id ${f.resource.logicalId}). Fix: ${f.fix}`;
}
