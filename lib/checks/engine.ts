import { IConstruct } from 'constructs';
import { templatesOfScope } from '../model/from-scope';
import { buildModel } from '../model/model';
import { StackTemplate } from '../model/values';
import { ALL_RULES } from '../rules/all';
import { Finding, Rule, runRules } from '../rules/rule';

/** Options every front end shares. */
export interface CheckOptions {
  readonly disabledRules?: string[];
  readonly warningsAsErrors?: boolean;
}

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

/** Runs the rules over every stack under a construct scope (call late: from a validation or a plugin). */
export function checkScope(scope: IConstruct, options: CheckOptions = {}) {
  const templates = templatesOfScope(scope);
  return { findings: checkTemplates(templates.stacks, options), constructs: templates.constructs };
}

/** `[S3PA-Id] message (logical id X). Fix: fix` — the one message format every front end prints. */
export function formatFinding(f: Finding): string {
  return `[${f.ruleId}] ${f.message} (logical id ${f.resource.logicalId}). Fix: ${f.fix}`;
}

/**
 * The Aspect's annotation of a finding. The CDK CLI takes a trailing `(<namespace>::<id>)` of an error annotation as
 * its rule (a warning's rule is its `[ack: ...]` id), so an error ends with its rule id in that form: never with a
 * parenthesis of its fix that happens to hold `::`, such as `(s3:GetObject on arn:aws:s3:::bucket/*)`.
 */
export function annotationOf(f: Finding): string {
  return f.level === 'error' ? `${formatFinding(f)} (cdk-s3-private-access::${f.ruleId})` : formatFinding(f);
}
