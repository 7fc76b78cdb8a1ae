import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExampleStack } from '../../examples/example-stack';
import { EndpointPolicy, S3PrivateAccess } from '../../lib';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));

/** A fresh temp directory; removed by {@link cleanUp}. */
export function tempDir(prefix = 's3pa-diag-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cleanUp(dirs: string[]): void {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

/** A new app writing to `outdir`, with the lookups answered and construct paths in the templates (as the CDK CLI does). */
export function appIn(outdir: string, pathMetadata = true): App {
  return new App({ outdir, context: { ...CONTEXT, 'aws:cdk:enable-path-metadata': pathMetadata } });
}

/** Synthesizes the example app (examples/) with a planted fault, or none, into a new temp directory. */
export function synthExample(fault?: string): string {
  const outdir = tempDir();
  const app = appIn(outdir);
  new ExampleStack(app, 'S3PrivateAccessExample', { env: { account: '123456789012', region: 'eu-west-1' }, fault });
  app.synth();
  return outdir;
}

/** Faults planted by {@link synthPlanted}, each on one hop of the function's path to the bucket. */
export type PlantedFault = 'none' | 'sg-no-egress' | 'endpoint-policy-other-bucket' | 'wrong-vpce' | 'kms-no-grant';

/**
 * A function in isolated subnets that reads `work/*` of bucket `Data` through S3PrivateAccess, with one planted fault:
 * - `sg-no-egress`: its security group allows no egress (no `allowFrom`)
 * - `endpoint-policy-other-bucket`: the endpoint policy allows only another bucket
 * - `wrong-vpce`: the bucket policy denies requests not from the endpoint of another VPC of the app
 * - `kms-no-grant`: the bucket is SSE-KMS and the role is granted s3:GetObject but nothing on the key
 */
export function synthPlanted(fault: PlantedFault): string {
  const outdir = tempDir();
  const app = appIn(outdir);
  const stack = new Stack(app, 'Planted', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const bucket = new s3.Bucket(stack, 'Data', {
    removalPolicy: RemovalPolicy.RETAIN,
    ...(fault === 'kms-no-grant' ? { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key') } : {}),
  });
  const other = new s3.Bucket(stack, 'Other', { removalPolicy: RemovalPolicy.RETAIN });
  const fn = new lambda.Function(stack, 'Reader', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    vpc,
    securityGroups: [new ec2.SecurityGroup(stack, 'ReaderSg', { vpc, allowAllOutbound: false })],
  });
  const access = new S3PrivateAccess(stack, 'S3Access', {
    vpc,
    buckets: [bucket],
    checks: false,
    endpointPolicy: EndpointPolicy.restrictToBuckets([fault === 'endpoint-policy-other-bucket' ? other : bucket]),
  });
  if (fault !== 'sg-no-egress') access.allowFrom(fn);
  if (fault === 'kms-no-grant') {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('work/*')] }));
  } else {
    access.grantRead(fn, bucket, { prefix: 'work/' });
  }
  if (fault === 'wrong-vpce') {
    // the endpoint of another VPC of the app: the function's requests carry its own endpoint's id
    const otherVpc = new ec2.Vpc(stack, 'OtherVpc', {
      maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const otherEndpoint = otherVpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': otherEndpoint.vpcEndpointId } },
    }));
  }
  app.synth();
  return outdir;
}
