import { median, Sample } from './measure';

/** Samples per app size, per scenario key (a: plain, b: aspect, c: validator, d: AwsSolutions). */
export type Results = Map<number, Map<string, Sample[]>>;

const TARGET_OVERHEAD = 0.10;
const TARGET_VS_NAG = 0.25;
const TARGET_DOUBLING = 2.2;
const TARGET_N = 50;

interface Row {
  readonly n: number;
  readonly ms: Record<string, number>;
  readonly heap: Record<string, number>;
  readonly rss: Record<string, number>;
  readonly findings: Record<string, number>;
  readonly resources: number;
}

function rowsOf(results: Results): Row[] {
  return [...results.entries()].sort(([x], [y]) => x - y).map(([n, byKey]) => {
    const pick = (f: (s: Sample) => number, agg: (v: number[]) => number) =>
      Object.fromEntries([...byKey.entries()].map(([k, samples]) => [k, agg(samples.map(f))]));
    return {
      n,
      ms: pick(s => s.ms, median),
      heap: pick(s => s.peak.heapUsedMiB, median),
      rss: pick(s => s.peak.rssMiB, v => Math.max(...v)),
      findings: pick(s => s.findings, v => Math.max(...v)),
      resources: byKey.get('a')?.[0]?.resources ?? 0,
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const times = (x: number) => `${x.toFixed(2)}×`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));

function timesTable(rows: Row[], keys: string[]): string[] {
  const out = [
    `| N | resources (avg/stack) | ${keys.map(k => `${k} ms`).join(' | ')} | ${keys.map(k => `${k} heap +MiB`).join(' | ')} | ${keys.map(k => `${k} findings`).join(' | ')} |`,
    `|${'---|'.repeat(2 + keys.length * 3)}`,
  ];
  for (const r of rows) {
    out.push(`| ${r.n} | ${r.resources} (${(r.resources / r.n).toFixed(1)}) | ${keys.map(k => ms(r.ms[k])).join(' | ')} | ` +
      `${keys.map(k => ms(r.heap[k])).join(' | ')} | ${keys.map(k => r.findings[k] ?? '-').join(' | ')} |`);
  }
  out.push('', `Peak RSS (max over runs, MiB): ${rows.map(r => `N=${r.n}: ${keys.map(k => `${k} ${ms(r.rss[k])}`).join(', ')}`).join('; ')}`);
  return out;
}

function ratioTable(rows: Row[]): string[] {
  const out = [
    '| N | checks (b-a)/a | validator (c-a)/a | checks vs AwsSolutions (b-a)/(d-a) | validator vs AwsSolutions (c-a)/(d-a) |',
    '|---|---|---|---|---|',
  ];
  for (const { n, ms: t } of rows) {
    const nag = t.d - t.a;
    out.push(`| ${n} | ${pct((t.b - t.a) / t.a)} | ${pct((t.c - t.a) / t.a)} | ${times((t.b - t.a) / nag)} | ${times((t.c - t.a) / nag)} |`);
  }
  return out;
}

function doublingPairs(rows: Row[]): Array<[Row, Row]> {
  return rows.flatMap(r => rows.filter(s => s.n === 2 * r.n).map((s): [Row, Row] => [r, s]));
}

function scalingTable(rows: Row[]): string[] {
  const out = [
    '| N → 2N | checks own cost (b-a) | checks total b | validator own cost (c-a) | validator total c | plain a |',
    '|---|---|---|---|---|---|',
  ];
  for (const [r, s] of doublingPairs(rows)) {
    const f = (g: (row: Row) => number) => times(g(s) / g(r));
    out.push(`| ${r.n} → ${s.n} | ${f(x => x.ms.b - x.ms.a)} | ${f(x => x.ms.b)} | ${f(x => x.ms.c - x.ms.a)} | ${f(x => x.ms.c)} | ${f(x => x.ms.a)} |`);
  }
  return out;
}

function targets(rows: Row[]): string[] {
  const out: string[] = [];
  const at = rows.find(r => r.n === TARGET_N) ?? rows[rows.length - 1];
  if (at) {
    const t = at.ms;
    for (const [name, key] of [['checks (Aspect)', 'b'], ['validator', 'c']]) {
      const own = t[key] - t.a;
      out.push(`- ${name}: overhead at N=${at.n} ${pct(own / t.a)} (target ≤ ${pct(TARGET_OVERHEAD)}): ${mark(own / t.a <= TARGET_OVERHEAD)}; ` +
        `vs AwsSolutions ${times(own / (t.d - t.a))} (target ≤ ${times(TARGET_VS_NAG)}): ${mark(own / (t.d - t.a) <= TARGET_VS_NAG)}`);
    }
  }
  for (const [r, s] of doublingPairs(rows)) {
    for (const [name, f] of [
      ['checks own cost', (x: Row) => x.ms.b - x.ms.a], ['checks total', (x: Row) => x.ms.b],
      ['validator own cost', (x: Row) => x.ms.c - x.ms.a], ['validator total', (x: Row) => x.ms.c],
    ] as Array<[string, (x: Row) => number]>) {
      const ratio = f(s) / f(r);
      out.push(`- doubling N ${r.n} → ${s.n}, ${name}: ${times(ratio)} (target ≤ ${times(TARGET_DOUBLING)}): ${mark(ratio <= TARGET_DOUBLING)}`);
    }
  }
  return out;
}

/** The results as Markdown: medians, ratios, scaling and the targets, ready for BENCHMARKS.md. */
export function formatResults(results: Results, keys: string[]): string {
  const rows = rowsOf(results);
  return [
    '### Medians', '', ...timesTable(rows, keys), '',
    '### Overhead', '', ...ratioTable(rows), '',
    '### Scaling', '', ...scalingTable(rows), '',
    '### Targets', '', ...targets(rows), '',
  ].join('\n');
}
