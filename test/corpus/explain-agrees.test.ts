import { CORPUS } from './all';
import { templatesOf } from './corpus';
import { explainTemplates } from '../../lib/diagnostics/explain';
import { GrantIndex, judgedEntries, workloadRoles } from '../../lib/model/grants';
import { buildModel } from '../../lib/model/model';
import { checkTemplates } from '../../lib/rules/run';

/**
 * Across every app of the corpus and each of its variants: for every workload and every bucket its roles are granted
 * on, `explain` of a granted request fails exactly where `check` reports an error about that workload and bucket, on
 * the hop that rule declares, and never fails on a hop no rule reports.
 */
const CASES = CORPUS.flatMap(app => [undefined, ...Object.keys(app.faults)].map(fault => [app.name, fault ?? '(clean)', app, fault] as const));

describe.each(CASES)('explain agrees with check on %s %s', (_name, _variant, app, fault) => {
  test('for every granted workload and bucket', () => {
    const stacks = templatesOf(app.build(fault));
    const model = buildModel(stacks);
    const errors = checkTemplates(stacks).filter(f => f.level === 'error');
    const grants = GrantIndex.of(model);
    let pairs = 0;
    for (const w of model.workloads) {
      for (const role of workloadRoles(w)) {
        for (const grant of grants.ofRole(role).byBucket.values()) {
          const entry = judgedEntries(grant).filter(e => e.core).sort((a, b) => a.action.localeCompare(b.action))[0];
          if (!entry) continue;
          pairs++;
          const e = explainTemplates(stacks, {
            from: w.res.key,
            bucket: grant.bucket.node ? grant.bucket.node.res.key : grant.bucket.name,
            action: entry.action,
          });
          const failing = e.hops.filter(h => h.verdict === 'fail');
          const about = errors.filter(f => f.subjects.workloads?.includes(w.res.key)
            && (!f.subjects.buckets || f.subjects.buckets.includes(grant.bucket.key))
            && (!f.subjects.actions || f.subjects.actions.includes(entry.action)));
          const pair = `${w.res.path} → ${grant.bucket.name} (${entry.action})`;
          // every failing hop comes from a rule's error: on that hop, or on an earlier one it follows from...
          for (const hop of failing) {
            expect({ pair, hop: hop.name, ruleId: hop.ruleId }).toEqual({ pair, hop: hop.name, ruleId: expect.any(String) });
            expect({ pair, hop: hop.name, rule: errors.some(f => f.ruleId === hop.ruleId) }).toEqual({ pair, hop: hop.name, rule: true });
          }
          expect(failing[0] === undefined || errors.some(f => f.ruleId === failing[0].ruleId && f.hop === failing[0].name)).toBe(true);
          // ...and every error check reports about the pair fails a hop of explain
          for (const f of about) {
            expect({ pair, failing: failing.map(h => `${h.name}:${h.ruleId}`) })
              .toEqual({ pair, failing: expect.arrayContaining([`${f.hop}:${f.ruleId}`]) });
          }
        }
      }
    }
    explained.set(`${app.name}|${fault ?? ''}`, pairs);
  });
});

/** Granted pairs explained per app variant, so the property is not vacuous. */
const explained = new Map<string, number>();

afterAll(() => {
  // most variants hold granted pairs (a few, such as an instance that may use S3, hold none)
  const withPairs = [...explained.values()].filter(n => n > 0).length;
  expect(withPairs).toBeGreaterThanOrEqual(Math.floor(explained.size * 0.75));
});
