import * as fs from 'fs';
import { Validations } from 'aws-cdk-lib';
import {
  ANALYTICS_REPORTING_ENABLED_CONTEXT, ASSET_RESOURCE_METADATA_ENABLED_CONTEXT, CloudAssembly, FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT,
  PATH_METADATA_ENABLE_CONTEXT,
} from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildLambdaApp } from './lambda-app';
import { CpuProfile, profile } from '../cpu-profile';
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

/** Milliseconds of the profile's samples with a frame that `frame` picks on their stack (each sample once). */
function msUnder(p: CpuProfile, frame: (f: CpuProfile['nodes'][number]['callFrame']) => boolean): number {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const picked = new Map<number, boolean>();
  const isPicked = (id: number): boolean => {
    let out = picked.get(id);
    if (out === undefined) {
      const up = parent.get(id);
      out = frame(byId.get(id)!.callFrame) || (up !== undefined && isPicked(up));
      picked.set(id, out);
    }
    return out;
  };
  return p.samples.reduce((ms, id, i) => ms + (isPicked(id) ? (p.timeDeltas[i] ?? 0) / 1000 : 0), 0);
}

/** `node bench/whole/child.js <scenario> <N> <outdir> <result file>`: one synthesis, the way `cdk synth` runs an app. */
function main(): void {
  const [key, n, outdir, resultFile] = process.argv.slice(2);
  if (!(key in PROCESS_SCENARIOS)) throw new Error(`unknown scenario '${key}': use ${Object.keys(PROCESS_SCENARIOS).join(', ')}`);
  const app = buildLambdaApp(Number(n), {
    defaultChecks: key === 'b' || key === 'e',
    outdir,
    // the context the CDK CLI gives an app by default (cdk synth): path and asset metadata, version reporting
    context: {
      [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
      [PATH_METADATA_ENABLE_CONTEXT]: true,
      [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
      [ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
    },
  });
  if (key === 'e') withoutLending();
  if (key === 'c') Validations.of(app).addPlugins(new S3PrivateAccessValidator());
  if (key === 'n') Validations.of(app).addPlugins({ name: 'no-op', validate: () => ({ success: true, violations: [] }) });
  if (key === 'd') Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)));
  const attribute = process.env.S3PA_BENCH_ATTRIBUTE === '1';
  const { result: assembly, profile: cpuProfile } = attribute ? profile(() => app.synth()) : { result: app.synth(), profile: undefined };
  const cpu = process.cpuUsage();
  const sample: ProcessSample = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now(),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    resources: assembly.stacks.reduce((sum, s) => sum + Object.keys(s.template.Resources ?? {}).length, 0),
    findings: findings(key, assembly, outdir),
    attributedMs: cpuProfile && msUnder(cpuProfile, key === 'b' || key === 'e'
      ? f => f.url.includes('/lib/checks/aspect.')
      : f => f.functionName === 'invokeValidationPlugins'),
  };
  fs.writeFileSync(resultFile, JSON.stringify(sample));
}

main();
