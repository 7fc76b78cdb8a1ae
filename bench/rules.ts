import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from './generate';
import { median } from './measure';
import { readStackTemplate } from '../lib/input/template-files';
import { buildModel } from '../lib/model/model';
import { ALL_RULES } from '../lib/rules/all';
import { runRules } from '../lib/rules/run';

/**
 * Times the model build and each rule alone over the templates of an N-stack app:
 * `node -r ts-node/register/transpile-only bench/rules.ts [N] [runs]`. Finds the rule that dominates the checks.
 */
function main(): void {
  const [size = '25', runsArg = '5'] = process.argv.slice(2);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-rules-'));
  try {
    const assembly = buildApp(Number(size), { outdir }).synth();
    const stacks = assembly.stacks.map(s => readStackTemplate(path.join(outdir, s.templateFile)).stack);
    // CPU time of this process: other processes sharing the cores inflate wall time, much less CPU time
    const time = (fn: () => void) => {
      const start = process.cpuUsage();
      fn();
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    const model = buildModel(stacks);
    const samples = new Map<string, number[]>();
    const add = (k: string, ms: number) => samples.set(k, [...(samples.get(k) ?? []), ms]);
    for (let run = 0; run < Number(runsArg); run++) {
      add('buildModel', time(() => buildModel(stacks)));
      // a fresh model per rule would time the lazy indexes the first rule builds: time rules on one shared model,
      // and the whole run on a fresh one
      add('all rules, fresh model', time(() => runRules(buildModel(stacks), ALL_RULES)));
      for (const rule of ALL_RULES) add(rule.id, time(() => runRules(model, [rule])));
    }
    const rows = [...samples.entries()].map(([k, v]): [string, number] => [k, median(v)]).sort((x, y) => y[1] - x[1]);
    const resources = stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
    process.stdout.write(`N=${size} (${resources} resources), median of ${runsArg} runs, CPU ms:\n`);
    process.stdout.write(rows.map(([k, ms]) => `${ms.toFixed(1).padStart(8)}  ${k}`).join('\n') + '\n');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
