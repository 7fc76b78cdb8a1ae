import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Sample } from './measure';
import { formatResults, Results } from './report';
import type { RoundResult } from './round';
import { SCENARIOS } from './scenarios';
import { PROCESS_SCENARIOS } from './whole/process-scenarios';
import { runWhole } from './whole/run';

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

/**
 * Runs one round in a fresh node process: aws-cdk-lib keeps every token it ever made in a global map, so in one
 * long process each app built makes the next synth slower (25 % over five rounds of 50 stacks).
 */
function runRound(n: number, round: number, keys: string[], warmup: number): RoundResult {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-round-')), 'result.json');
  try {
    const child = spawnSync(process.execPath, [...process.execArgv, path.join(__dirname, 'round.ts'),
      String(n), String(round), keys.join(','), String(warmup), file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`round ${round} of N=${n} failed (exit ${child.status}):\n${child.stderr}`);
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** `--whole`: each scenario in its own `node` process, paired against plain synth (see bench/whole/run.ts). */
function mainWhole(argv: string[]): void {
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const positive = (name: string, fallback: string) => value(name, fallback).split(',').map(x => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected non-negative integers, got '${x}'`);
    return n;
  });
  const scenarios = value('scenarios', 'b,c,d').split(',');
  const known = Object.keys(PROCESS_SCENARIOS).filter(k => k !== 'a');
  const unknown = scenarios.filter(k => !known.includes(k));
  if (unknown.length) throw new Error(`--scenarios: unknown scenario '${unknown.join(',')}' (whole-process mode pairs ${known.join(', ')} against a)`);
  runWhole({
    sizes: positive('sizes', '30,60'),
    runs: positive('runs', '7')[0],
    scenarios,
    rssSize: positive('rss-size', '100')[0],
    rssRuns: positive('rss-runs', '3')[0],
    attribute: argv.includes('--attribute'),
  });
}

function main(): void {
  if (process.argv.includes('--whole')) return mainWhole(process.argv.slice(2));
  const options = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter(s => options.scenarios.includes(s.key));
  const keys = scenarios.map(s => s.key);
  log(`sizes ${options.sizes.join(',')}, ${options.runs} runs, scenarios ${keys.join(',')}; node ${process.version}`);
  const results: Results = new Map();
  const started = Date.now();
  for (const n of options.sizes) {
    const byKey = new Map(keys.map(k => [k, [] as Sample[]]));
    results.set(n, byKey);
    const sizeStarted = Date.now();
    for (let run = 0; run < options.runs; run++) {
      // each round synthesizes every scenario once, the order rotated per round, so load changes spread evenly
      const { samples } = runRound(n, run, keys, options.warmup);
      for (const [key, sample] of Object.entries(samples)) {
        byKey.get(key)!.push(sample);
        log(`N=${n} run ${run + 1}/${options.runs} ${key}: ${sample.ms.toFixed(0)} ms (CPU ${sample.cpuMs.toFixed(0)}), ` +
          `heap +${sample.peak.heapUsedMiB.toFixed(0)} MiB, RSS ${sample.peak.rssMiB.toFixed(0)} MiB, ${sample.findings} findings`);
      }
    }
    log(`N=${n} done in ${((Date.now() - sizeStarted) / 1000).toFixed(0)} s`);
  }
  const markdown = formatResults(results, keys);
  process.stdout.write(`${scenarios.map(s => `- ${s.key}: ${s.label}`).join('\n')}\n\n${markdown}\n`);
  const dir = path.join(process.cwd(), '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const raw = { options, node: process.version, results: [...results].map(([n, m]) => [n, Object.fromEntries(m)]) };
  fs.writeFileSync(file, JSON.stringify(raw, undefined, 2));
  log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; raw samples in ${path.relative(process.cwd(), file)}`);
}

main();
