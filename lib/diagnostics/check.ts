/**
 * The `check` command's engine: every rule of the catalog over a set of templates, as a {@link CheckReport}.
 *
 * Internal: not exported from the package's index.
 */
import { CheckAssemblyOptions, CheckReport, DiagnosticFinding, FindingLevel } from './types';
import { TemplateSet } from '../input/assembly';
import { ALL_RULES } from '../rules/all';
import { checkTemplates } from '../rules/run';

const ORDER = new Map(ALL_RULES.map((r, i) => [r.id, i]));

/** Runs the selected rules over the templates; findings grouped by stack (in input order), errors first. */
export function checkTemplateSet(set: TemplateSet, options: CheckAssemblyOptions = {}): CheckReport {
  const findings = checkTemplates(set.stacks, options);
  const stackOrder = new Map(set.stacks.map((s, i) => [s.info.id, i]));
  const out: DiagnosticFinding[] = findings.map(f => ({
    ruleId: f.ruleId,
    level: f.level === 'error' ? FindingLevel.ERROR : FindingLevel.WARNING,
    stackId: f.resource.stack.id,
    logicalId: f.resource.logicalId,
    constructPath: f.resource.path,
    message: f.message,
    fix: f.fix,
    cannotJudge: f.cannotJudge ?? false,
    templateFile: set.files.get(f.resource.stack.id),
  }));
  out.sort((a, b) => (stackOrder.get(a.stackId) ?? 0) - (stackOrder.get(b.stackId) ?? 0)
    || levelRank(a.level) - levelRank(b.level)
    || (ORDER.get(a.ruleId) ?? 0) - (ORDER.get(b.ruleId) ?? 0));
  const errorCount = out.filter(f => f.level === FindingLevel.ERROR).length;
  return { findings: out, errorCount, warningCount: out.length - errorCount, stackIds: set.stacks.map(s => s.info.id) };
}

function levelRank(level: string): number {
  return level === 'error' ? 0 : 1;
}
