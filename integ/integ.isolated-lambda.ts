/**
 * Scenario: a Lambda function in a VPC with isolated subnets only (no NAT gateway, no internet gateway) reads and
 * writes a bucket that only the S3 gateway endpoint may reach.
 *
 * Proves on the deployed stack:
 * - the endpoint is an available S3 gateway endpoint associated with every isolated route table
 *   (`EC2.describeVpcEndpoints`), and each of those tables routes the S3 prefix list to it (`EC2.describeRouteTables`);
 * - the function writes, reads and lists an object through the endpoint (`invokeFunction`);
 * - the same read from a function outside the VPC, whose role is allowed `s3:GetObject`, is refused with
 *   `AccessDenied`: the bucket policy's Deny is in force (the assertion provider itself cannot test this: an
 *   `awsApiCall` that fails fails the deployment, integ-tests-alpha has no "expect an error");
 * - the Deny exempts the role of the VPC-less `autoDeleteObjects` Lambda function (read from inside the VPC with
 *   `GetBucketPolicy`); the destroy at the end of a deploy run, which empties the bucket through that function,
 *   proves the exemption works.
 *
 * Workflow choices: `stackUpdateWorkflow: true` (the default): the update run deploys the committed snapshot and then
 * this version, so a change that replaces the endpoint or rewrites the bucket policy destructively shows up.
 * Environment-agnostic, runs in any region (`--parallel-regions`).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess, S3PrivateAccessChecks } from '../lib';
import { expectGatewayEndpoint, expectPrefixListRoutes, expectReadDenied, expectRoundtrip } from './support/assertions';
import { autoDeleteObjectsRoleArn } from './support/auto-delete-role';
import { PROBE_HANDLER_CODE, probeLogGroup, S3ProbeFunction } from './support/probe-function';

const app = new App();
const stack = new Stack(app, 'S3paIsolatedLambda');
// the README shows `code` as a given (a rosetta fixture declares it)
const code = lambda.Code.fromInline(PROBE_HANDLER_CODE);

/// !show
// a VPC without NAT gateways or internet gateway: only isolated subnets
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});

const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  /// !hide
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  /// !show
});

// gateway endpoint, routes from the isolated subnets, and a bucket policy that denies requests from elsewhere
const access = new S3PrivateAccess(stack, 'S3Access', {
  vpc,
  buckets: [bucket],
});

const fn = new lambda.Function(stack, 'Writer', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code,
  /// !hide
  timeout: Duration.seconds(30),
  logGroup: probeLogGroup(stack),
  /// !show
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  environment: { BUCKET_NAME: bucket.bucketName },
});
access.grantReadWrite(fn, bucket, { prefix: 'reports/' });
/// !hide
// the function's security group allows all outbound traffic, so no access.allowFrom(fn) is needed here: see
// integ.restricted-sg-nacl.ts for groups with allowAllOutbound: false

// the probe reads the Deny statement back from inside the VPC (the assertion provider is denied by it)
fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketPolicy'], resources: [bucket.bucketArn] }));

// outside the VPC, with an identity policy that allows the read: only the bucket policy can refuse it
const outsider = new S3ProbeFunction(stack, 'Outsider', { bucket });
access.grantRead(outsider.function, bucket, { prefix: 'reports/' });
// the synth-time checks rightly report that the Deny locks this function out (S3PA-Lockout): here that is the point.
// Every other rule still runs over the stack.
Aspects.of(stack).add(new S3PrivateAccessChecks({ disabledRules: ['S3PA-Lockout'] }));

const integ = new IntegTest(app, 'IsolatedLambda', {
  testCases: [stack],
  stackUpdateWorkflow: true,
});

const routeTableIds = vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId);
expectGatewayEndpoint(integ.assertions, { endpointId: access.endpointId, vpcId: vpc.vpcId, routeTableIds });
expectPrefixListRoutes(integ.assertions, access.endpointId, routeTableIds);

const key = 'reports/integ.txt';
expectRoundtrip(integ.assertions, fn, key, 'written from an isolated subnet')
  .next(expectReadDenied(integ.assertions, outsider.function, key));

integ.assertions
  .invokeFunction({ functionName: fn.functionName, payload: JSON.stringify({ action: 'statement', sid: 'DenyUnlessThroughVpcEndpoint' }) })
  .expect(ExpectedResult.objectLike({
    Payload: Match.serializedJson({
      ok: true,
      statement: Match.objectLike({
        Effect: 'Deny',
        Condition: Match.objectLike({
          StringNotEquals: { 'aws:SourceVpce': access.endpointId },
          ArnNotLike: { 'aws:PrincipalArn': Match.arrayWith([autoDeleteObjectsRoleArn(bucket)]) },
        }),
      }),
    }),
  }));
