import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { buildApp } from './generate';
import { MemoryPeak, withMemoryPeak } from './memory';
import { Scenario } from './scenarios';

/** One synthesis of one scenario. */
export interface Sample {
  /** Wall-clock time of `app.synth()` (process.hrtime). */
  readonly ms: number;
  /** CPU time (user + system) of the process during `app.synth()`: less sensitive to other processes' load. */
  readonly cpuMs: number;
  readonly peak: MemoryPeak;
  readonly findings: number;
  readonly resources: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

/** Runs `fn` with the console muted: CDK prints 'Performing Policy Validations' on every validated synth. */
function quietly<T>(fn: () => T): T {
  const { log, error } = console;
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    return fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}

/**
 * Builds a fresh app of `n` stacks (synthesis mutates it), adds the scenario's checks, collects garbage, then times
 * `app.synth()` alone. The outdir is a temp dir, deleted afterwards.
 */
export function measure(n: number, scenario: Scenario): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-bench-'));
  try {
    // validation failures must not set process.exitCode: the bench reports findings, it does not fail on them
    const app = buildApp(n, { outdir, context: { [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false } });
    scenario.setup(app);
    collectGarbage();
    const { result, peak } = withMemoryPeak(() => quietly(() => {
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      const assembly = app.synth();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const cpu = process.cpuUsage(cpuStart);
      return { assembly, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
    }));
    const resources = result.assembly.stacks
      .reduce((sum, s) => sum + Object.keys(s.template.Resources ?? {}).length, 0);
    return { ms: result.ms, cpuMs: result.cpuMs, peak, findings: scenario.findings(result.assembly, outdir), resources };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
