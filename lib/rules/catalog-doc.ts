import { Rule } from './rule';

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The rule catalog as Markdown, generated from the rule files so the docs never drift from the code. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '<!-- generated from lib/rules/*.ts by `npx projen rules-doc`: do not edit by hand -->',
    '# Rules of the synth-time checks',
    '',
    'Each rule runs in the `S3PrivateAccessChecks` Aspect, the `S3PrivateAccessValidator` policy-validation plugin and',
    'the `S3PrivateAccessNagPack` cdk-nag pack. An `error` fails `cdk synth`; a `warning` does not. A rule that meets a',
    'value it cannot resolve (an imported resource, an environment-agnostic stack) reports a warning saying what it could',
    'not judge, never an error.',
    '',
    '| id | level | symptom | what reveals it | fix |',
    '|---|---|---|---|---|',
    ...rules.map(r => `| \`${r.id}\` | ${r.level} | ${escape(r.symptom)} | ${escape(r.description)} | ${escape(r.fix)} |`),
    '',
  ];
  return lines.join('\n');
}
