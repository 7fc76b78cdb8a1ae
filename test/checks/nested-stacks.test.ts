import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects } from 'aws-cdk-lib';
import { NetworkStack } from '../../examples/pipeline-stage';
import { S3PrivateAccessChecks, S3PrivateAccessDiagnostics, S3PrivateAccessValidator } from '../../lib';
import { cleanUp, tempDir } from '../diagnostics/fixtures';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
const ENV = { account: '123456789012', region: 'eu-west-1' };

/**
 * The parent stack (VPC, bucket, S3PrivateAccess) and its nested stack with a function reading the bucket, whose
 * subnets, security group and bucket reach the nested template only as the parent's parameter values; the example's
 * network stack, top-level here. The fault routes only the data tier to the endpoint, not the function's app tier.
 */
function nestedApp(fault: boolean, opts: { outdir?: string; assetMetadata?: boolean } = {}) {
  const app = new App({
    outdir: opts.outdir,
    context: { ...CONTEXT, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': opts.assetMetadata ?? false },
  });
  const parent = new NetworkStack(app, 'Parent', { env: ENV, routeFault: fault, checks: false });
  return { app, parent, nested: parent.node.findChild('Workers') };
}

const ROUTE = 'S3PA-RouteNotAssociated';
let dirs: string[] = [];
afterEach(() => {
  cleanUp(dirs);
  dirs = [];
});

function synthTo(fault: boolean, assetMetadata = false) {
  const outdir = tempDir();
  dirs.push(outdir);
  const built = nestedApp(fault, { outdir, assetMetadata });
  return { ...built, assembly: built.app.synth(), outdir };
}

describe('nested stacks are judged with their parent\'s parameter values', () => {
  test('GIVEN the Aspect and a nested function whose subnet is not routed THEN an error on the nested function', () => {
    const { app, nested } = nestedApp(true);
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const assembly = app.synth();
    const errors = assembly.getStackArtifact('Parent').messages.filter(m => m.level === 'error');
    expect(errors.map(m => `${m.id} ${String(m.entry.data)}`)).toContainEqual(
      expect.stringMatching(new RegExp(`^/${nested.node.path}/Reader/Resource \\[${ROUTE}\\] .*Fix: `)));
  });

  test('GIVEN the clean twin THEN the Aspect reports nothing', () => {
    const { app } = nestedApp(false);
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const messages = app.synth().getStackArtifact('Parent').messages.filter(m => String(m.entry.data).includes('S3PA-'));
    expect(messages).toEqual([]);
  });

  test.each([false, true])('GIVEN the validator (asset metadata %s) THEN it reads the nested template and finds the fault', (assetMetadata) => {
    const { assembly } = synthTo(true, assetMetadata);
    const report = new S3PrivateAccessValidator().validate({ templatePaths: [assembly.getStackArtifact('Parent').templateFullPath] });
    expect(report.success).toBe(false);
    expect(report.violations.map(v => `${v.ruleName} ${v.violatingResources[0].constructPath}`))
      .toContain(`${ROUTE} Parent/Workers/Reader/Resource`);
    const resource = report.violations.find(v => v.ruleName === ROUTE)!.violatingResources[0];
    expect(path.basename(resource.templatePath ?? '')).toMatch(/\.nested\.template\.json$/);
  });

  test('GIVEN the clean twin THEN the validator reports nothing', () => {
    const { assembly } = synthTo(false);
    const report = new S3PrivateAccessValidator().validate({ templatePaths: [assembly.getStackArtifact('Parent').templateFullPath] });
    expect(report.violations).toEqual([]);
  });

  test('GIVEN the CLI\'s checkAssembly THEN the nested stack is checked beside its parent', () => {
    const faulty = S3PrivateAccessDiagnostics.checkAssembly(synthTo(true).outdir);
    expect(faulty.stackIds).toEqual(['Parent', expect.stringMatching(/^ParentWorkers[0-9A-F]+$/)]);
    expect(faulty.findings.map(f => `${f.ruleId} ${f.constructPath}`)).toContain(`${ROUTE} Parent/Workers/Reader/Resource`);
    expect(S3PrivateAccessDiagnostics.checkAssembly(synthTo(false).outdir).findings).toEqual([]);
  });
});
