import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { publicPolicyBlocked } from '../../lib/rules/public-policy-blocked';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';

function publicRead(bucket: s3.Bucket, conditions?: Record<string, any>, sid = 'PublicRead'): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], conditions,
  }));
}

function s3Endpoint(stack: Stack): ec2.GatewayVpcEndpoint {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
}

describe('S3PA-PublicPolicyBlocked', () => {
  test('GIVEN the S3 guide\'s policy that delegates access control to the account\'s access points THEN no finding', () => {
    // GIVEN Principal "*" with s3:DataAccessPointAccount fixed to the account (as aws-samples' s3-object-lambda writes it)
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['*'],
      principals: [new iam.AnyPrincipal()],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { StringEquals: { 's3:DataAccessPointAccount': stack.account } },
    }));
    // THEN
    expect(findingsOf(stack, publicPolicyBlocked)).toEqual([]);
  });

  test('GIVEN a public Allow on a bucket with BLOCK_ALL WHEN checked THEN error naming the statement and the block', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    publicRead(bucket);
    // WHEN
    const found = summary(findingsOf(stack, publicPolicyBlocked));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('statement PublicRead of Stack/Bucket/Policy/Resource allows everyone (Principal "*") ["s3:GetObject"]');
    expect(found[0].message).toContain('Stack/Bucket/Resource blocks public policies (BlockPublicPolicy: true)');
  });

  test('GIVEN a bucket without PublicAccessBlockConfiguration WHEN its policy is public THEN error citing the S3 default', () => {
    const stack = envStack();
    const bucket = new s3.CfnBucket(stack, 'Raw');
    new s3.CfnBucketPolicy(stack, 'RawPolicy', {
      bucket: bucket.ref,
      policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: `${bucket.attrArn}/*` }] },
    });
    const found = summary(findingsOf(stack, publicPolicyBlocked));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/RawPolicy' })]);
    expect(found[0].message).toContain('S3 blocks public policies on new buckets by default');
  });

  test('GIVEN a wildcard vpce-* or an IfExists condition WHEN checked THEN still public: error', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    publicRead(bucket, { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, 'Wildcard');
    publicRead(bucket, { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } }, 'IfExists');
    const found = summary(findingsOf(stack, publicPolicyBlocked));
    expect(found.map(f => f.message.split(' of ')[0])).toEqual(['statement Wildcard', 'statement IfExists']);
  });

  test('GIVEN Principal "*" with aws:SourceVpce on the endpoint reference WHEN checked THEN no finding', () => {
    const stack = envStack();
    const endpoint = s3Endpoint(stack);
    const bucket = new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    publicRead(bucket, { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } });
    publicRead(bucket, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }, 'Org');
    publicRead(bucket, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, 'Office');
    expect(findingsOf(stack, publicPolicyBlocked)).toEqual([]);
  });

  test('GIVEN a public Allow on a bucket that allows public policies WHEN checked THEN no finding', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', {
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false,
      }),
    });
    publicRead(bucket);
    expect(findingsOf(stack, publicPolicyBlocked)).toEqual([]);
  });

  test('GIVEN a condition value from a CfnParameter WHEN checked THEN cannot judge, no error', () => {
    const stack = agnosticStack();
    const org = new CfnParameter(stack, 'OrgId');
    const bucket = new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    publicRead(bucket, { StringEquals: { 'aws:PrincipalOrgID': org.valueAsString } });
    const found = findingsOf(stack, publicPolicyBlocked);
    expect(found.map(f => [f.level, f.cannotJudge])).toEqual([['warning', true]]);
    expect(found[0].message).toContain('OrgId');
  });
});
