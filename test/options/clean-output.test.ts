import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3express from 'aws-cdk-lib/aws-s3express';
import {
  AwsOwnedBuckets, BucketRestriction, EndpointPolicy, ExpressDirectoryBucket, S3EndpointIpAddressType, S3PrivateAccess,
} from '../../lib';
import { expectNoUnacknowledgedFindings } from '../helpers/nag';
import { ACCOUNT, agnosticStackAndApp, compliantBucket, compliantVpc, dualStackVpc, REGION, s3PrefixListContextKey } from '../helpers/s3pa-fixtures';

const ORG = 'o-a1b2c3d4e5';

/** A dual-stack app with every option of issue 14, answered lookups, one workload. */
function everyNewOption(bucketRestriction?: BucketRestriction) {
  const key = s3PrefixListContextKey(ACCOUNT, REGION);
  const app = new App({
    context: {
      [key]: [{ PrefixListId: 'pl-6da54004' }],
      [key.replace(`.${REGION}.s3:`, `.${REGION}.s3express:`)]: [{ PrefixListId: 'pl-0e1f2a3b4c5d6e7f8' }],
    },
  });
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: REGION } });
  const vpc = dualStackVpc(stack);
  const { bucket, acks } = compliantBucket(stack);
  const directory = new s3express.CfnDirectoryBucket(stack, 'Dir', {
    bucketName: 'logs--euw1-az1--x-s3', dataRedundancy: 'SingleAvailabilityZone', locationName: 'euw1-az1',
  });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false, allowAllIpv6Outbound: false });
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const access = new S3PrivateAccess(stack, 'S3', {
    vpc,
    buckets: [bucket],
    securityGroups: [sg],
    networkAcls: [acl],
    ipAddressType: S3EndpointIpAddressType.DUALSTACK,
    directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(directory)],
    remoteAccess: { cidrs: ['10.200.0.0/16'] },
    bucketRestriction,
    endpointPolicy: EndpointPolicy.restrictToOrganization(ORG, {
      allowAwsOwnedBuckets: [
        AwsOwnedBuckets.CLOUDFORMATION_RESPONSES, AwsOwnedBuckets.CLOUDWATCH_AGENT, AwsOwnedBuckets.IMAGE_BUILDER,
        AwsOwnedBuckets.CODEARTIFACT,
      ],
    }),
  });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [sg],
  });
  access.grantReadWrite(fn, bucket, { prefix: 'in/' });
  access.grantExpressSession(fn);
  return { app, stack, acl, fn, acks };
}

describe('the templates of the new options stay clean', () => {
  test.each([
    ['toEndpoint', undefined],
    ['toOrganization', BucketRestriction.toOrganization(ORG)],
    ['toAccounts', BucketRestriction.toAccounts([ACCOUNT])],
  ])('cdk-nag AwsSolutions: no unacknowledged finding (%s)', (_name, restriction) => {
    // GIVEN / WHEN
    const { app, stack, acl, fn, acks } = everyNewOption(restriction);
    // THEN
    expectNoUnacknowledgedFindings(app, stack, [
      ...acks,
      { scope: acl, id: 'AwsSolutions-VPC3', reason: 'the test gives the isolated subnets a custom network ACL on purpose, to exercise the S3 entries' },
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'the test function uses the CDK default execution role policy, not what the construct writes' },
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: 'the test function uses the CDK default execution role policy, not what the construct writes' },
      { scope: fn, id: 'AwsSolutions-L1', reason: 'the runtime of the test function does not matter to the construct' },
    ]);
  });

  test('cdk-nag AwsSolutions: an env-agnostic stack (deploy-time prefix-list lookups for S3 and s3express) has no unacknowledged finding', () => {
    // GIVEN
    const { app, stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack, 'Vpc', [ec2.SubnetType.PRIVATE_ISOLATED]);
    const directory = new s3express.CfnDirectoryBucket(stack, 'Dir', { dataRedundancy: 'SingleAvailabilityZone', locationName: 'use1-az4' });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc, securityGroups: [sg], directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(directory)], remoteAccess: { cidrs: ['10.200.0.0/16'] },
    });
    // THEN
    expectNoUnacknowledgedFindings(app, stack);
  });

  test('the construct\'s own synth-time checks report no error on it', () => {
    // GIVEN / WHEN
    const { stack } = everyNewOption();
    // THEN
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    // what the app cannot know is said, not judged: the organization of the bucket's account
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
    if (process.env.SHOW_WARNINGS) console.log(warnings.join('\n'));
    expect(warnings.filter((w) => /S3PA-/.test(w) && !/cannot judge|could not judge|depends on values not resolved/.test(w))).toEqual([]);
  });
});
