// Writes the rule registry (lib/rules/all.ts) and the catalog (RULES.md) from the rule files: `npx projen rules-doc`.
import * as fs from 'fs';
import * as path from 'path';
import { renderRegistry, ruleFiles } from './rule-files';

const rulesDir = path.join(__dirname, '..', 'lib', 'rules');
const registry = path.join(rulesDir, 'all.ts');
fs.writeFileSync(registry, renderRegistry(ruleFiles(rulesDir)));

// the catalog is rendered from the registry just written
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALL_RULES } = require('../lib/rules/all');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderRulesMarkdown } = require('../lib/rules/catalog-doc');
const target = path.join(__dirname, '..', 'RULES.md');
fs.writeFileSync(target, renderRulesMarkdown(ALL_RULES));
console.log(`wrote ${path.relative(process.cwd(), registry)} and ${path.relative(process.cwd(), target)} (${ALL_RULES.length} rules)`);
