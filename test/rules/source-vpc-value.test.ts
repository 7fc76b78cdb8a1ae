import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { sourceVpcValue } from '../../lib/rules/source-vpc-value';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';

function isolatedVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function denyUnlessFromVpc(bucket: s3.Bucket, value: any, key = 'aws:SourceVpc'): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { StringNotEquals: { [key]: value } },
  }));
}

describe('S3PA-SourceVpcValue', () => {
  test('GIVEN aws:SourceVpc compared with a vpce id WHEN checked THEN error naming the value', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, 'vpce-0123456789abcdef0');
    // WHEN
    const found = summary(findingsOf(stack, sourceVpcValue));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain("the endpoint id 'vpce-0123456789abcdef0'");
  });

  test('GIVEN aws:SourceVpc compared with a reference to an endpoint WHEN checked THEN error', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, endpoint.vpcEndpointId, 'AWS:SOURCEVPC');
    const found = summary(findingsOf(stack, sourceVpcValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error' })]);
    expect(found[0].message).toContain('the id of endpoint Stack/Vpc/S3/Resource');
  });

  test('GIVEN a VPC of the app without an S3 endpoint WHEN named in aws:SourceVpc THEN error', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, vpc.vpcId);
    const found = summary(findingsOf(stack, sourceVpcValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('VPC Stack/Vpc/Resource, which has no S3 endpoint');
  });

  test('GIVEN a VPC with only a DynamoDB endpoint WHEN named in an identity policy THEN error', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data/*'],
      conditions: { StringEquals: { 'aws:SourceVpc': vpc.vpcId } },
    }));
    const found = summary(findingsOf(stack, sourceVpcValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Role/DefaultPolicy/Resource' })]);
  });

  test('GIVEN a VPC with an S3 gateway endpoint WHEN named in aws:SourceVpc THEN no finding', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, vpc.vpcId);
    expect(findingsOf(stack, sourceVpcValue)).toEqual([]);
  });

  test('GIVEN a VPC with an S3 interface endpoint WHEN named in aws:SourceVpc THEN no finding', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('S3', { service: ec2.InterfaceVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, vpc.vpcId);
    expect(findingsOf(stack, sourceVpcValue)).toEqual([]);
  });

  test('GIVEN a literal vpc id not defined in the app WHEN checked THEN no finding (it may be right)', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, 'vpc-0123456789abcdef0');
    expect(findingsOf(stack, sourceVpcValue)).toEqual([]);
  });

  test('GIVEN a value from a CfnParameter WHEN checked THEN cannot judge, no error', () => {
    const stack = agnosticStack();
    const param = new CfnParameter(stack, 'VpcId');
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnlessFromVpc(bucket, param.valueAsString);
    const found = findingsOf(stack, sourceVpcValue);
    expect(found.map(f => [f.level, f.cannotJudge])).toEqual([['warning', true]]);
    expect(found[0].message).toContain('VpcId (a parameter or a value not defined in the app)');
  });

  describe('judges each request with the VPC it comes from', () => {
    function hubAndSpoke(stack: Stack) {
      const a = isolatedVpc(stack, 'VpcA');
      a.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const b = isolatedVpc(stack, 'VpcB');
      b.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const bucket = new s3.Bucket(stack, 'Bucket');
      for (const [id, vpc] of [['FnA', a], ['FnB', b]] as const) {
        bucket.grantRead(new lambda.Function(stack, id, {
          vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
        }));
      }
      return { a, b, bucket };
    }

    test('GIVEN a workload in a VPC the Deny leaves out THEN error: its requests get 403', () => {
      const stack = envStack();
      const { a, bucket } = hubAndSpoke(stack);
      denyUnlessFromVpc(bucket, a.vpcId);

      const found = summary(findingsOf(stack, sourceVpcValue));
      expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
      expect(found[0].message).toMatch(/for Stack\/FnB\/Resource, whose requests come through S3 endpoint Stack\/VpcB\/S3\/Resource .*aws:SourceVpc names only Stack\/VpcA\/Resource, not its VPC/);
    });

    test('GIVEN the clean twin: both VPCs listed THEN no finding', () => {
      const stack = envStack();
      const { a, b, bucket } = hubAndSpoke(stack);
      denyUnlessFromVpc(bucket, [a.vpcId, b.vpcId]);

      expect(findingsOf(stack, sourceVpcValue)).toEqual([]);
    });
  });
});
