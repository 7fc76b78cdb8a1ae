import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { profile, summarize, top } from './cpu-profile';
import { buildApp } from './generate';
import { SCENARIOS } from './scenarios';

/**
 * Profiles one synthesis: `node -r ts-node/register/transpile-only bench/profile.ts <scenario> <N> [filter]`.
 * Prints the functions with the most self and inclusive time (inclusive lines limited to files matching `filter`,
 * default ` lib/`: this package) and writes the .cpuprofile to .bench/ for Chrome DevTools.
 */
function main(): void {
  const [key = 'b', size = '25', filter = ' lib/'] = process.argv.slice(2);
  const scenario = SCENARIOS.find(s => s.key === key);
  if (!scenario) throw new Error(`unknown scenario '${key}': use a, b, c, d`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-profile-'));
  try {
    buildApp(2, { outdir }).synth(); // load modules before profiling
    const app = buildApp(Number(size), { outdir, context: { [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false } });
    scenario.setup(app);
    const { profile: p } = profile(() => app.synth());
    const { self, total, ms } = summarize(p);
    const dir = path.join(process.cwd(), '.bench');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `synth-${key}-${size}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(p));
    const mine = new Map([...total].filter(([name]) => name.includes(filter)));
    process.stdout.write([
      `scenario ${key}, N=${size}: ${ms.toFixed(0)} ms sampled; profile in ${path.relative(process.cwd(), file)}`,
      '', 'self time:', ...top(self, 25), '', `inclusive time (${filter}):`, ...top(mine, 40), '',
    ].join('\n'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
