import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure } from './measure';
import { formatResults, Results } from './report';
import { SCENARIOS } from './scenarios';

/** Command-line options: `npm run bench -- --sizes 10,25 --runs 5 --scenarios a,b`. */
interface Options {
  readonly sizes: number[];
  readonly runs: number;
  readonly scenarios: string[];
  readonly warmup: number;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const numbers = (s: string) => s.split(',').map(x => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected positive integers, got '${s}'`);
    return n;
  });
  const scenarios = (value('scenarios') ?? SCENARIOS.map(s => s.key).join(',')).split(',');
  const unknown = scenarios.filter(k => !SCENARIOS.some(s => s.key === k));
  if (unknown.length) throw new Error(`unknown scenario '${unknown.join(',')}': use a, b, c, d`);
  return {
    sizes: numbers(value('sizes') ?? '10,25,50,100'),
    runs: numbers(value('runs') ?? '5')[0],
    scenarios,
    warmup: Number(value('warmup') ?? '2'),
  };
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}  ${message}\n`);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter(s => options.scenarios.includes(s.key));
  log(`sizes ${options.sizes.join(',')}, ${options.runs} runs, scenarios ${scenarios.map(s => s.key).join(',')}`);
  // warm-up: load every module and let the JIT settle before anything is timed
  for (const s of scenarios) measure(options.warmup, s);
  const results: Results = new Map();
  const started = Date.now();
  for (const n of options.sizes) {
    const byKey = new Map(scenarios.map(s => [s.key, [] as ReturnType<typeof measure>[]]));
    results.set(n, byKey);
    const sizeStarted = Date.now();
    for (let run = 0; run < options.runs; run++) {
      // interleave scenarios, rotating the order, so load changes and GC state spread evenly over them
      for (let j = 0; j < scenarios.length; j++) {
        const s = scenarios[(run + j) % scenarios.length];
        const sample = measure(n, s);
        byKey.get(s.key)!.push(sample);
        log(`N=${n} run ${run + 1}/${options.runs} ${s.key}: ${sample.ms.toFixed(0)} ms (CPU ${sample.cpuMs.toFixed(0)}), ` +
          `heap +${sample.peak.heapUsedMiB.toFixed(0)} MiB, ${sample.findings} findings`);
      }
    }
    log(`N=${n} done in ${((Date.now() - sizeStarted) / 1000).toFixed(0)} s`);
  }
  const markdown = formatResults(results, scenarios.map(s => s.key));
  process.stdout.write(`${scenarios.map(s => `- ${s.key}: ${s.label}`).join('\n')}\n\n${markdown}\n`);
  const dir = path.join(process.cwd(), '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const raw = { options, loadavg: os.loadavg(), results: [...results].map(([n, m]) => [n, Object.fromEntries(m)]) };
  fs.writeFileSync(file, JSON.stringify(raw, undefined, 2));
  log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; raw samples in ${path.relative(process.cwd(), file)}`);
}

main();
