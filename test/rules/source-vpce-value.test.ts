import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GatewayEndpointRouteTableAssociation } from '../../lib';
import { sourceVpceValue } from '../../lib/rules/source-vpce-value';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';

function isolatedVpc(stack: Stack, id: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function workload(stack: Stack, vpc: ec2.IVpc, bucket: s3.IBucket, id = 'Fn'): lambda.Function {
  const fn = new lambda.Function(stack, id, {
    vpc,
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  bucket.grantRead(fn);
  return fn;
}

function denyUnless(bucket: s3.Bucket, key: string, value: any, operator = 'StringNotEquals'): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { [operator]: { [key]: value } },
  }));
}

describe('S3PA-SourceVpceValue', () => {
  test('GIVEN aws:SourceVpce compared with a vpc id WHEN checked THEN error naming the value', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', 'vpc-0123456789abcdef0');
    // WHEN
    const found = summary(findingsOf(stack, sourceVpceValue));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain("the VPC id 'vpc-0123456789abcdef0'");
  });

  test('GIVEN aws:SourceVpce compared with a reference to a VPC WHEN checked THEN error', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack, 'Vpc');
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', vpc.vpcId);
    const found = summary(findingsOf(stack, sourceVpceValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('the id of VPC Stack/Vpc/Resource');
  });

  test('GIVEN a wildcard vpce-* under a lowercase key WHEN checked THEN a warning (keys are case-insensitive; any endpoint passes)', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:sourcevpce', 'vpce-*', 'StringNotLike');
    const found = summary(findingsOf(stack, sourceVpceValue));
    expect(found).toEqual([expect.objectContaining({ level: 'warning' })]);
    expect(found[0].message).toContain("the wildcard 'vpce-*'");
  });

  test('GIVEN an identity policy comparing aws:SourceVpce with a vpc id WHEN checked THEN error on the policy', () => {
    const stack = envStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data/*'],
      conditions: { StringEquals: { 'aws:SourceVpce': 'vpc-0abc1234' } },
    }));
    const found = summary(findingsOf(stack, sourceVpceValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Role/DefaultPolicy/Resource' })]);
  });

  test('GIVEN the endpoint of another VPC WHEN the workloads run elsewhere THEN error naming the endpoint they use', () => {
    // GIVEN a workload in VpcA (with its own S3 endpoint) and a bucket policy naming VpcB's endpoint
    const stack = envStack();
    const vpcA = isolatedVpc(stack, 'VpcA');
    vpcA.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const vpcB = isolatedVpc(stack, 'VpcB');
    const other = vpcB.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    workload(stack, vpcA, bucket);
    denyUnless(bucket, 'aws:SourceVpce', other.vpcEndpointId);
    // WHEN
    const found = summary(findingsOf(stack, sourceVpceValue));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toMatch(/denies s3:GetObject on bucket Stack\/Bucket\/Resource for Stack\/Fn\/Resource, whose requests come through S3 endpoint Stack\/VpcA\/S3\/Resource .*they get 403$/);
  });

  test('GIVEN the endpoint of another service WHEN checked THEN error naming the service', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack, 'Vpc');
    const dynamo = vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', dynamo.vpcEndpointId);
    const found = summary(findingsOf(stack, sourceVpceValue));
    expect(found).toEqual([expect.objectContaining({ level: 'error' })]);
    expect(found[0].message).toContain('com.amazonaws.eu-west-1.dynamodb');
  });

  test('GIVEN a literal vpce id WHEN the granted workloads use an S3 endpoint of the app THEN cannot judge, naming the path (the literal may be its deployed id)', () => {
    // GIVEN the seed story: the bucket policy names a vpce id that is not the endpoint the workload goes through
    const stack = envStack();
    const vpc = isolatedVpc(stack, 'Vpc');
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    workload(stack, vpc, bucket);
    denyUnless(bucket, 'aws:SourceVpce', 'vpce-0123456789abcdef0');
    // WHEN
    const found = summary(findingsOf(stack, sourceVpceValue));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toMatch(/^cannot judge: whether vpce-0123456789abcdef0, named by statement #1 of Stack\/Bucket\/Policy\/Resource, is the deployed id of Stack\/Vpc\/S3\/Resource: if not, s3:GetObject on bucket Stack\/Bucket\/Resource by Stack\/Fn\/Resource .* get 403/);
  });

  test('GIVEN a literal vpce id for an external bucket WHEN no workload uses an endpoint of the app THEN warning only', () => {
    const stack = envStack();
    new s3.CfnBucketPolicy(stack, 'Policy', {
      bucket: 'partner-bucket',
      policyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::partner-bucket/*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } },
        }],
      },
    });
    const found = summary(findingsOf(stack, sourceVpceValue));
    expect(found).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Policy' })]);
    expect(found[0].message).toContain('the literal vpce-0a1b2c3d, which the app does not define');
  });

  test('GIVEN the literal id of an endpoint the app adopts (EndpointSource.fromExisting) THEN no finding', () => {
    // GIVEN an adopted endpoint, and a bucket policy that names it by its id
    const stack = envStack();
    const vpc = isolatedVpc(stack, 'Vpc');
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0a1b2c3d');
    new GatewayEndpointRouteTableAssociation(stack, 'Adopt', {
      endpoint: existing, routeTableIds: vpc.isolatedSubnets.map(s => s.routeTable.routeTableId),
    });
    new s3.CfnBucketPolicy(stack, 'Policy', {
      bucket: 'partner-bucket',
      policyDocument: {
        Statement: [{
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::partner-bucket/*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } },
        }],
      },
    });
    // WHEN / THEN
    expect(summary(findingsOf(stack, sourceVpceValue))).toEqual([]);
  });

  test('GIVEN a reference to the S3 endpoint the workload uses WHEN checked THEN no finding', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack, 'Vpc');
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Bucket');
    workload(stack, vpc, bucket);
    denyUnless(bucket, 'aws:SourceVpce', endpoint.vpcEndpointId);
    expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
  });

  test('GIVEN the endpoint referenced across stacks WHEN checked THEN no finding', () => {
    const stack = envStack('Net');
    const vpc = isolatedVpc(stack, 'Vpc');
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const data = new Stack(stack.node.root as App, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
    const bucket = new s3.Bucket(data, 'Bucket');
    workload(data, vpc, bucket);
    denyUnless(bucket, 'aws:SourceVpce', endpoint.vpcEndpointId);
    // WHEN the app is synthesized (cross-stack references become exports and imports)
    (stack.node.root as App).synth();
    // THEN
    expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
  });

  test('GIVEN a value from a CfnParameter WHEN checked THEN cannot judge, no error', () => {
    const stack = agnosticStack();
    const param = new CfnParameter(stack, 'EndpointId');
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', param.valueAsString);
    const found = findingsOf(stack, sourceVpceValue);
    expect(summary(found)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].cannotJudge).toBe(true);
    expect(found[0].message).toContain('EndpointId (a parameter or a value not defined in the app)');
  });

  test('GIVEN an import from outside the app WHEN checked THEN cannot judge', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', Fn.importValue('shared-s3-endpoint'));
    const found = findingsOf(stack, sourceVpceValue);
    expect(found.map(f => [f.level, f.cannotJudge])).toEqual([['warning', true]]);
    expect(found[0].message).toContain('shared-s3-endpoint');
  });

  test('GIVEN a Null check on aws:SourceVpce WHEN checked THEN no finding (its value is a boolean)', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    denyUnless(bucket, 'aws:SourceVpce', 'true', 'Null');
    expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
  });

  describe('judges each request through the endpoint it really uses', () => {
    function twoVpcs(stack: Stack) {
      const vpcA = isolatedVpc(stack, 'VpcA');
      const epA = vpcA.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const vpcB = isolatedVpc(stack, 'VpcB');
      const epB = vpcB.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const bucket = new s3.Bucket(stack, 'Bucket');
      return { vpcA, epA, vpcB, epB, bucket };
    }

    test('GIVEN a Deny listing the app\'s endpoint and a partner\'s literal id THEN no finding: the app\'s requests pass', () => {
      const stack = envStack();
      const { vpcA, epA, bucket } = twoVpcs(stack);
      workload(stack, vpcA, bucket);
      denyUnless(bucket, 'aws:SourceVpce', [epA.vpcEndpointId, 'vpce-0fedcba9876543210']);

      expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
    });

    test('GIVEN a workload in a second VPC whose endpoint the Deny leaves out THEN error: its requests get 403', () => {
      const stack = envStack();
      const { vpcA, epA, vpcB, bucket } = twoVpcs(stack);
      workload(stack, vpcA, bucket, 'FnA');
      workload(stack, vpcB, bucket, 'FnB');
      denyUnless(bucket, 'aws:SourceVpce', epA.vpcEndpointId);

      const found = summary(findingsOf(stack, sourceVpceValue));
      expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
      expect(found[0].message).toMatch(/for Stack\/FnB\/Resource, whose requests come through S3 endpoint Stack\/VpcB\/S3\/Resource/);
    });

    test('GIVEN the clean twin: both endpoints listed THEN no finding', () => {
      const stack = envStack();
      const { vpcA, epA, vpcB, epB, bucket } = twoVpcs(stack);
      workload(stack, vpcA, bucket, 'FnA');
      workload(stack, vpcB, bucket, 'FnB');
      denyUnless(bucket, 'aws:SourceVpce', [epA.vpcEndpointId, epB.vpcEndpointId]);

      expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
    });

    test('GIVEN a VPC id beside the app\'s endpoint THEN a warning for the dead value, no error', () => {
      const stack = envStack();
      const { vpcA, epA, bucket } = twoVpcs(stack);
      workload(stack, vpcA, bucket);
      denyUnless(bucket, 'aws:SourceVpce', [epA.vpcEndpointId, 'vpc-0123456789abcdef0']);

      const found = summary(findingsOf(stack, sourceVpceValue));
      expect(found).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('that value never matches') })]);
    });
  });
});
