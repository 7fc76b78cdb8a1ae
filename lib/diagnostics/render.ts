/**
 * Text and Mermaid renderings of reports and explanations, shared by the CLI and the programmatic API.
 *
 * Internal: not exported from the package's index.
 */
import { CheckReport, PathExplanation, PathHop, PathVerdict } from './types';

/** Findings grouped by stack, then a summary line. */
export function reportText(report: CheckReport): string {
  const lines: string[] = [];
  for (const stackId of report.stackIds) {
    const findings = report.findings.filter(f => f.stackId === stackId);
    lines.push(`${stackId}: ${findings.length === 0 ? 'no findings' : countText(findings.filter(f => f.level === 'error').length, findings.filter(f => f.level !== 'error').length)}`);
    for (const f of findings) {
      lines.push(`  ${f.level === 'error' ? 'error  ' : 'warning'} [${f.ruleId}] ${f.constructPath} (logical id ${f.logicalId})`);
      lines.push(`          ${f.message}`);
      lines.push(`          fix: ${f.fix}`);
    }
  }
  lines.push('', `${countText(report.errorCount, report.warningCount)} in ${report.stackIds.length} stack${report.stackIds.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function countText(errors: number, warnings: number): string {
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

const MARK: Record<string, string> = {
  [PathVerdict.OK]: 'ok          ',
  [PathVerdict.FAIL]: 'FAIL        ',
  [PathVerdict.CANNOT_JUDGE]: 'cannot-judge',
  [PathVerdict.NOT_APPLICABLE]: 'n/a         ',
};

/** The path hop by hop, each with its verdict and evidence, then the first failure and its fix. */
export function explanationText(e: PathExplanation): string {
  const lines = [`${e.action} on ${e.resource}`, `from ${e.workload} to ${e.bucket}`, ''];
  e.hops.forEach((hop, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${MARK[hop.verdict] ?? hop.verdict} ${hop.title}${hop.ruleId ? ` [${hop.ruleId}]` : ''}`);
    for (const line of hop.evidence) lines.push(`      - ${line}`);
    if (hop.fix && hop.verdict !== PathVerdict.OK) lines.push(`      fix: ${hop.fix}`);
  });
  lines.push('');
  if (e.firstFailure) {
    lines.push(`first failure: ${e.firstFailure.title}${e.firstFailure.ruleId ? ` [${e.firstFailure.ruleId}]` : ''}`);
    lines.push(`fix: ${e.firstFailure.fix ?? 'see the evidence above'}`);
  } else {
    const unsure = e.hops.filter(h => h.verdict === PathVerdict.CANNOT_JUDGE).map(h => h.title);
    lines.push(unsure.length > 0 ? `no hop fails; cannot judge: ${unsure.join(', ')}` : 'no hop fails: the request can reach the bucket');
  }
  return `${lines.join('\n')}\n`;
}

/** A Mermaid `flowchart LR`: one node per hop, failing hops in class `fail`. */
export function explanationMermaid(e: PathExplanation): string {
  const lines = ['flowchart LR'];
  const classes: Record<string, string> = {
    [PathVerdict.OK]: 'ok', [PathVerdict.FAIL]: 'fail', [PathVerdict.CANNOT_JUDGE]: 'unsure', [PathVerdict.NOT_APPLICABLE]: 'na',
  };
  lines.push(`  workload["${label(e.workload)}"]`);
  const ids = e.hops.map(h => h.name.replace(/[^A-Za-z0-9]/g, '_'));
  e.hops.forEach((hop, i) => lines.push(`  ${ids[i]}["${label(hopLabel(hop))}"]:::${classes[hop.verdict] ?? 'na'}`));
  lines.push(`  bucket[("${label(e.bucket)}")]`);
  lines.push(`  ${['workload', ...ids, 'bucket'].join(' --> ')}`);
  lines.push('  classDef ok fill:#e6f4ea,stroke:#1e8e3e');
  lines.push('  classDef fail fill:#fce8e6,stroke:#d93025,stroke-width:2px');
  lines.push('  classDef unsure fill:#fef7e0,stroke:#f9ab00');
  lines.push('  classDef na fill:#f1f3f4,stroke:#9aa0a6,stroke-dasharray:3 3');
  return `${lines.join('\n')}\n`;
}

function hopLabel(hop: PathHop): string {
  return `${hop.title}: ${hop.verdict}${hop.ruleId ? ` (${hop.ruleId})` : ''}`;
}

/** Mermaid labels in double quotes: replace what would end the string. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}
