/**
 * A {@link CheckReport} as SARIF 2.1.0: one run, the catalog's rules as `tool.driver.rules`, each finding a result
 * located at the user's source line that created the construct (from the assembly's construct creation traces), so
 * code scanning shows it on the pull request, with the template file and line of the resource as a related
 * location; without a trace, located in the template file itself. Both carry the logical id.
 *
 * Internal: not exported from the package's index.
 */
import * as fs from 'fs';
import * as path from 'path';
import { creationSites } from './creation-sites';
import { CheckReport } from './types';
import { ALL_RULES } from '../rules/all';

const INFORMATION_URI = 'https://github.com/cdk-s3-private-access/cdk-s3-private-access/blob/main/RULES.md';

/** The SARIF log of a report, as a JSON string. */
export function sarifOf(report: CheckReport, version: string): string {
  const lines = new Map<string, Map<string, number>>();
  const lineOf = (file: string | undefined, logicalId: string): number | undefined => {
    if (!file) return undefined;
    if (!lines.has(file)) lines.set(file, resourceLines(file));
    return lines.get(file)!.get(logicalId);
  };
  const ruleIndex = new Map(ALL_RULES.map((r, i) => [r.id, i]));
  const siteOf = creationSites();
  const results = report.findings.map(f => {
    const line = lineOf(f.templateFile, f.logicalId);
    const templateLocation = f.templateFile ? {
      artifactLocation: { uri: uriOf(f.templateFile) },
      ...(line ? { region: { startLine: line } } : {}),
    } : undefined;
    const site = f.templateFile ? siteOf(f.templateFile, f.constructPath) : undefined;
    const sourceLocation = site ? {
      artifactLocation: { uri: uriOf(site.file) },
      region: { startLine: site.line, ...(site.column ? { startColumn: site.column } : {}) },
    } : undefined;
    const physicalLocation = sourceLocation ?? templateLocation;
    const logicalLocations = [{ name: f.logicalId, fullyQualifiedName: `${f.stackId}/${f.logicalId}`, kind: 'resource' }];
    return {
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: f.level === 'error' ? 'error' : 'warning',
      message: { text: `${f.message}. Fix: ${f.fix}` },
      locations: [{ ...(physicalLocation ? { physicalLocation } : {}), logicalLocations }],
      ...(sourceLocation && templateLocation ? {
        relatedLocations: [{
          id: 1,
          physicalLocation: templateLocation,
          logicalLocations,
          message: { text: `${f.constructPath} (logical id ${f.logicalId}) in the synthesized template` },
        }],
      } : {}),
      properties: { stackId: f.stackId, constructPath: f.constructPath, cannotJudge: f.cannotJudge ?? false },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-s3-private-access',
          version,
          informationUri: INFORMATION_URI,
          rules: ALL_RULES.map(r => ({
            id: r.id,
            name: r.id.replace(/^S3PA-/, ''),
            shortDescription: { text: r.symptom },
            fullDescription: { text: r.description },
            help: { text: r.fix },
            helpUri: `${INFORMATION_URI}#rules-of-the-synth-time-checks`,
            defaultConfiguration: { level: r.level },
          })),
        },
      },
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}

/** A relative URI for files under the working directory, else a file URI. */
function uriOf(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  return `file://${path.resolve(file).split(path.sep).join('/')}`;
}

/** The 1-based line of each resource's key in a template's `Resources` section. */
function resourceLines(file: string): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex(l => /^\s*"Resources"\s*:/.test(l));
  if (start < 0) return out;
  const indent = /^(\s*)/.exec(lines[start])![1].length;
  let childIndent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const lead = /^(\s*)/.exec(lines[i])![1].length;
    if (/^\s*\}/.test(lines[i]) && lead <= indent) break;
    const match = /^(\s*)"([^"]+)"\s*:\s*\{/.exec(lines[i]);
    if (!match || lead <= indent) continue;
    childIndent = childIndent ?? lead;
    if (lead === childIndent && !out.has(match[2])) out.set(match[2], i + 1);
  }
  return out;
}
