import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WorkloadStage } from '../../examples/pipeline-stage';
import { NagPackValidation, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../../lib';
import { cliReadsReport } from '../../lib/checks/enforce';
import { cleanUp, tempDir } from '../diagnostics/fixtures';
import { stderrOf } from '../helpers/stderr';

// the lookups answered, and construct paths in the templates, as the CDK CLI turns them on
const CONTEXT = {
  ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8')),
  'aws:cdk:enable-path-metadata': true,
};
const ENV = { account: '123456789012', region: 'eu-west-1' };
const CDK_VERSION: string = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;

/** Runs `fn` as if the CDK CLI ran the app (it passes failSynthOnValidationErrors false); returns stderr and exit code. */
function underCli(fn: () => void): { printed: string; exitCode: typeof process.exitCode } {
  const saved = { env: process.env.CDK_CONTEXT_JSON, exitCode: process.exitCode };
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ '@aws-cdk/core:failSynthOnValidationErrors': false });
  try {
    const printed = stderrOf(fn);
    return { printed, exitCode: process.exitCode };
  } finally {
    process.exitCode = saved.exitCode;
    if (saved.env === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = saved.env;
  }
}

/**
 * A top-level stack whose VPC has DNS hostnames off but an interface endpoint with private DNS, which then fails to
 * deploy (S3PA-DnsSupport, an error whatever the workloads).
 */
function dnsFault(app: App, id = 'Net'): Stack {
  const stack = new Stack(app, id, { env: ENV });
  const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: false });
  new ec2.CfnVPCEndpoint(stack, 'S3', {
    vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Interface', privateDnsEnabled: true,
  });
  return stack;
}

let dirs: string[] = [];
afterEach(() => {
  cleanUp(dirs);
  dirs = [];
});

describe('who fails cdk synth on a failed validation report', () => {
  test('the matrix pins which aws-cdk-lib writes the report the CDK CLI reads (the README\'s version table)', () => {
    expect(cliReadsReport()).toBe(CDK_VERSION !== '2.257.0');
  });

  test('GIVEN an error in a top-level stack under the CLI THEN the validator fails synth itself only where the CLI does not read the report', () => {
    const outdir = tempDir();
    dirs.push(outdir);
    const app = new App({ outdir, context: CONTEXT });
    const stack = dnsFault(app);
    const assembly = app.synth();
    const r = underCli(() => new S3PrivateAccessValidator().validate({
      templatePaths: [assembly.getStackArtifact(stack.artifactId).templateFullPath],
    }));
    if (cliReadsReport()) {
      expect(r.printed).toBe('');
      expect(r.exitCode).toBeUndefined();
    } else {
      expect(r.printed).toMatch(/^cdk-s3-private-access: validation failed with 1 error .*\n {2}\[S3PA-DnsSupport\] Net\/Vpc: VPC Net\/Vpc.*\. Fix: enable both/);
      expect(r.exitCode).toBe(1);
    }
  });

  test('GIVEN an error in a plain Stage\'s stack under the CLI THEN the validator fails synth itself on every version', () => {
    const outdir = tempDir();
    dirs.push(outdir);
    const app = new App({ outdir, context: CONTEXT });
    const stage = new WorkloadStage(app, 'Prod', { env: ENV, routeFault: true, checks: false });
    const assembly = app.synth();
    const templatePaths = assembly.getNestedAssembly(stage.artifactId).stacks.map(s => s.templateFullPath);
    const r = underCli(() => new S3PrivateAccessValidator().validate({ templatePaths }));
    expect(r.printed).toMatch(/\[S3PA-RouteNotAssociated\] Prod\/Network\/Workers\/Reader\/Resource: .*Fix: associate the route table/);
    expect(r.exitCode).toBe(1);
  });

  test('GIVEN the clean twin under the CLI THEN nothing is printed and the exit code is untouched', () => {
    const outdir = tempDir();
    dirs.push(outdir);
    const app = new App({ outdir, context: CONTEXT });
    const stage = new WorkloadStage(app, 'Prod', { env: ENV, checks: false });
    const assembly = app.synth();
    const templatePaths = assembly.getNestedAssembly(stage.artifactId).stacks.map(s => s.templateFullPath);
    const r = underCli(() => expect(new S3PrivateAccessValidator().validate({ templatePaths }).success).toBe(true));
    expect(r).toEqual({ printed: '', exitCode: undefined });
  });

  test('GIVEN an app not run by the CLI THEN aws-cdk-lib fails synth itself and the plugins print nothing', () => {
    const app = new App({ context: CONTEXT });
    new WorkloadStage(app, 'Prod', { env: ENV, routeFault: true, checks: false });
    app.synth();
    const printed = stderrOf(() => expect(new S3PrivateAccessNagPack(app).validate({ templatePaths: [] }).success).toBe(false));
    expect(printed).toBe('');
  });

  test('GIVEN an error in a plain Stage\'s stack under the CLI THEN the nag pack fails synth itself', () => {
    const r = underCli(() => {
      // the app reads the CLI's context when it is created
      const app = new App({ context: CONTEXT });
      new WorkloadStage(app, 'Prod', { env: ENV, routeFault: true, checks: false });
      app.synth();
      new S3PrivateAccessNagPack(app).validate({ templatePaths: [] });
    });
    expect(r.printed).toMatch(/^S3PrivateAccess: validation failed with 1 error .*\n {2}\[S3PA-RouteNotAssociated\] Prod\/Network\/Workers\/Reader\/Resource: /);
    expect(r.exitCode).toBe(1);
  });
});

