import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess, S3PrivateAccessChecks, S3PrivateAccessDiagnostics, S3PrivateAccessValidator } from '../../lib';
import { cleanUp, tempDir } from '../diagnostics/fixtures';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
const ENV = { account: '123456789012', region: 'eu-west-1' };

/**
 * A parent stack with the VPC, bucket and S3PrivateAccess, and a nested stack with a function reading the bucket:
 * its subnets, security group and the bucket reach the nested template only as the parent's parameter values.
 * The fault routes only the data tier to the endpoint, not the function's app tier.
 */
function nestedApp(fault: boolean, opts: { outdir?: string; assetMetadata?: boolean } = {}) {
  const app = new App({
    outdir: opts.outdir,
    context: { ...CONTEXT, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': opts.assetMetadata ?? false },
  });
  const parent = new Stack(app, 'Parent', { env: ENV });
  const vpc = new ec2.Vpc(parent, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const bucket = new s3.Bucket(parent, 'Data', { enforceSSL: true });
  const access = new S3PrivateAccess(parent, 'S3Access', {
    vpc, buckets: [bucket], checks: false, subnets: fault ? [{ subnetGroupName: 'data' }] : undefined,
  });
  const nested = new NestedStack(parent, 'Workers');
  const fn = new lambda.Function(nested, 'Reader', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    securityGroups: [new ec2.SecurityGroup(nested, 'ReaderSg', { vpc, allowAllOutbound: false })],
    environment: { BUCKET: bucket.bucketName },
  });
  access.allowFrom(fn);
  access.grantRead(fn, bucket, { prefix: 'in/' });
  return { app, parent, nested };
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
