import * as fs from 'fs';
import { measure, Sample } from './measure';
import { SCENARIOS } from './scenarios';

/** What one round process reports: a sample per scenario. */
export interface RoundResult {
  readonly samples: Record<string, Sample>;
}

/**
 * One round in a fresh process: `bench/round.ts <N> <round> <scenario keys> <warm-up N> <result file>`.
 * Warms up, then synthesizes the N-stack app once per scenario, in an order rotated by the round number.
 */
function main(): void {
  const [n, round, keys, warmup, file] = process.argv.slice(2);
  const scenarios = SCENARIOS.filter(s => keys.split(',').includes(s.key));
  // load every module and let the JIT settle before anything is timed
  for (const s of scenarios) measure(Number(warmup), s);
  const samples: Record<string, Sample> = {};
  for (let j = 0; j < scenarios.length; j++) {
    const s = scenarios[(Number(round) + j) % scenarios.length];
    samples[s.key] = measure(Number(n), s);
  }
  const result: RoundResult = { samples };
  fs.writeFileSync(file, JSON.stringify(result));
}

main();
