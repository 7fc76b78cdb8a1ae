import * as inspector from 'inspector';

/** A V8 CPU profile (the `.cpuprofile` format). */
export interface CpuProfile {
  readonly nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function post<T>(session: inspector.Session, method: string, params?: object): T {
  let out: T | undefined;
  let error: Error | null = null;
  // the main thread's inspector answers synchronously
  session.post(method, params, (err, result) => {
    error = err;
    out = result as T;
  });
  if (error) throw error;
  return out as T;
}

/** Runs `fn` under V8's sampling profiler and returns its result and the profile. */
export function profile<T>(fn: () => T): { result: T; profile: CpuProfile } {
  const session = new inspector.Session();
  session.connect();
  try {
    post(session, 'Profiler.enable');
    post(session, 'Profiler.setSamplingInterval', { interval: 200 });
    post(session, 'Profiler.start');
    const result = fn();
    const { profile: p } = post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    return { result, profile: p };
  } finally {
    session.disconnect();
  }
}

/** Self and inclusive milliseconds per function (`name file:line`), recursion counted once per sample. */
export function summarize(p: CpuProfile): { self: Map<string, number>; total: Map<string, number>; ms: number } {
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '');
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let ms = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    ms += dt;
    self.set(label(id), (self.get(label(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(cur);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  });
  return { self, total, ms };
}

/** The `count` largest entries as aligned lines. */
export function top(m: Map<string, number>, count: number): string[] {
  return [...m.entries()].sort((x, y) => y[1] - x[1]).slice(0, count)
    .map(([name, v]) => `${v.toFixed(0).padStart(7)} ms  ${name}`);
}
