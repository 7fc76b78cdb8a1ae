import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../lib/rules/all';
import { renderRulesMarkdown } from '../../lib/rules/catalog-doc';
import { renderRegistry, RULE_DOMAINS, ruleFiles } from '../../scripts/rule-files';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The catalog is pinned by the files generated from the rule files (`npx projen rules-doc`): lib/rules/all.ts and
 * RULES.md, both committed, so a rule that vanishes or changes level shows in their diff, and adding a rule is
 * adding its file (and regenerating).
 */
describe('the rule catalog', () => {
  test('lib/rules/all.ts registers every rule file and is up to date (run `npx projen rules-doc`)', () => {
    const file = fs.readFileSync(path.join(ROOT, 'lib', 'rules', 'all.ts'), 'utf8');
    expect(file).toEqual(renderRegistry(ruleFiles(path.join(ROOT, 'lib', 'rules'))));
  });

  test('RULES.md is generated from the rule files and up to date (run `npx projen rules-doc`)', () => {
    const file = fs.readFileSync(path.join(ROOT, 'RULES.md'), 'utf8');
    expect(file).toEqual(renderRulesMarkdown(ALL_RULES));
  });

  test('RULES.md lists every rule with its level, as the registry does', () => {
    const rows = [...fs.readFileSync(path.join(ROOT, 'RULES.md'), 'utf8').matchAll(/^\| `(S3PA-[A-Za-z0-9]+)` \| (error|warning) \|/gm)];
    expect(rows.map(r => [r[1], r[2]])).toEqual(ALL_RULES.map(r => [r.id, r.level]));
  });

  test('every rule carries its texts, its hops and an id cdk-nag can acknowledge; ids are unique', () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^S3PA-[A-Za-z0-9]+$/);
      expect(rule.symptom.length).toBeGreaterThan(5);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(5);
      expect(rule.appliesWhen.length).toBeGreaterThan(20);
      expect(rule.guard.length).toBeGreaterThan(20);
      expect(Array.isArray(rule.hops)).toBe(true);
    }
    expect(new Set(ALL_RULES.map(r => r.id)).size).toBe(ALL_RULES.length);
  });

  test('no rule file sits outside a domain folder', () => {
    const loose = fs.readdirSync(path.join(ROOT, 'lib', 'rules'))
      .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .filter(f => /export const \w+: Rule = \{/.test(fs.readFileSync(path.join(ROOT, 'lib', 'rules', f), 'utf8')));
    expect(loose).toEqual([]);
    expect(RULE_DOMAINS).toEqual(['network', 'policy', 'workload']);
  });
});
