import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProcessSample } from './process-scenarios';
import { formatWhole, Pairs, WholeResults } from './report';

/** Command-line options: `npm run bench -- --whole --sizes 30,60 --runs 7 --rss-size 100 --rss-runs 3`. */
export interface WholeOptions {
  readonly sizes: number[];
  readonly runs: number;
  readonly scenarios: string[];
  readonly rssSize: number;
  readonly rssRuns: number;
  /** Measure each scenario's own code under the profiler instead of pairing whole processes (`--attribute`). */
  readonly attribute?: boolean;
}

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, '.bench', 'js');

export function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}  ${message}\n`);
}

/** Compiles the library and the bench to JavaScript (as the package ships it), so that no run pays for TypeScript. */
export function compile(): string {
  fs.rmSync(OUT, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'bench', 'tsconfig.json'),
    '--noEmit', 'false', '--outDir', OUT, '--declaration', 'false',
    '--incremental', 'false'], { stdio: 'inherit' });
  return path.join(OUT, 'bench', 'whole', 'child.js');
}

/** One scenario in a fresh `node` process: the way the CDK CLI runs an app. */
export function runProcess(child: string, key: string, n: number, env: NodeJS.ProcessEnv = process.env): ProcessSample {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-whole-'));
  try {
    const result = path.join(dir, 'result.json');
    const run = spawnSync(process.execPath, [child, key, String(n), path.join(dir, 'cdk.out'), result],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env });
    // exit code 1 is a failed validation (the app has planted faults); only a missing result is a failed run
    if (!fs.existsSync(result)) throw new Error(`scenario ${key} at N=${n} failed (exit ${run.status}):\n${run.stderr}`);
    return JSON.parse(fs.readFileSync(result, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `runs` pairs of (plain, scenario) processes back to back, the order alternated per pair. */
function pairs(child: string, key: string, n: number, runs: number): Pairs {
  const out: Pairs = [];
  for (let r = 0; r < runs; r++) {
    const first = r % 2 === 0 ? 'a' : key;
    const one = runProcess(child, first, n);
    const two = runProcess(child, first === 'a' ? key : 'a', n);
    const [plain, checked] = first === 'a' ? [one, two] : [two, one];
    out.push({ plain, checked });
    log(`N=${n} ${key} pair ${r + 1}/${runs}: plain ${plain.cpuMs.toFixed(0)} ms CPU, ${key} ${checked.cpuMs.toFixed(0)} ms ` +
      `(+${(checked.cpuMs - plain.cpuMs).toFixed(0)}), RSS ${plain.maxRssMiB.toFixed(0)} / ${checked.maxRssMiB.toFixed(0)} MiB, ` +
      `${checked.findings} findings`);
  }
  return out;
}

/** The whole-process mode of `npm run bench` (see BENCHMARKS.md). */
export function runWhole(options: WholeOptions): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- attribute.ts imports this module: no cycle at load
  if (options.attribute) return require('./attribute').runAttributed(options);
  log(`whole-process: sizes ${options.sizes.join(',')} x ${options.runs} pairs, scenarios ${options.scenarios.join(',')}, ` +
    `RSS at N=${options.rssSize} x ${options.rssRuns}; node ${process.version}`);
  const child = compile();
  const results: WholeResults = { cpu: new Map(), rss: new Map(), rssSize: options.rssSize };
  for (const n of options.sizes) {
    const byKey = new Map<string, Pairs>();
    results.cpu.set(n, byKey);
    for (const key of options.scenarios) byKey.set(key, pairs(child, key, n, options.runs));
  }
  if (options.rssRuns > 0) {
    for (const key of options.scenarios) results.rss.set(key, pairs(child, key, options.rssSize, options.rssRuns));
  }
  process.stdout.write(`${formatWhole(results, options.scenarios)}\n`);
  const dir = path.join(ROOT, '.bench');
  const file = path.join(dir, `whole-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({
    options,
    node: process.version,
    results: {
      cpu: [...results.cpu].map(([n, m]) => [n, Object.fromEntries(m)]),
      rss: Object.fromEntries(results.rss),
    },
  }, undefined, 2));
  log(`raw samples in ${path.relative(process.cwd(), file)}`);
}
