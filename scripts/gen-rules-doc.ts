// Writes RULES.md from the rule files: `npx projen rules-doc`.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../lib/rules/all';
import { renderRulesMarkdown } from '../lib/rules/catalog-doc';

const target = path.join(__dirname, '..', 'RULES.md');
fs.writeFileSync(target, renderRulesMarkdown(ALL_RULES));
console.log(`wrote ${path.relative(process.cwd(), target)} (${ALL_RULES.length} rules)`);
