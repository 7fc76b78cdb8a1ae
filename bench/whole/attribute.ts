import { compile, log, runProcess, WholeOptions } from './run';
import { median } from '../measure';

/**
 * `--whole --attribute`: each scenario in its own `node` process with synthesis under V8's sampling profiler, timing
 * only the scenario's own code (see `attributedMs`): the Aspect's frames for b, CDK's `invokeValidationPlugins` for
 * c, d and n. No plain twin is needed, so the host's speed swings between processes (which make whole-process pairs
 * swing by ±1 s here) weigh only on the few hundred milliseconds measured. Main thread only: garbage collection on
 * V8's helper threads and the heap growth the checks cause are not in it (the paired mode has them).
 */
export function runAttributed(options: WholeOptions): void {
  log(`attributed: sizes ${options.sizes.join(',')} x ${options.runs} runs, scenarios ${options.scenarios.join(',')}; node ${process.version}`);
  const child = compile();
  const env = { ...process.env, S3PA_BENCH_ATTRIBUTE: '1' };
  const byN = new Map<number, Map<string, number>>();
  for (const n of options.sizes) {
    const byKey = new Map<string, number>();
    byN.set(n, byKey);
    for (const key of options.scenarios) {
      const samples: number[] = [];
      for (let r = 0; r < options.runs; r++) {
        const s = runProcess(child, key, n, env);
        samples.push(s.attributedMs ?? NaN);
        log(`N=${n} ${key} run ${r + 1}/${options.runs}: own ${s.attributedMs?.toFixed(0)} ms, ${s.findings} findings`);
      }
      byKey.set(key, median(samples));
    }
  }
  const keys = options.scenarios;
  const lines = [
    '### Own CPU of each scenario (main thread, medians)',
    `| N | ${keys.join(' ms | ')} ms | b/c | b/d | c/d | n/d |`,
    `|---|${keys.map(() => '---|').join('')}---|---|---|---|`,
  ];
  const ratio = (x?: number, y?: number) => (x === undefined || y === undefined ? '-' : `${(x / y).toFixed(2)}×`);
  for (const [n, byKey] of byN) {
    const g = (k: string) => byKey.get(k);
    lines.push(`| ${n} | ${keys.map(k => g(k)!.toFixed(0)).join(' | ')} | ${ratio(g('b'), g('c'))} | ${ratio(g('b'), g('d'))} | `
      + `${ratio(g('c'), g('d'))} | ${ratio(g('n'), g('d'))} |`);
  }
  const sizes = [...byN.keys()];
  for (const n of sizes) {
    if (!byN.has(2 * n)) continue;
    lines.push('', `Scaling ${n} → ${2 * n}: ${keys.map(k => `${k} ${ratio(byN.get(2 * n)!.get(k), byN.get(n)!.get(k))}`).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
