import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointPolicy, EndpointSource, S3PrivateAccess } from '../../lib';
import { compliantVpc, envBoundStack } from '../helpers/s3pa-fixtures';

const EXISTING = 'vpce-0123456789abcdef0';

function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    isolatedSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    isolatedSubnetRouteTableIds: ['rtb-0000000000000000a', 'rtb-0000000000000000b'],
  });
}

describe('EndpointSource.create()', () => {
  test('creates one S3 gateway endpoint in the vpc, the default source', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      VpcId: stack.resolve(vpc.vpcId),
      ServiceName: Match.objectLike({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] }),
    });
    expect(stack.resolve(access.endpointId)).toEqual(stack.resolve(access.endpoint.vpcEndpointId));
    expect(stack.resolve(access.endpointId)).toEqual({ Ref: stack.getLogicalId(access.endpoint.node.defaultChild as ec2.CfnVPCEndpoint) });
  });

  test('full access (default) writes no endpoint policy, keeping AWS\'s default', () => {
    // GIVEN
    const { stack } = envBoundStack();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: compliantVpc(stack), endpoint: EndpointSource.create() });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { PolicyDocument: Match.absent() });
  });

  test('a restricted endpoint policy is written to the created endpoint', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: compliantVpc(stack), endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: '*',
          Resource: stack.resolve(bucket.bucketArn),
        })]),
      },
    });
  });
});

describe('EndpointSource.fromExisting()', () => {
  test('adopts the endpoint: creates none, exposes its id', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', EXISTING);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc: importedVpc(stack), endpoint: EndpointSource.fromExisting(existing) });
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(access.endpointId).toBe(EXISTING);
    expect(access.endpoint).toBe(existing);
    expect(EndpointSource.fromExisting(existing).existingEndpoint).toBe(existing);
    expect(EndpointSource.create().existingEndpoint).toBeUndefined();
  });

  test('associates each selected route table with ModifyVpcEndpoint: add on create and update, remove on delete', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', EXISTING);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: importedVpc(stack), endpoint: EndpointSource.fromExisting(existing) });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::S3GatewayEndpointRouteTable', 2);
    for (const rtb of ['rtb-0000000000000000a', 'rtb-0000000000000000b']) {
      const add = { service: 'EC2', action: 'modifyVpcEndpoint', parameters: { VpcEndpointId: EXISTING, AddRouteTableIds: [rtb] } };
      template.hasResourceProperties('Custom::S3GatewayEndpointRouteTable', {
        Create: Match.serializedJson(Match.objectLike({ ...add, physicalResourceId: { id: `${EXISTING}:${rtb}` } })),
        Update: Match.serializedJson(Match.objectLike(add)),
        Delete: Match.serializedJson(Match.objectLike({
          action: 'modifyVpcEndpoint',
          parameters: { VpcEndpointId: EXISTING, RemoveRouteTableIds: [rtb] },
          ignoreErrorCodesMatching: Match.anyValue(),
        })),
        InstallLatestAwsSdk: false,
      });
    }
  });

  test('the custom resource may modify only this endpoint with this route table', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', EXISTING);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: importedVpc(stack), endpoint: EndpointSource.fromExisting(existing) });
    // THEN
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action).toBe('ec2:ModifyVpcEndpoint');
    }
    const resources = statements.map((s: any) => stack.resolve(s.Resource));
    expect(resources).toContainEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:eu-west-1:111111111111:vpc-endpoint/${EXISTING}`]] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:111111111111:route-table/rtb-0000000000000000a']] },
    ]);
  });

  test('a restricted endpoint policy is not applied to an adopted endpoint, with a warning', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', EXISTING);
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc: importedVpc(stack),
      endpoint: EndpointSource.fromExisting(existing),
      endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]),
    });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp('^endpointPolicy is not applied to an endpoint this construct did not create \\(EndpointSource.fromExisting\\)'));
  });

  test('full access on an adopted endpoint gives no warning', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', EXISTING);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: importedVpc(stack), endpoint: EndpointSource.fromExisting(existing) });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('/Stack/S3', Match.stringLikeRegexp('endpointPolicyNotApplied'));
  });
});
