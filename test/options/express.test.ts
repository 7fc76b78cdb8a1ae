import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3express from 'aws-cdk-lib/aws-s3express';
import { ExpressDirectoryBucket, S3PrivateAccess } from '../../lib';
import { expressEndpoint } from '../../lib/rules/network/express-endpoint';
import { findingsOf } from '../helpers/checks';
import { ACCOUNT, compliantVpc, REGION, s3PrefixListContextKey } from '../helpers/s3pa-fixtures';

/** An app whose context answers the S3 and the s3express prefix-list lookups of eu-west-1, and a stack in it. */
function setup() {
  const key = s3PrefixListContextKey(ACCOUNT, REGION);
  const app = new App({
    context: {
      [key]: [{ PrefixListId: 'pl-6da54004' }],
      [key.replace(`.${REGION}.s3:`, `.${REGION}.s3express:`)]: [{ PrefixListId: 'pl-0e1f2a3b4c5d6e7f8' }],
    },
  });
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: REGION } });
  const vpc = compliantVpc(stack, 'Vpc', [ec2.SubnetType.PRIVATE_ISOLATED]);
  const bucket = new s3express.CfnDirectoryBucket(stack, 'Dir', {
    bucketName: 'logs--euw1-az1--x-s3',
    dataRedundancy: 'SingleAvailabilityZone',
    locationName: 'euw1-az1',
  });
  return { app, stack, vpc, bucket };
}

function expressEndpoints(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'))
    .map((e: any) => e.Properties)
    .filter((p: any) => JSON.stringify(p.ServiceName).includes('.s3express'));
}

describe('directoryBuckets (S3 Express One Zone)', () => {
  test('adds a com.amazonaws.<region>.s3express gateway endpoint on the same route tables as the S3 one', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket)] });
    // THEN
    const express = expressEndpoints(stack);
    expect(express).toHaveLength(1);
    expect(express[0].VpcEndpointType).toBe('Gateway');
    expect(express[0].RouteTableIds).toEqual(access.routeTableIds.map((id) => stack.resolve(id)));
    expect(access.expressEndpoint).toBeDefined();
  });

  test('without directory buckets there is no s3express endpoint', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    expect(expressEndpoints(stack)).toHaveLength(0);
    expect(access.expressEndpoint).toBeUndefined();
  });

  test('the vpc\'s own s3express endpoint is reused, with the selected route tables added', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    vpc.addGatewayEndpoint('OwnExpress', { service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS, subnets: [{ subnets: [vpc.isolatedSubnets[0]] }] });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket)] });
    // THEN
    const express = expressEndpoints(stack);
    expect(express).toHaveLength(1);
    expect(express[0].RouteTableIds).toEqual(expect.arrayContaining(access.routeTableIds.map((id) => stack.resolve(id))));
  });

  test('grantExpressSession grants s3express:CreateSession on exactly the directory bucket ARNs', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc,
      directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket), ExpressDirectoryBucket.fromBucketName('raw--euw1-az1--x-s3')],
    });
    // WHEN
    access.grantExpressSession(role, { readOnly: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 's3express:CreateSession',
          Resource: [
            stack.resolve(bucket.attrArn),
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3express:eu-west-1:111111111111:bucket/raw--euw1-az1--x-s3']] },
          ],
          Condition: { StringEquals: { 's3express:SessionMode': 'ReadOnly' } },
        }],
      },
    });
  });

  test('grantExpressSession without directory buckets throws', () => {
    // GIVEN
    const { stack, vpc } = setup();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // WHEN / THEN
    expect(() => access.grantExpressSession(role)).toThrow(/grantExpressSession needs directory buckets/);
  });

  test('security groups get TCP 443 egress to the s3express prefix list as well', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, securityGroups: [sg], directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket)] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      Description: 'HTTPS to S3 Express One Zone through the s3express gateway endpoint',
      DestinationPrefixListId: 'pl-0e1f2a3b4c5d6e7f8',
      FromPort: 443,
      ToPort: 443,
      GroupId: stack.resolve(sg.securityGroupId),
    });
  });

  test('fromBucketName rejects a general purpose bucket name', () => {
    expect(() => ExpressDirectoryBucket.fromBucketName('my-bucket')).toThrow(/is not an S3 Express One Zone bucket name/);
  });

  test('the construct\'s output passes S3PA-ExpressEndpoint for a function granted a session; its clean twin without the endpoint fails', () => {
    // GIVEN
    const make = (withExpress: boolean) => {
      const { app, stack, vpc, bucket } = setup();
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });
      const access = new S3PrivateAccess(stack, 'S3', { vpc, directoryBuckets: withExpress ? [ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket)] : [] });
      if (withExpress) {
        access.grantExpressSession(fn);
      } else {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3express:CreateSession'], resources: [bucket.attrArn] }));
      }
      return { app, stack };
    };
    // WHEN
    const clean = make(true);
    const faulty = make(false);
    // THEN
    expect(findingsOf(clean.stack, expressEndpoint)).toEqual([]);
    // one error per isolated subnet (two AZs): the calls time out
    expect(findingsOf(faulty.stack, expressEndpoint).map((f) => f.level)).toEqual(['error', 'error']);
  });
});
