import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsOwnedBuckets, EndpointPolicy } from '../../lib/policy';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Data');
  return { stack, bucket, bucketArn: stack.resolve(bucket.bucketArn), objectsArn: stack.resolve(bucket.arnForObjects('*')) };
}

function endpointWith(stack: Stack, policy: EndpointPolicy): Template {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  policy.statements(endpoint).forEach((s) => endpoint.addToPolicy(s));
  return Template.fromStack(stack);
}

describe('EndpointPolicy.fullAccess', () => {
  test('is not restricted and has no statements', () => {
    // GIVEN
    const { stack } = setup();
    // WHEN
    const policy = EndpointPolicy.fullAccess();
    // THEN
    expect(policy.isRestricted).toBe(false);
    expect(policy.statements(stack)).toEqual([]);
  });

  test('leaves the endpoint without a PolicyDocument, so AWS keeps its default', () => {
    // GIVEN
    const { stack } = setup();
    // WHEN
    const template = endpointWith(stack, EndpointPolicy.fullAccess());
    // THEN
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { PolicyDocument: Match.absent() });
  });
});

describe('EndpointPolicy.restrictToBuckets', () => {
  test('allows bucket actions on the bucket ARN and object actions on bucket/*, with Principal "*"', () => {
    // GIVEN
    const { stack, bucket, bucketArn, objectsArn } = setup();
    // WHEN
    const template = endpointWith(stack, EndpointPolicy.restrictToBuckets([bucket]));
    // THEN
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn, Sid: 'AllowBucketActionsOnNamedBuckets' },
          {
            Effect: 'Allow',
            Principal: '*',
            Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
            Resource: objectsArn,
            Sid: 'AllowObjectActionsOnNamedBuckets',
          },
        ],
      },
    });
  });

  test('is restricted', () => {
    const { bucket } = setup();
    expect(EndpointPolicy.restrictToBuckets([bucket]).isRestricted).toBe(true);
  });

  test('never allows s3:* and never uses a * resource', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const json = stack.resolve(EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.SSM] })
      .statements(stack).map((s) => s.toStatementJson()));
    // THEN
    for (const statement of json) {
      expect([statement.Action].flat()).not.toContain('s3:*');
      expect([statement.Resource].flat()).not.toContain('*');
    }
  });

  test('adds s3:GetObject on the AWS-owned buckets it is asked for', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const template = endpointWith(stack, EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS] }));
    // THEN
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowAwsOwnedEcrLayers',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-eu-west-1-starport-layer-bucket/*']] },
        }]),
      },
    });
  });

  test('without AWS-owned allowances names no AWS-owned bucket', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const statements = EndpointPolicy.restrictToBuckets([bucket]).statements(stack);
    // THEN
    expect(JSON.stringify(stack.resolve(statements.map((s) => s.toStatementJson())))).not.toMatch(/starport|al2023|ssm/);
  });

  test('puts custom actions on the resource type they act on', () => {
    // GIVEN
    const { stack, bucket, bucketArn, objectsArn } = setup();
    // WHEN
    const json = stack.resolve(EndpointPolicy.restrictToBuckets([bucket], { actions: ['s3:GetObject', 's3:ListBucket', 's3:Get*'] })
      .statements(stack).map((s) => s.toStatementJson()));
    // THEN
    expect(json).toEqual([
      expect.objectContaining({ Action: ['s3:ListBucket', 's3:Get*'], Resource: bucketArn }),
      expect.objectContaining({ Action: ['s3:GetObject', 's3:Get*'], Resource: objectsArn }),
    ]);
  });

  test('rejects an empty bucket list', () => {
    expect(() => EndpointPolicy.restrictToBuckets([])).toThrow(/needs at least one bucket/);
  });

  test('rejects an action that is not an S3 action', () => {
    const { bucket } = setup();
    expect(() => EndpointPolicy.restrictToBuckets([bucket], { actions: ['dynamodb:GetItem'] }))
      .toThrow(/'dynamodb:GetItem' is not an S3 action/);
  });

  test('rejects s3:*', () => {
    const { bucket } = setup();
    expect(() => EndpointPolicy.restrictToBuckets([bucket], { actions: ['s3:*'] })).toThrow(/'s3:\*' is too broad/);
  });

  test('rejects an empty action list', () => {
    const { bucket } = setup();
    expect(() => EndpointPolicy.restrictToBuckets([bucket], { actions: [] })).toThrow(/actions is empty/);
  });
});
