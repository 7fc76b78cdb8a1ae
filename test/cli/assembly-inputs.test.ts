import * as fs from 'fs';
import * as path from 'path';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { main } from '../../lib/cli/main';
import { appIn, cleanUp, tempDir } from '../diagnostics/fixtures';

/** Runs the CLI in-process; returns the exit code and what it wrote. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}

let dirs: string[] = [];
afterEach(() => {
  cleanUp(dirs);
  dirs = [];
});

/**
 * An app with an outputs-only stack and a stack whose VPC has DNS hostnames off but an interface endpoint with
 * private DNS (S3PA-DnsSupport, an error), or on.
 */
function synthWithOutputsOnly(dnsFault: boolean): string {
  const outdir = tempDir();
  dirs.push(outdir);
  const app = appIn(outdir);
  const outputs = new Stack(app, 'OutputsOnly', { env: { account: '123456789012', region: 'eu-west-1' } });
  new CfnOutput(outputs, 'Version', { value: '1.2.3' });
  const net = new Stack(app, 'Net', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.CfnVPC(net, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: !dnsFault });
  new ec2.CfnVPCEndpoint(net, 'S3', {
    vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Interface', privateDnsEnabled: true,
  });
  app.synth();
  return outdir;
}

describe('check accepts every assembly cdk synth writes', () => {
  test('GIVEN an outputs-only stack beside a faulty one THEN the faulty one decides the exit code (1), the empty one has no findings', async () => {
    const r = await run('check', synthWithOutputsOnly(true));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^OutputsOnly: no findings$/m);
    expect(r.out).toMatch(/^ {2}error {3}\[S3PA-DnsSupport\] Net\/Vpc/m);
  });

  test('GIVEN the clean twin THEN exit 0', async () => {
    const r = await run('check', synthWithOutputsOnly(false));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^0 errors, 0 warnings in 2 stacks$/m);
  });

  test('GIVEN an integ test (its DeployAssert stack has no resources) THEN the assembly is checked, not refused', async () => {
    const outdir = tempDir();
    dirs.push(outdir);
    const app = appIn(outdir);
    const stack = new Stack(app, 'UnderTest', { env: { account: '123456789012', region: 'eu-west-1' } });
    new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: true });
    new IntegTest(app, 'Integ', { testCases: [stack] });
    app.synth();
    const r = await run('check', outdir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/DeployAssert[0-9A-F]*: no findings/);
  });

  test('GIVEN a manifest naming a template that is not there THEN exit 2 with what is missing and what to do', async () => {
    const outdir = synthWithOutputsOnly(false);
    fs.rmSync(path.join(outdir, 'Net.template.json'));
    const r = await run('check', outdir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cloud assembly '${outdir}' names template 'Net.template.json' for stack Net, but the file is missing: `
      + 'synthesize the app again (cdk synth) into an empty directory\n');
  });

  test('GIVEN a JSON file that is not a template THEN exit 2', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'package.json');
    fs.writeFileSync(file, '{"name": "x"}');
    const r = await run('check', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a CloudFormation template \(no Resources section\)/);
  });
});
