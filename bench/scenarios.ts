import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NagPackValidation, S3PrivateAccessChecks, S3PrivateAccessValidator } from '../lib';

/** One way of synthesizing the generated app. */
export interface Scenario {
  /** Short key used in tables: a, b, c, d. */
  readonly key: string;
  readonly label: string;
  /** Adds the checks to the freshly built app (before synth). */
  setup(app: App): void;
  /** How many findings the scenario reported, read from what synth wrote (proves the work was done). */
  findings(assembly: CloudAssembly, outdir: string): number;
}

/** Findings in CDK's policy-validation report of one plugin. */
function reportedViolations(outdir: string, pluginName: string): number {
  const file = path.join(outdir, 'policy-validation-report.json');
  if (!fs.existsSync(file)) return 0;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const plugins: any[] = report.pluginReports ?? [];
  return plugins
    .filter(p => p.summary?.pluginName === pluginName)
    .flatMap(p => p.violations ?? [])
    .reduce((n: number, v: any) => n + (v.violatingConstructs?.length ?? v.violatingResources?.length ?? 1), 0);
}

export const SCENARIOS: Scenario[] = [
  {
    key: 'a',
    label: 'plain app.synth()',
    setup: () => undefined,
    findings: () => 0,
  },
  {
    key: 'b',
    label: 'Aspects.of(app).add(new S3PrivateAccessChecks())',
    setup: app => Aspects.of(app).add(new S3PrivateAccessChecks()),
    findings: assembly => assembly.stacks
      .flatMap(s => s.messages)
      .filter(m => String(m.entry.data).startsWith('[S3PA-')).length,
  },
  {
    key: 'c',
    label: 'Validations.of(app).addPlugins(new S3PrivateAccessValidator())',
    setup: app => Validations.of(app).addPlugins(new S3PrivateAccessValidator()),
    findings: (_assembly, outdir) => reportedViolations(outdir, 'cdk-s3-private-access'),
  },
  {
    key: 'd',
    label: 'Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)))',
    setup: app => Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app))),
    findings: (_assembly, outdir) => reportedViolations(outdir, 'AwsSolutions'),
  },
];
