import { Annotations, CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { judgedByCli, nestedStage } from './enforce';
import { annotationOf, checkScope } from './engine';
import { stackInfo, stacksOfScope, stackTemplateOf } from '../input/scope';
import { addArtifactMessages, judgeableWhenWritten, whenWritten, WrittenStack, writtenPaths, writtenTemplate } from '../input/written-stacks';
import { CheckOptions } from '../rules/options';
import { Finding } from '../rules/rule';
import { checkTemplates, formatFinding, selectRules } from '../rules/run';

/** Messages already reported per construct, so an app-wide and a stack-wide instance never repeat a finding. */
const REPORTED = new WeakMap<IConstruct, Set<string>>();

/** Error annotations in nested Stages, failed at the app's validation unless the CDK CLI judges their stacks. */
const ESCALATED = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** Options of {@link S3PrivateAccessChecks}. */
export interface S3PrivateAccessChecksProps extends CheckOptions {}

/**
 * The synth-time checks as a CDK Aspect: `Aspects.of(app).add(new S3PrivateAccessChecks())`.
 *
 * Works on any app, whether or not it uses `S3PrivateAccess`. It judges the CloudFormation of every stack under the
 * scope it is added to as synthesis writes it (once the last of those stacks is written, before the assembly's
 * manifest is built, so no stack is rendered twice; stacks of a Stage below the scope and nested stacks are rendered
 * in the validation phase instead, after all aspects have run), and reports each finding on the offending resource:
 * errors as `Annotations` errors (so `cdk synth` fails), warnings with the stable id `cdk-s3-private-access:<rule id>`
 * (acknowledge with `Annotations.of(scope).acknowledgeWarning(id, reason)`).
 *
 * Stages: CDK synthesizes a Stage's stacks before the app's aspects run, and a plain `cdk synth` judges a Stage's
 * annotations only where the Stage was synthesized with `validateOnSynthesis` (CDK Pipelines' `addStage`). So an
 * error in another Stage's stack fails the app's own validation instead (`cdk synth` exits 1 and prints it), whether
 * the check was added to the app, the Stage or the stack. Added to the app, the check cannot annotate a Stage's
 * stacks: it fails synth on their errors and prints their warnings on stderr.
 */
export class S3PrivateAccessChecks implements IAspect {
  /** The scopes this check was registered on and every node visited below them. */
  private readonly covered = new WeakSet<IConstruct>();

  constructor(private readonly props: S3PrivateAccessChecksProps = {}) {
    selectRules(props.disabledRules); // fail early on unknown ids
  }

  public visit(node: IConstruct): void {
    // the first node visited in a subtree is the scope the aspect was added to: register one late check there.
    // Aspects visit parents before children, so a node is covered when its parent is (one lookup per node)
    if (this.covered.has(node) || this.coveredAbove(node)) {
      this.covered.add(node);
      return;
    }
    this.covered.add(node);
    node.node.addValidation({ validate: () => this.report(node) });
  }

  /** Whether an ancestor of the node is covered: its parent, for nodes that CDK's aspects visit. */
  private coveredAbove(node: IConstruct): boolean {
    for (let s = node.node.scope; s; s = s.node.scope) if (this.covered.has(s)) return true;
    return false;
  }

  /**
   * Judges the stacks under the scope, in the validation phase of the assembly being synthesized; returns the errors
   * that only the app can fail on. Where every stack is one this assembly's synthesis writes (no Stage below, no
   * nested stack), they are judged as written, once the last is written and before the manifest is built, so no
   * stack is rendered twice; else they are rendered here (the renders lent to synthesis).
   */
  private report(scope: IConstruct): string[] {
    // the assembly being synthesized: the scope's own Stage (the scope itself when it is one)
    const assembly = Stage.isStage(scope) ? scope : Stage.of(scope);
    const stacks = stacksOfScope(scope);
    if (assembly && judgeableWhenWritten(assembly, stacks)) {
      whenWritten(stacks, written => this.reportWritten(scope, assembly, written));
      return [];
    }
    const { findings, constructs } = checkScope(scope, this.props, { lendToSynthesis: true });
    return this.annotate(scope, assembly, findings, constructs);
  }

  /** Judges the templates the stacks' synthesizers wrote, and adds the annotations to their artifacts as well. */
  private reportWritten(scope: IConstruct, assembly: Stage, written: WrittenStack[]): void {
    const constructs = new Map<string, CfnResource>();
    const findings = checkTemplates(written.map(w => {
      const template = writtenTemplate(w);
      // the paths the template names spare resolving every logical id again
      const paths = writtenPaths(template);
      return paths ? { info: stackInfo(w.stack), template, paths } : stackTemplateOf(w.stack, template, constructs);
    }), this.props);
    const targets = new Map<IConstruct, number>();
    for (const f of findings) {
      const target = constructs.get(f.resource.key) ?? resourceAt(scope.node.root, f.resource.path, f.resource.stack.id) ?? scope;
      if (CfnResource.isCfnResource(target)) constructs.set(f.resource.key, target);
      if (!targets.has(target)) targets.set(target, target.node.metadata.length);
    }
    this.annotate(scope, assembly, findings, constructs);
    // the annotations just made, by stack and construct path, as the stack's synthesizer would have collected them
    const added = new Map<Stack, Map<string, any[]>>();
    for (const [target, before] of targets) {
      const entries = target.node.metadata.slice(before);
      const stack = written.find(w => w.stack === stackOf(target))?.stack;
      if (entries.length === 0 || !stack) continue;
      const byPath = added.get(stack) ?? new Map<string, any[]>();
      added.set(stack, byPath.set(`/${target.node.path}`, entries));
    }
    const unreported = written.filter(w => !addArtifactMessages(w, added.get(w.stack) ?? new Map()));
    const errors = findings.filter(f => f.level === 'error' && unreported.some(w => w.stack.artifactId === f.resource.stack.id));
    if (errors.length > 0) {
      throw new Error(`cdk-s3-private-access: the synthesizer of ${unreported.map(w => w.stack.node.path).join(', ')} added no stack `
        + `artifact, so the checks cannot report on it; use S3PrivateAccessValidator instead:\n${
          errors.map(f => `  [${f.resource.path}] ${formatFinding(f)}`).join('\n')}`);
    }
  }

  /** Annotates the findings of the assembly being synthesized; returns the errors that only the app can fail on. */
  private annotate(scope: IConstruct, assembly: Stage | undefined, findings: Finding[], constructs: Map<string, CfnResource>): string[] {
    const root = scope.node.root;
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

/** The resource at a construct path below the root (`Stack/Fn/Resource`) in the stack of that artifact id, if any. */
function resourceAt(root: IConstruct, constructPath: string, stackId: string): CfnResource | undefined {
  let node: IConstruct | undefined = root;
  for (const id of constructPath.split('/')) node = node?.node.tryFindChild(id);
  return node && CfnResource.isCfnResource(node) && stackOf(node)?.artifactId === stackId ? node : undefined;
}

/** The stack of a construct; undefined for one outside every stack (the app, a Stage). */
function stackOf(c: IConstruct): Stack | undefined {
  for (let node: IConstruct | undefined = c; node; node = node.node.scope) if (Stack.isStack(node)) return node;
  return undefined;
}

/** Records `key` for `target`; false when it was recorded before. */
function once(map: WeakMap<IConstruct, Set<string>>, target: IConstruct, key: string): boolean {
  const seen = map.get(target) ?? new Set<string>();
  map.set(target, seen);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
