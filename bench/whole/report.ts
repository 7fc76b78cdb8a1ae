import { PROCESS_SCENARIOS, ProcessSample } from './process-scenarios';
import { median } from '../measure';

/** Paired runs of one scenario: each beside a plain-synth run made right before or after it. */
export type Pairs = Array<{ readonly plain: ProcessSample; readonly checked: ProcessSample }>;

/** Whole-process results: CPU pairs per app size and scenario, RSS pairs per scenario at one size. */
export interface WholeResults {
  readonly cpu: Map<number, Map<string, Pairs>>;
  readonly rss: Map<string, Pairs>;
  readonly rssSize: number;
}

const LIMITS = { vsAwsSolutions: 0.25, scaling: 2.1, rss: 0.1 };

/** The median over pairs of what the scenario added to its plain twin. */
function added(pairs: Pairs, of: (s: ProcessSample) => number): number {
  return median(pairs.map(p => of(p.checked) - of(p.plain)));
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function ratio(x: number, y: number): string {
  return y === 0 ? 'n/a' : `${(x / y).toFixed(2)}×`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n');
}

const cpu = (s: ProcessSample) => s.cpuMs;

/** Markdown tables of a whole-process run, with the targets of issue 12 marked met or missed. */
export function formatWhole(results: WholeResults, keys: string[]): string {
  const out: string[] = [keys.map(k => `- ${k}: ${PROCESS_SCENARIOS[k]}`).join('\n')];
  const rows: string[][] = [];
  const own = new Map<string, Map<number, number>>();
  for (const [n, byKey] of results.cpu) {
    for (const [key, pairs] of byKey) {
      const plain = median(pairs.map(p => p.plain.cpuMs));
      const extra = added(pairs, cpu);
      if (!own.has(key)) own.set(key, new Map());
      own.get(key)!.set(n, extra);
      rows.push([String(n), key, String(pairs[0].checked.resources), plain.toFixed(0),
        median(pairs.map(p => p.checked.cpuMs)).toFixed(0), extra.toFixed(0), pct(extra / plain),
        String(pairs[0].checked.findings)]);
    }
  }
  out.push('### CPU, whole process (medians over pairs)',
    table(['N', 'scenario', 'resources', 'plain ms', 'scenario ms', 'added ms (paired)', 'added / plain', 'findings'], rows));
  const targets: string[] = [];
  const mark = (ok: boolean) => ok ? 'met' : 'MISSED';
  const ratioRows: string[][] = [];
  for (const n of results.cpu.keys()) {
    const get = (k: string) => own.get(k)?.get(n);
    const [b, c, d, noop] = [get('b'), get('c'), get('d'), get('n')];
    ratioRows.push([String(n), b !== undefined && c !== undefined ? ratio(b, c) : '-',
      b !== undefined && d !== undefined ? ratio(b, d) : '-', c !== undefined && d !== undefined ? ratio(c, d) : '-',
      noop !== undefined && d !== undefined ? ratio(noop, d) : '-']);
    if (b !== undefined && c !== undefined) targets.push(`- N=${n}: Aspect ≤ validator: ${b.toFixed(0)} vs ${c.toFixed(0)} ms: ${mark(b <= c)}`);
    for (const [k, v] of [['b', b], ['c', c]] as const) {
      if (v !== undefined && d !== undefined) {
        targets.push(`- N=${n}: ${k} ≤ ${LIMITS.vsAwsSolutions}× AwsSolutions: ${ratio(v, d)}: ${mark(v <= LIMITS.vsAwsSolutions * d)}`);
      }
    }
  }
  out.push('### Ratios of added CPU', table(['N', 'Aspect / validator (b/c)', 'Aspect / AwsSolutions (b/d)', 'validator / AwsSolutions (c/d)',
    'no-op plugin / AwsSolutions (n/d)'], ratioRows));
  const sizes = [...results.cpu.keys()];
  const scaleRows: string[][] = [];
  for (const n of sizes) {
    if (!sizes.includes(2 * n)) continue;
    for (const [key, byN] of own) {
      const [x, y] = [byN.get(n), byN.get(2 * n)];
      if (x === undefined || y === undefined) continue;
      scaleRows.push([`${n} → ${2 * n}`, key, ratio(y, x)]);
      if (key === 'b' || key === 'c') targets.push(`- N ${n} → ${2 * n}, ${key} added CPU: ${ratio(y, x)}: ${mark(y <= LIMITS.scaling * x)}`);
    }
  }
  if (scaleRows.length) out.push('### Scaling of added CPU', table(['N → 2N', 'scenario', 'ratio'], scaleRows));
  const rssRows: string[][] = [];
  for (const [key, pairs] of results.rss) {
    const plain = median(pairs.map(p => p.plain.maxRssMiB));
    const extra = added(pairs, s => s.maxRssMiB);
    rssRows.push([String(results.rssSize), key, plain.toFixed(0), median(pairs.map(p => p.checked.maxRssMiB)).toFixed(0),
      extra.toFixed(0), pct(extra / plain)]);
    if (key === 'b') targets.push(`- N=${results.rssSize}: Aspect peak RSS ≤ plain + ${pct(LIMITS.rss)}: +${pct(extra / plain)}: ${mark(extra <= LIMITS.rss * plain)}`);
  }
  if (rssRows.length) out.push('### Peak RSS, whole process (medians over pairs)', table(['N', 'scenario', 'plain MiB', 'scenario MiB', 'added MiB (paired)', 'added / plain'], rssRows));
  out.push('### Targets (issue 12)', targets.join('\n'));
  return out.join('\n\n');
}
