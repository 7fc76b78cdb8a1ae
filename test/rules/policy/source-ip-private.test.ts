import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { sourceIpPrivate } from '../../../lib/rules/policy/source-ip-private';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function workload(stack: Stack, vpc: ec2.IVpc): lambda.Function {
  return new lambda.Function(stack, 'Fn', {
    vpc,
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
}

function allowFromIps(bucket: s3.Bucket, ips: any): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AccountRootPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { IpAddress: { 'aws:SourceIp': ips } },
  }));
}

describe('S3PA-SourceIpPrivate', () => {
  test('GIVEN a bucket policy with aws:SourceIp 10.0.0.0/8 WHEN checked THEN error naming the range', () => {
    // GIVEN the seed story
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    allowFromIps(bucket, '10.0.0.0/8');
    // WHEN
    const found = summary(findingsOf(stack, sourceIpPrivate));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('the private range 10.0.0.0/8');
    expect(found[0].message).toContain('aws:VpcSourceIp');
  });

  test('GIVEN a Deny with NotIpAddress on ranges inside 172.16/12 and 100.64/10 WHEN checked THEN error naming both', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { NotIpAddress: { 'aws:sourceip': ['172.20.0.0/16', '100.64.1.10', '203.0.113.0/24'] } },
    }));
    const found = summary(findingsOf(stack, sourceIpPrivate));
    expect(found).toEqual([expect.objectContaining({ level: 'error' })]);
    expect(found[0].message).toContain('172.20.0.0/16 (in 172.16.0.0/12), 100.64.1.10 (in 100.64.0.0/10)');
    expect(found[0].message).not.toContain('203.0.113.0/24');
  });

  test('GIVEN an identity policy with aws:SourceIp 192.168.1.0/24 WHEN checked THEN error on the policy', () => {
    const stack = envStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::data/*'],
      conditions: { IpAddress: { 'aws:SourceIp': '192.168.1.0/24' } },
    }));
    const found = summary(findingsOf(stack, sourceIpPrivate));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Role/DefaultPolicy/Resource' })]);
  });

  test('GIVEN a public allow-list on a bucket a workload reaches through an S3 endpoint WHEN checked THEN warning naming the path', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantRead(workload(stack, vpc));
    allowFromIps(bucket, '203.0.113.0/24');
    const found = summary(findingsOf(stack, sourceIpPrivate));
    expect(found).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('does not match Stack/Fn/Resource (through Stack/Vpc/S3/Resource)');
  });

  test('GIVEN a public allow-list on a bucket no workload reaches through an endpoint WHEN checked THEN no finding', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    allowFromIps(bucket, ['203.0.113.0/24', '198.51.100.7']);
    expect(findingsOf(stack, sourceIpPrivate)).toEqual([]);
  });

  test('GIVEN aws:VpcSourceIp with private ranges WHEN checked THEN no finding (the right key)', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } },
    }));
    expect(findingsOf(stack, sourceIpPrivate)).toEqual([]);
  });

  test('GIVEN a range from a CfnParameter WHEN checked THEN cannot judge, no error', () => {
    const stack = agnosticStack();
    const param = new CfnParameter(stack, 'OfficeCidr');
    const bucket = new s3.Bucket(stack, 'Bucket');
    allowFromIps(bucket, param.valueAsString);
    const found = findingsOf(stack, sourceIpPrivate);
    expect(found.map(f => [f.level, f.cannotJudge])).toEqual([['warning', true]]);
    expect(found[0].message).toContain('OfficeCidr');
  });
});
