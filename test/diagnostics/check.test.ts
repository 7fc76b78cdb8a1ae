import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import { appIn, cleanUp, synthExample, tempDir } from './fixtures';
import { ExampleStack } from '../../examples/example-stack';
import { S3PrivateAccessDiagnostics } from '../../lib';
import { ALL_RULES } from '../../lib/rules/all';

let ok: string;
let faulty: string;
const extra: string[] = [];
beforeAll(() => {
  ok = synthExample();
  faulty = synthExample('route-not-associated');
});
afterAll(() => cleanUp([ok, faulty, ...extra]));

describe('checkAssembly', () => {
  test('GIVEN the fault-free example THEN the report is empty and names the stack', () => {
    const report = S3PrivateAccessDiagnostics.checkAssembly(ok);
    expect(report).toEqual({ findings: [], errorCount: 0, warningCount: 0, stackIds: ['S3PrivateAccessExample'] });
  });

  test('GIVEN route-not-associated THEN each finding names rule, stack, logical id, construct path, template file and fix', () => {
    const report = S3PrivateAccessDiagnostics.checkAssembly(faulty);

    expect(report.errorCount).toBe(2);
    expect(report.findings[0]).toEqual({
      ruleId: 'S3PA-RouteNotAssociated',
      level: 'error',
      stackId: 'S3PrivateAccessExample',
      logicalId: expect.stringMatching(/^Worker[0-9A-F]{8}$/),
      constructPath: 'S3PrivateAccessExample/Worker/Resource',
      message: expect.stringMatching(/appSubnet1\/RouteTable is not in the RouteTableIds/),
      fix: expect.stringMatching(/^associate the route table/),
      cannotJudge: false,
      templateFile: path.join(faulty, 'S3PrivateAccessExample.template.json'),
    });
  });

  test('disabledRules drops the rule; an unknown id is an error', () => {
    expect(S3PrivateAccessDiagnostics.checkAssembly(faulty, { disabledRules: ['S3PA-RouteNotAssociated'] }).findings).toEqual([]);
    expect(() => S3PrivateAccessDiagnostics.checkAssembly(faulty, { disabledRules: ['S3PA-Nope'] })).toThrow(/unknown rule id in disabledRules: S3PA-Nope/);
  });

  test('GIVEN an app with a stage THEN the stacks of the nested assembly are checked, with their construct paths', () => {
    const outdir = tempDir();
    extra.push(outdir);
    const app = appIn(outdir, false);
    const stage = new Stage(app, 'Prod');
    // the construct's own checks off: they would fail this synth (a Stage's errors fail the app's validation)
    new ExampleStack(stage, 'Example', { env: { account: '123456789012', region: 'eu-west-1' }, fault: 'route-not-associated', checks: false });
    app.synth();

    const report = S3PrivateAccessDiagnostics.checkAssembly(outdir);

    expect(report.stackIds).toHaveLength(1);
    expect(report.stackIds[0]).toMatch(/^Prod/);
    // no aws:cdk:path in these templates: paths come from the manifest's logical-id metadata
    expect(report.findings.map(f => f.constructPath)).toContain('Prod/Example/Worker/Resource');
  });

  test('a directory without manifest.json is not a cloud assembly', () => {
    expect(() => S3PrivateAccessDiagnostics.checkAssembly(__dirname))
      .toThrow(`'${__dirname}' is not a cloud assembly (no manifest.json): pass the output directory of \`cdk synth\` (default cdk.out), or template files`);
  });
});

describe('toSarif', () => {
  const sarif = () => JSON.parse(S3PrivateAccessDiagnostics.toSarif(S3PrivateAccessDiagnostics.checkAssembly(faulty)));

  test('is SARIF 2.1.0 with one run and the catalog as the driver\'s rules', () => {
    const log = sarif();
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('cdk-s3-private-access');
    expect(driver.rules.map((r: any) => r.id)).toEqual(ALL_RULES.map(r => r.id));
    const rule = ALL_RULES.find(r => r.id === 'S3PA-SgEgress')!;
    expect(driver.rules.find((r: any) => r.id === rule.id)).toMatchObject({
      shortDescription: { text: rule.symptom },
      fullDescription: { text: rule.description },
      help: { text: rule.fix },
      defaultConfiguration: { level: 'error' },
    });
  });

  test('each result names a rule of the driver, a level, a message, the source line, the template line and the logical id', () => {
    const log = sarif();
    const ids = new Set(log.runs[0].tool.driver.rules.map((r: any) => r.id));
    const results = log.runs[0].results;
    expect(results).toHaveLength(2);
    const lines = fs.readFileSync(path.join(faulty, 'S3PrivateAccessExample.template.json'), 'utf8').split('\n');
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'example-stack.ts'), 'utf8').split('\n');
    for (const r of results) {
      expect(ids.has(r.ruleId)).toBe(true);
      expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.level).toBe('error');
      expect(r.message.text).toMatch(/\. Fix: associate the route table/);
      // located where the user's code created the construct: code scanning shows it on the pull request
      const location = r.locations[0];
      expect(location.physicalLocation.artifactLocation.uri).toBe('examples/example-stack.ts');
      expect(source[location.physicalLocation.region.startLine - 1]).toMatch(/new lambda\.Function\(this, 'Worker'/);
      expect(location.logicalLocations[0]).toMatchObject({ name: expect.stringMatching(/^Worker[0-9A-F]{8}$/), kind: 'resource' });
      // and in the synthesized template, as a related location
      const template = r.relatedLocations[0];
      expect(template.physicalLocation.artifactLocation.uri).toMatch(/S3PrivateAccessExample\.template\.json$/);
      expect(lines[template.physicalLocation.region.startLine - 1]).toBe(`  "${location.logicalLocations[0].name}": {`);
    }
  });

  test('GIVEN an assembly without creation traces THEN each result is located in its template file', () => {
    const outdir = tempDir();
    extra.push(outdir);
    const app = appIn(outdir);
    app.node.setContext('aws:cdk:disable-creation-stack-traces', true);
    new ExampleStack(app, 'S3PrivateAccessExample', { env: { account: '123456789012', region: 'eu-west-1' }, fault: 'route-not-associated' });
    app.synth();
    const log = JSON.parse(S3PrivateAccessDiagnostics.toSarif(S3PrivateAccessDiagnostics.checkAssembly(outdir)));
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/S3PrivateAccessExample\.template\.json$/);
      expect(r.relatedLocations).toBeUndefined();
    }
  });
});
