import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { kmsGrant } from '../../lib/rules/kms-grant';
import { envStack, findingsOf, summary } from '../helpers/checks';

function app(stack: Stack, encryptionKey?: kms.IKey) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const key = encryptionKey ?? new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const fn = new lambda.Function(stack, 'Fn', {
    vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  return { endpoint, key, bucket, fn };
}

describe('S3PA-KmsGrant', () => {
  test('fires when a workload role reads an SSE-KMS bucket without kms:Decrypt', () => {
    // GIVEN
    const stack = envStack();
    const { bucket, fn } = app(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));

    // WHEN
    const findings = summary(findingsOf(stack, kmsGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Data/Resource' })]);
    expect(findings[0].message).toBe('role Stack/Fn/ServiceRole/Resource (of Stack/Fn/Resource) may not use kms:Decrypt (for s3:GetObject) '
      + 'on key Stack/Key/Resource of SSE-KMS bucket Stack/Data/Resource: neither its identity policies nor the key policy allow it');
  });

  test('is quiet when kms:Decrypt is granted on key/* of the account and region (the IAM wildcard covers the key)', () => {
    // GIVEN the twin of the test above, with the key granted through a wildcard ARN
    const stack = envStack();
    const { bucket, fn } = app(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/*'] }));

    // THEN
    expect(findingsOf(stack, kmsGrant)).toEqual([]);
  });

  test('fires when the key wildcard names another region', () => {
    const stack = envStack();
    const { bucket, fn } = app(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['arn:aws:kms:us-east-1:111111111111:key/*'] }));

    expect(summary(findingsOf(stack, kmsGrant)).map(f => f.level)).toEqual(['error']);
  });

  test('fires when the key policy requires the S3 endpoint', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint, key, bucket, fn } = app(stack);
    bucket.grantReadWrite(fn);
    key.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
    }));

    // WHEN
    const findings = summary(findingsOf(stack, kmsGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Data/Resource' })]);
    expect(findings[0].message).toContain('may not use kms:Decrypt (for s3:GetObject) and kms:GenerateDataKey (for s3:PutObject)');
    expect(findings[0].message).toContain('the key policy conditions on aws:SourceVpce/aws:SourceVpc');
  });

  test('is quiet when grantReadWrite also grants the key', () => {
    // GIVEN
    const stack = envStack();
    const { bucket, fn } = app(stack);
    bucket.grantReadWrite(fn);

    // WHEN / THEN
    expect(findingsOf(stack, kmsGrant)).toEqual([]);
  });

  test('is quiet when the key policy is conditioned on kms:ViaService', () => {
    // GIVEN
    const stack = envStack();
    const { key, bucket, fn } = app(stack);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [fn.role!],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    }));

    // WHEN / THEN
    expect(findingsOf(stack, kmsGrant)).toEqual([]);
  });

  test('cannot judge a bucket encrypted with a key outside the app', () => {
    // GIVEN
    const stack = envStack();
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const { bucket, fn } = app(stack, imported);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));

    // WHEN
    const findings = summary(findingsOf(stack, kmsGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Data/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether role Stack\/Fn\/ServiceRole\/Resource .* may use KMS key arn:aws:kms:eu-west-1:111111111111:key\/1234abcd/);
  });
});
