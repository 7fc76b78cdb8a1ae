/**
 * Makes a failed validation report fail `cdk synth` where neither aws-cdk-lib nor the CDK CLI would, on every
 * aws-cdk-lib version: detected by features, not by version numbers.
 *
 * - aws-cdk-lib fails synth on a failed report itself, unless the app runs with the context
 *   `@aws-cdk/core:failSynthOnValidationErrors` false: the CDK CLI always sets it, to report validation itself.
 * - The CDK CLI then reads the report that aws-cdk-lib writes as `validation-report.json` (announced by the export
 *   `VALIDATION_REPORT_FILE` of `aws-cdk-lib/cx-api`); an aws-cdk-lib without it (2.257) writes only
 *   `policy-validation-report.json`, which the CLI does not read, so nothing fails.
 * - Even then the CLI judges only the top-level stacks in a plain `cdk synth`, and those of a Stage (a nested
 *   assembly) only where the Stage was synthesized with `validateOnSynthesis` (as CDK Pipelines' `addStage` does):
 *   the stacks of any other Stage pass unjudged, annotations included.
 *
 * What no one else will report is printed here, and the process exit code set to 1 (as aws-cdk-lib does itself).
 *
 * Internal: not exported from the package's index.
 */
import * as fs from 'fs';
import { PolicyValidationPluginReport, Stack, Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { validatedOnSynth } from '../input/template-files';

const FAIL_SYNTH_CONTEXT = '@aws-cdk/core:failSynthOnValidationErrors';

/** One violating resource, as the report names it. */
export interface ViolatingResource {
  readonly constructPath?: string;
  readonly templatePath?: string;
  readonly resourceLogicalId?: string;
}

/**
 * Fails synth for the errors of a report that aws-cdk-lib and the CDK CLI would let pass.
 *
 * @param root the app, when known (newer aws-cdk-lib puts it on the validation context; a nag pack is given it);
 * without it, the context the CDK CLI passes to the app tells
 * @param report the plugin's report
 * @param cliJudges whether the CDK CLI judges the stack of a violating resource in a plain `cdk synth`
 */
export function failSynthWhereUnreported(
  pluginName: string,
  root: IConstruct | undefined,
  report: PolicyValidationPluginReport,
  cliJudges: (resource: ViolatingResource) => boolean,
): void {
  if (report.success || libFailsSynth(root)) return;
  const cliReads = cliReadsReport();
  const lines: string[] = [];
  for (const v of report.violations) {
    if (v.severity !== 'error' && v.severity !== 'fatal') continue;
    for (const r of v.violatingResources as ViolatingResource[]) {
      if (cliReads && cliJudges(r)) continue;
      const where = r.constructPath ?? (r.resourceLogicalId ? `${r.templatePath ?? ''} ${r.resourceLogicalId}`.trim() : 'the app');
      const fix = v.fix ? `. Fix: ${v.fix}` : '';
      lines.push(`  [${v.ruleName}] ${where}: ${v.description}${fix}`);
    }
  }
  if (lines.length === 0) return;
  process.stderr.write(`${pluginName}: validation failed with ${lines.length} error${lines.length === 1 ? '' : 's'} `
    + 'that the CDK CLI would not report (a Stage\'s stacks, or an aws-cdk-lib whose report the CLI does not read):\n'
    + `${[...new Set(lines)].join('\n')}\n`);
  process.exitCode = 1;
}

/** True when aws-cdk-lib fails synth on failed reports itself: the app was not told that the CDK CLI does. */
export function libFailsSynth(root: IConstruct | undefined): boolean {
  const value = root ? root.node.tryGetContext(FAIL_SYNTH_CONTEXT) : cliContext()[FAIL_SYNTH_CONTEXT];
  return value !== false && value !== 'false';
}

/** The context the CDK CLI passes to the app, read as aws-cdk-lib's App reads it (inline, or in an overflow file). */
function cliContext(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const inline = process.env[cxapi.CONTEXT_ENV];
  const overflow = process.env[(cxapi as unknown as Record<string, string>).CONTEXT_OVERFLOW_LOCATION_ENV];
  for (const read of [() => inline, () => (overflow ? fs.readFileSync(overflow, 'utf8') : undefined)]) {
    try {
      const text = read();
      if (text) Object.assign(out, JSON.parse(text));
    } catch {
      // unreadable context: as if the app ran without the CLI
    }
  }
  return out;
}

/** True when this aws-cdk-lib writes the validation report that the CDK CLI reads and fails synth on. */
export function cliReadsReport(): boolean {
  return typeof (cxapi as unknown as Record<string, unknown>).VALIDATION_REPORT_FILE === 'string';
}

/** Whether the CDK CLI judges the stack of the construct at `constructPath` (from the root) in a plain `cdk synth`. */
export function judgedByCliAt(root: IConstruct, constructPath: string | undefined): boolean {
  let node: IConstruct | undefined = root;
  for (const id of (constructPath ?? '').replace(/^\//, '').split('/').filter(Boolean)) {
    node = node?.node.tryFindChild(id);
  }
  return node ? judgedByCli(root, node) : true;
}

/**
 * Whether the CDK CLI judges the construct's stack in a plain `cdk synth`: a top-level stack, or a Stage's stack
 * synthesized with `validateOnSynthesis` (read from the Stage's manifest, so call it after the Stage's synthesis).
 */
export function judgedByCli(root: IConstruct, construct: IConstruct): boolean {
  const stage = nestedStage(root, construct);
  if (!stage) return true;
  let stack: Stack | undefined = Stack.of(construct);
  while (stack?.nestedStackParent) stack = stack.nestedStackParent;
  return stack !== undefined && validatedOnSynth(stage.outdir, stack.artifactId);
}

/** The Stage below the root that holds the construct (its nearest one), if any. */
export function nestedStage(root: IConstruct, construct: IConstruct): Stage | undefined {
  const stage = Stage.of(construct);
  return stage && stage !== root && stage.node.root === root ? stage : undefined;
}

/** A report whose success depends on its errors only; with `warningsAsErrors`, its warnings become errors. */
export function judgedReport(report: PolicyValidationPluginReport, warningsAsErrors: boolean): PolicyValidationPluginReport {
  const violations = warningsAsErrors
    ? report.violations.map(v => (v.severity === 'warning' ? { ...v, severity: 'error' } : v))
    : report.violations;
  return { ...report, violations, success: !violations.some(v => v.severity === 'error' || v.severity === 'fatal') };
}
