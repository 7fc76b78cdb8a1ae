import { median, Sample } from './measure';

/** Samples per app size, per scenario key (a: plain, b: aspect, c: validator, d: AwsSolutions). */
export type Results = Map<number, Map<string, Sample[]>>;

const TARGET_OVERHEAD = 0.10;
const TARGET_VS_NAG = 0.25;
const TARGET_DOUBLING = 2.2;
const TARGET_N = 50;

/** Medians of one app size. */
interface Row {
  readonly n: number;
  readonly wall: Record<string, number>;
  readonly cpu: Record<string, number>;
  readonly heap: Record<string, number>;
  readonly rss: Record<string, number>;
  readonly findings: Record<string, number>;
  readonly resources: number;
}

type Metric = 'wall' | 'cpu';

function rowsOf(results: Results): Row[] {
  return [...results.entries()].sort(([x], [y]) => x - y).map(([n, byKey]) => {
    const pick = (f: (s: Sample) => number, agg: (v: number[]) => number) =>
      Object.fromEntries([...byKey.entries()].map(([k, samples]) => [k, agg(samples.map(f))]));
    return {
      n,
      wall: pick(s => s.ms, median),
      cpu: pick(s => s.cpuMs, median),
      heap: pick(s => s.peak.heapUsedMiB, median),
      rss: pick(s => s.peak.rssMiB, v => Math.max(...v)),
      findings: pick(s => s.findings, v => Math.max(...v)),
      resources: byKey.values().next().value?.[0]?.resources ?? 0,
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const times = (x: number) => `${x.toFixed(2)}×`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const num = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));
const has = (keys: string[], ...needed: string[]) => needed.every(k => keys.includes(k));

function mediansTable(rows: Row[], keys: string[]): string[] {
  const head = (unit: string) => keys.map(k => `${k} ${unit}`).join(' | ');
  const out = [
    `| N | resources (per stack) | ${head('wall ms')} | ${head('CPU ms')} | ${head('heap +MiB')} | ${head('findings')} |`,
    `|${'---|'.repeat(2 + keys.length * 4)}`,
  ];
  for (const r of rows) {
    const cells = (rec: Record<string, number>) => keys.map(k => num(rec[k])).join(' | ');
    out.push(`| ${r.n} | ${r.resources} (${(r.resources / r.n).toFixed(1)}) | ${cells(r.wall)} | ${cells(r.cpu)} | ` +
      `${cells(r.heap)} | ${cells(r.findings)} |`);
  }
  out.push('', 'Peak RSS (max over runs, MiB): ' +
    rows.map(r => `N=${r.n}: ${keys.map(k => `${k} ${num(r.rss[k])}`).join(', ')}`).join('; '));
  return out;
}

function overheadTable(rows: Row[], keys: string[], metric: Metric): string[] {
  const cols: Array<[string, (t: Record<string, number>) => number]> = [];
  if (has(keys, 'a', 'b')) cols.push(['checks (b-a)/a', t => (t.b - t.a) / t.a]);
  if (has(keys, 'a', 'c')) cols.push(['validator (c-a)/a', t => (t.c - t.a) / t.a]);
  if (has(keys, 'a', 'd')) cols.push(['AwsSolutions (d-a)/a', t => (t.d - t.a) / t.a]);
  if (has(keys, 'a', 'b', 'd')) cols.push(['checks vs AwsSolutions (b-a)/(d-a)', t => (t.b - t.a) / (t.d - t.a)]);
  if (has(keys, 'a', 'c', 'd')) cols.push(['validator vs AwsSolutions (c-a)/(d-a)', t => (t.c - t.a) / (t.d - t.a)]);
  const out = [`| N | ${cols.map(c => c[0]).join(' | ')} |`, `|${'---|'.repeat(cols.length + 1)}`];
  for (const r of rows) {
    out.push(`| ${r.n} | ${cols.map(([name, f]) => (name.includes('vs') ? times(f(r[metric])) : pct(f(r[metric])))).join(' | ')} |`);
  }
  return out;
}

function doublingPairs(rows: Row[]): Array<[Row, Row]> {
  return rows.flatMap(r => rows.filter(s => s.n === 2 * r.n).map((s): [Row, Row] => [r, s]));
}

function scalingCosts(keys: string[]): Array<[string, (t: Record<string, number>) => number]> {
  const out: Array<[string, (t: Record<string, number>) => number]> = [];
  if (has(keys, 'a')) out.push(['plain a', t => t.a]);
  if (has(keys, 'a', 'b')) out.push(['checks own cost (b-a)', t => t.b - t.a], ['checks total b', t => t.b]);
  if (has(keys, 'a', 'c')) out.push(['validator own cost (c-a)', t => t.c - t.a], ['validator total c', t => t.c]);
  return out;
}

function scalingTable(rows: Row[], keys: string[], metric: Metric): string[] {
  const costs = scalingCosts(keys);
  const out = [`| N → 2N | ${costs.map(c => c[0]).join(' | ')} |`, `|${'---|'.repeat(costs.length + 1)}`];
  for (const [r, s] of doublingPairs(rows)) {
    out.push(`| ${r.n} → ${s.n} | ${costs.map(([, f]) => times(f(s[metric]) / f(r[metric]))).join(' | ')} |`);
  }
  return out;
}

function targets(rows: Row[], keys: string[], metric: Metric): string[] {
  const out: string[] = [];
  const at = rows.find(r => r.n === TARGET_N) ?? rows[rows.length - 1];
  if (at && has(keys, 'a')) {
    const t = at[metric];
    for (const [name, key] of [['checks (Aspect, b)', 'b'], ['validator (c)', 'c']].filter(([, k]) => has(keys, k))) {
      const own = t[key] - t.a;
      let line = `- ${name}: overhead at N=${at.n} ${pct(own / t.a)} (target ≤ ${pct(TARGET_OVERHEAD)}): ${mark(own / t.a <= TARGET_OVERHEAD)}`;
      if (has(keys, 'd')) {
        const vsNag = own / (t.d - t.a);
        line += `; vs AwsSolutions ${times(vsNag)} (target ≤ ${times(TARGET_VS_NAG)}): ${mark(vsNag <= TARGET_VS_NAG)}`;
      }
      out.push(line);
    }
  }
  for (const [r, s] of doublingPairs(rows)) {
    for (const [name, f] of scalingCosts(keys).filter(([label]) => !label.startsWith('plain'))) {
      const ratio = f(s[metric]) / f(r[metric]);
      out.push(`- N ${r.n} → ${s.n}, ${name}: ${times(ratio)} (target ≤ ${times(TARGET_DOUBLING)}): ${mark(ratio <= TARGET_DOUBLING)}`);
    }
  }
  return out;
}

/** The results as Markdown: medians, then overhead, scaling and targets on wall and on CPU time. */
export function formatResults(results: Results, keys: string[]): string {
  const rows = rowsOf(results);
  const perMetric = (metric: Metric, title: string) => [
    `### Overhead (${title})`, '', ...overheadTable(rows, keys, metric), '',
    `### Scaling (${title})`, '', ...scalingTable(rows, keys, metric), '',
    `### Targets (${title})`, '', ...targets(rows, keys, metric), '',
  ];
  return [
    '### Medians', '', ...mediansTable(rows, keys), '',
    ...perMetric('wall', 'wall-clock medians'),
    ...perMetric('cpu', 'CPU-time medians'),
  ].join('\n');
}