describe('warnings never fail synth unless warningsAsErrors', () => {
  /** A stack whose VPC uses a custom DNS server (S3PA-CustomDns, a warning) and nothing else to report. */
  function customDns(): App {
    const app = new App({ context: CONTEXT });
    const stack = new Stack(app, 'Net', { env: ENV });
    const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: true });
    new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3' });
    const dhcp = new ec2.CfnDHCPOptions(stack, 'Dhcp', { domainNameServers: ['10.0.0.53'] });
    new ec2.CfnVPCDHCPOptionsAssociation(stack, 'DhcpAssociation', { vpcId: vpc.ref, dhcpOptionsId: dhcp.ref });
    return app;
  }

  test('GIVEN only a warning THEN the nag pack\'s report succeeds, with the warning in it', () => {
    const report = new S3PrivateAccessNagPack(customDns()).validate({ templatePaths: [] });
    expect(report.success).toBe(true);
    expect(report.violations.map(v => `${v.ruleName} ${v.severity}`)).toEqual(['S3PA-CustomDns warning']);
  });

  test('GIVEN warningsAsErrors THEN the nag pack reports the warning as an error and fails', () => {
    const report = new S3PrivateAccessNagPack(customDns(), { warningsAsErrors: true }).validate({ templatePaths: [] });
    expect(report.success).toBe(false);
    expect(report.violations.map(v => `${v.ruleName} ${v.severity}`)).toEqual(['S3PA-CustomDns error']);
  });

  test('GIVEN a cdk-nag pack with warnings only THEN NagPackValidation succeeds', () => {
    const app = new App({ context: CONTEXT });
    const stack = new Stack(app, 'Plain', { env: ENV });
    // AwsSolutions-VPC3 (a network ACL in use) is a warning
    new ec2.CfnNetworkAcl(stack, 'Acl', { vpcId: 'vpc-0123456789abcdef0' });
    const pack = new AwsSolutionsChecks(app);
    const raw = pack.validateScope(app);
    const wrapped = new NagPackValidation(app, pack).validate({ templatePaths: [] });
    // cdk-nag itself fails its report on warnings alone
    expect(raw.violations.length).toBeGreaterThan(0);
    expect(raw.violations.every(v => v.severity === 'warning')).toBe(true);
    expect(raw.success).toBe(false);
    expect(wrapped.success).toBe(true);
  });

  test('an error in a cdk-nag pack still fails NagPackValidation', () => {
    const app = new App({ context: CONTEXT });
    dnsFault(app);
    const wrapped = new NagPackValidation(app, new S3PrivateAccessNagPack(app)).validate({ templatePaths: [] });
    expect(wrapped.success).toBe(false);
  });
});
