import { CORPUS } from './all';
import { templatesOf } from './corpus';
import { checkTemplates } from '../../lib/rules/run';

/** The app's error findings as `rule id: construct path`. */
function errorsOf(fault: string | undefined, build: (fault?: string) => any): string[] {
  return checkTemplates(templatesOf(build(fault))).filter(f => f.level === 'error').map(f => `${f.ruleId}: ${f.resource.path}`);
}

describe.each(CORPUS.map(app => [app.name, app] as const))('corpus app %s', (_name, app) => {
  test('GIVEN the clean variant THEN no rule reports an error', () => {
    expect(errorsOf(undefined, f => app.build(f))).toEqual([]);
  });

  const faults = Object.entries(app.faults);
  if (faults.length === 0) return;
  test.each(faults)('GIVEN the faulty twin %s THEN exactly its rules report errors', (fault, rules) => {
    const errors = errorsOf(fault, f => app.build(f));
    expect([...new Set(errors.map(e => e.split(':')[0]))].sort()).toEqual([...rules].sort());
  });
});
