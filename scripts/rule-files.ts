import * as fs from 'fs';
import * as path from 'path';

/** The domains the rules are grouped in, in catalog order: one folder each under lib/rules. */
export const RULE_DOMAINS: readonly string[] = ['network', 'policy', 'workload'];

/** One rule's file: its domain folder, its file name and the constant it exports. */
export interface RuleFile {
  readonly domain: string;
  readonly file: string;
  readonly exportName: string;
}

/**
 * The rule files under a rules directory: every `export const <name>: Rule` in `<domain>/*.ts`, by domain, then by
 * file name. The registry (`all.ts`) and the catalog (`RULES.md`) are generated from this list, so adding a rule is
 * adding its file.
 */
export function ruleFiles(rulesDir: string): RuleFile[] {
  const out: RuleFile[] = [];
  for (const domain of RULE_DOMAINS) {
    const dir = path.join(rulesDir, domain);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/^export const (\w+): Rule = \{/gm)) out.push({ domain, file: file.replace(/\.ts$/, ''), exportName: m[1] });
    }
  }
  return out;
}

/** The source of `all.ts` for a list of rule files. */
export function renderRegistry(files: readonly RuleFile[]): string {
  // imports in path order, as the lint rules want them
  const imports = [
    ...files.map(f => ({ from: `./${f.domain}/${f.file}`, name: f.exportName })),
    { from: './rule', name: 'Rule' },
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return [
    '// generated from lib/rules/<domain>/*.ts by `npx projen rules-doc`: do not edit by hand',
    ...imports.map(i => `import { ${i.name} } from '${i.from}';`),
    '',
    '/** Every rule of the catalog, by domain (network, policy, workload), then by file name. */',
    'export const ALL_RULES: readonly Rule[] = [',
    ...files.map(f => `  ${f.exportName},`),
    '];',
    '',
  ].join('\n');
}
