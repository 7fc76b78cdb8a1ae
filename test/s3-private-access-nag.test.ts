import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EndpointPolicy, EndpointSource, S3PrivateAccess } from '../lib';
import { expectNoUnacknowledgedFindings, unacknowledgedFindings } from './helpers/nag';
import { agnosticStackAndApp, compliantBucket, compliantVpc, envBoundStack } from './helpers/s3pa-fixtures';

describe('cdk-nag AwsSolutions over the stacks S3PrivateAccess builds', () => {
  test('env-bound stack with endpoint, security group, network acl and bucket has no unacknowledged finding', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const { bucket, acks } = compliantBucket(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc,
      buckets: [bucket],
      securityGroups: [sg],
      networkAcls: [acl],
      endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]),
    });
    access.grantReadWrite(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }), bucket, { prefix: 'in/' });
    // THEN
    // only what the test itself adds is acknowledged here: the construct acknowledges its own entries and grants
    expectNoUnacknowledgedFindings(app, stack, [
      ...acks,
      { scope: acl, id: 'AwsSolutions-VPC3', reason: 'the test gives the isolated subnets a custom network ACL on purpose, to exercise the S3 entries' },
    ]);
  });

  test('adopted endpoint and env-agnostic prefix list: the AwsCustomResource findings come acknowledged by the construct', () => {
    // GIVEN
    const { app, stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc,
      endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0')),
      securityGroups: [sg],
    });
    // THEN
    expectNoUnacknowledgedFindings(app, stack);
  });

  test('env-agnostic stack with networkAcls: the deploy-time writer adds no unacknowledged finding', () => {
    // GIVEN
    const { app, stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // THEN
    expectNoUnacknowledgedFindings(app, stack, [
      { scope: acl, id: 'AwsSolutions-VPC3', reason: 'the test gives the isolated subnets a custom network ACL on purpose, to exercise the S3 entries' },
    ]);
  });

  test('keepNaclCidrsCurrent: the updater adds no unacknowledged finding', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], keepNaclCidrsCurrent: true });
    // THEN
    expectNoUnacknowledgedFindings(app, stack, [
      { scope: acl, id: 'AwsSolutions-VPC3', reason: 'the test gives the isolated subnets a custom network ACL on purpose, to exercise the S3 entries' },
    ]);
  });

  test('the helper reports findings that are not acknowledged', () => {
    // GIVEN a stack with a VPC without flow logs
    const { app, stack } = envBoundStack();
    new ec2.Vpc(stack, 'PlainVpc', { maxAzs: 1 });
    // THEN
    expect(unacknowledgedFindings(app, stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-VPC7 at Stack\/PlainVpc/)]));
  });
});
