import { Rule } from './rule';

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The rule catalog as Markdown, generated from the rule files so the docs never drift from the code. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '<!-- generated from lib/rules/*.ts by `npx projen rules-doc`: do not edit by hand -->',
    '# Rules of the synth-time checks',
    '',
    'Each rule runs in the `S3PrivateAccessChecks` Aspect, the `S3PrivateAccessValidator` policy-validation plugin and',
    'the `S3PrivateAccessNagPack` cdk-nag pack. An `error` fails `cdk synth`; a `warning` does not. A rule reports an',
    'error only when a request really fails (a timeout, a 403, a failed deployment) for a workload that uses S3; where',
    'the app cannot tell, or the request still works another way, it warns. A rule that meets a value it cannot resolve',
    '(an imported resource, an environment-agnostic stack) reports a warning saying what it could not judge, never an',
    'error.',
    '',
    'A workload *uses S3* when its role is granted S3 actions, its environment names a bucket or an S3 location, it pulls',
    'ECR images (ECS: the layers come from S3), or it is an Amazon Linux or SSM-managed instance (package repositories and',
    'agent buckets are in S3). It *may use S3* when it runs as a role, or carries managed policies, that the app does not',
    'define, or when its image is not known; such a workload gets warnings at most. Other workloads are not judged.',
    '',
    '| id | level | symptom | what reveals it | when it applies | false-positive guard | fix | explain hop |',
    '|---|---|---|---|---|---|---|---|',
    ...rules.map(r => `| \`${r.id}\` | ${r.level} | ${escape(r.symptom)} | ${escape(r.description)} | ${escape(r.appliesWhen)} `
      + `| ${escape(r.guard)} | ${escape(r.fix)} | ${r.hops.length > 0 ? r.hops.join(', ') : '(not on a request path)'} |`),
    '',
  ];
  return lines.join('\n');
}
