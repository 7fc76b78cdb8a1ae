import * as fs from 'fs';
import { Validations } from 'aws-cdk-lib';
import { CloudAssembly, FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildLambdaApp } from './lambda-app';
import { PROCESS_SCENARIOS, ProcessSample } from './process-scenarios';
import { NagPackValidation, S3PrivateAccessValidator } from '../../lib';

/** Scenario e: the Aspect's renders are not lent, so synthesis renders every stack a second time (the old path). */
function withoutLending(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, to replace one export
  const render = require('../../lib/input/render');
  const renderTemplate = render.renderTemplate;
  render.renderTemplate = (stack: unknown) => renderTemplate(stack, false);
}

function findings(key: string, assembly: CloudAssembly, outdir: string): number {
  if (key === 'b' || key === 'e') {
    return assembly.stacks.flatMap(s => s.messages).filter(m => String(m.entry.data).startsWith('[S3PA-')).length;
  }
  const file = `${outdir}/policy-validation-report.json`;
  if (!fs.existsSync(file)) return 0;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return (report.pluginReports ?? []).flatMap((p: any) => p.violations ?? [])
    .reduce((n: number, v: any) => n + (v.violatingConstructs?.length ?? 1), 0);
}

/** `node bench/whole/child.js <scenario> <N> <outdir> <result file>`: one synthesis, the way `cdk synth` runs an app. */
function main(): void {
  const [key, n, outdir, resultFile] = process.argv.slice(2);
  if (!(key in PROCESS_SCENARIOS)) throw new Error(`unknown scenario '${key}': use ${Object.keys(PROCESS_SCENARIOS).join(', ')}`);
  const app = buildLambdaApp(Number(n), {
    defaultChecks: key === 'b' || key === 'e',
    outdir,
    context: { [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false },
  });
  if (key === 'e') withoutLending();
  if (key === 'c') Validations.of(app).addPlugins(new S3PrivateAccessValidator());
  if (key === 'n') Validations.of(app).addPlugins({ name: 'no-op', validate: () => ({ success: true, violations: [] }) });
  if (key === 'd') Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)));
  const assembly = app.synth();
  const cpu = process.cpuUsage();
  const sample: ProcessSample = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now(),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    resources: assembly.stacks.reduce((sum, s) => sum + Object.keys(s.template.Resources ?? {}).length, 0),
    findings: findings(key, assembly, outdir),
  };
  fs.writeFileSync(resultFile, JSON.stringify(sample));
}

main();
