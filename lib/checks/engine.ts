import { IConstruct } from 'constructs';
import { ScopeRenderOptions, templatesOfScope } from '../input/scope';
import { Finding } from '../rules/rule';
import { CheckOptions, checkTemplates, formatFinding } from '../rules/run';

/**
 * Runs the rules over every stack under a construct scope (call late: from a validation or a plugin). With
 * `lendToSynthesis` (the Aspect, in the validation phase), synthesis reuses the templates rendered here.
 */
export function checkScope(scope: IConstruct, options: CheckOptions = {}, render: ScopeRenderOptions = {}) {
  const templates = templatesOfScope(scope, render);
  return { findings: checkTemplates(templates.stacks, options), constructs: templates.constructs };
}

/**
 * The Aspect's annotation of a finding. The CDK CLI takes a trailing `(<namespace>::<id>)` of an error annotation as
 * its rule (a warning's rule is its `[ack: ...]` id), so an error ends with its rule id in that form: never with a
 * parenthesis of its fix that happens to hold `::`, such as `(s3:GetObject on arn:aws:s3:::bucket/*)`.
 */
export function annotationOf(f: Finding): string {
  return f.level === 'error' ? `${formatFinding(f)} (cdk-s3-private-access::${f.ruleId})` : formatFinding(f);
}
