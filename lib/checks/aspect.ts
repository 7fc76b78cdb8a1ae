import { Annotations, IAspect, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { judgedByCli, nestedStage } from './enforce';
import { annotationOf, checkScope } from './engine';
import { CheckOptions } from '../rules/options';
import { Finding } from '../rules/rule';
import { formatFinding, selectRules } from '../rules/run';

/** Messages already reported per construct, so an app-wide and a stack-wide instance never repeat a finding. */
const REPORTED = new WeakMap<IConstruct, Set<string>>();

/** Error annotations in nested Stages, failed at the app's validation unless the CDK CLI judges their stacks. */
const ESCALATED = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** Options of {@link S3PrivateAccessChecks}. */
export interface S3PrivateAccessChecksProps extends CheckOptions {}

/**
 * The synth-time checks as a CDK Aspect: `Aspects.of(app).add(new S3PrivateAccessChecks())`.
 *
 * Works on any app, whether or not it uses `S3PrivateAccess`. It judges the resolved CloudFormation of every stack
 * under the scope it is added to, once all aspects have run and cross-stack references are resolved, and reports
 * each finding on the offending resource: errors as `Annotations` errors (so `cdk synth` fails), warnings with the
 * stable id `cdk-s3-private-access:<rule id>` (acknowledge with `Annotations.of(scope).acknowledgeWarning(id, reason)`).
 *
 * Stages: CDK synthesizes a Stage's stacks before the app's aspects run, and a plain `cdk synth` judges a Stage's
 * annotations only where the Stage was synthesized with `validateOnSynthesis` (CDK Pipelines' `addStage`). So an
 * error in another Stage's stack fails the app's own validation instead (`cdk synth` exits 1 and prints it), whether
 * the check was added to the app, the Stage or the stack. Added to the app, the check cannot annotate a Stage's
 * stacks: it fails synth on their errors and prints their warnings on stderr.
 */
export class S3PrivateAccessChecks implements IAspect {
  private readonly registered = new WeakSet<IConstruct>();

  constructor(private readonly props: S3PrivateAccessChecksProps = {}) {
    selectRules(props.disabledRules); // fail early on unknown ids
  }

  public visit(node: IConstruct): void {
    // the first node visited in a subtree is the scope the aspect was added to: register one late check there
    if (node.node.scopes.some(s => this.registered.has(s))) return;
    this.registered.add(node);
    node.node.addValidation({ validate: () => this.report(node) });
  }

  /** Annotates the findings of the assembly being synthesized; returns the errors that only the app can fail on. */
  private report(scope: IConstruct): string[] {
    // in the validation phase: synthesis takes these renders instead of making its own
    const { findings, constructs } = checkScope(scope, this.props, { lendToSynthesis: true });
    const root = scope.node.root;
    // the assembly being synthesized: the scope's own Stage (the scope itself when it is one)
    const assembly = Stage.isStage(scope) ? scope : Stage.of(scope);
    const failHere: string[] = [];
    const late: Finding[] = [];
    for (const f of findings) {
      const target = constructs.get(f.resource.key) ?? scope;
      const message = formatFinding(f);
      if (!once(REPORTED, target, `${f.level}|${message}`)) continue;
      if (Stage.of(target) !== assembly) {
        // a Stage below, already synthesized: too late to annotate
        late.push(f);
        if (f.level === 'error') failHere.push(`[${f.resource.path}] ${message}`);
        continue;
      }
      if (f.level === 'error') Annotations.of(target).addError(annotationOf(f));
      else Annotations.of(target).addWarningV2(`cdk-s3-private-access:${f.ruleId}`, annotationOf(f));
      if (f.level === 'error' && nestedStage(root, target)) escalate(root, `[${f.resource.path}] ${message}`, target);
    }
    const warnings = late.filter(f => f.level !== 'error');
    if (warnings.length > 0) {
      process.stderr.write(`cdk-s3-private-access: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} in stacks `
        + `of a Stage, which a check added above the Stage cannot annotate (add it to the Stage to annotate them):\n${
          warnings.map(f => `  [${f.resource.path}] ${formatFinding(f)}`).join('\n')}\n`);
    }
    if (root === assembly || failHere.length === 0) return failHere;
    for (const m of failHere) escalate(root, m);
    return [];
  }
}

/**
 * Makes the root's own validation fail with the message (a nested assembly's error fails the whole `cdk synth`),
 * unless the CDK CLI judges the stack of the annotated construct (checked after the Stage's synthesis).
 */
function escalate(root: IConstruct, message: string, annotated?: IConstruct): void {
  let messages = ESCALATED.get(root);
  if (!messages) {
    const all = new Map<string, IConstruct>();
    messages = all;
    ESCALATED.set(root, all);
    root.node.addValidation({
      validate: () => [...all].filter(([, c]) => c === root || !judgedByCli(root, c)).map(([m]) => m),
    });
  }
  messages.set(message, annotated ?? root);
}

/** Records `key` for `target`; false when it was recorded before. */
function once(map: WeakMap<IConstruct, Set<string>>, target: IConstruct, key: string): boolean {
  const seen = map.get(target) ?? new Set<string>();
  map.set(target, seen);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
