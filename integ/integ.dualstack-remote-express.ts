/**
 * Scenario: a dual-stack VPC (isolated subnets, IPv4 and IPv6) whose workloads reach a bucket through a dual-stack S3
 * gateway endpoint, an S3 Express One Zone directory bucket through an s3express gateway endpoint, and an S3 interface
 * endpoint for an on-premises network (10.200.0.0/16), with the bucket restricted to both S3 endpoints.
 *
 * Proves on the deployed stack:
 * - the S3 gateway endpoint is available, dual-stack (`IpAddressType: dualstack`) and associated with every isolated
 *   route table (`EC2.describeVpcEndpoints`);
 * - the s3express gateway endpoint is available and associated with the same route tables;
 * - the S3 interface endpoint is available, with private DNS for inbound resolver endpoints only
 *   (`DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint`), so in-VPC traffic stays on the gateway endpoint;
 * - a function in the isolated subnets writes, reads and lists an object (the gateway endpoint carries it);
 * - the bucket's Deny lists both endpoint ids (read back from inside the VPC with `GetBucketPolicy`).
 *
 * Directory buckets live in one Availability Zone, named by its zone id: `use1-az4` is in us-east-1, where the integ
 * task runs (`--parallel-regions us-east-1`). Environment-agnostic otherwise.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3express from 'aws-cdk-lib/aws-s3express';
import { ExpressDirectoryBucket, S3EndpointIpAddressType, S3PrivateAccess } from '../lib';
import { expectRoundtrip } from './support/assertions';
import { S3ProbeFunction } from './support/probe-function';

const app = new App();
const stack = new Stack(app, 'S3paDualstackRemoteExpress');

/// !show
// a dual-stack VPC: every subnet has an IPv4 and an IPv6 range
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  ipProtocol: ec2.IpProtocol.DUAL_STACK,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
    { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ],
});

const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  /// !hide
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
  /// !show
});

// an S3 Express One Zone directory bucket, in one Availability Zone
const directory = new s3express.CfnDirectoryBucket(stack, 'Scratch', {
  dataRedundancy: 'SingleAvailabilityZone',
  locationName: 'use1-az4',
});

const access = new S3PrivateAccess(stack, 'S3Access', {
  vpc,
  buckets: [bucket],
  // the default for a dual-stack VPC, written here to show it
  ipAddressType: S3EndpointIpAddressType.DUALSTACK,
  // a com.amazonaws.<region>.s3express gateway endpoint on the same route tables
  directoryBuckets: [ExpressDirectoryBucket.fromCfnDirectoryBucket(directory)],
  // an S3 interface endpoint for the on-premises network; the bucket's Deny lists both endpoints
  remoteAccess: { cidrs: ['10.200.0.0/16'] },
});
/// !hide

const probe = new S3ProbeFunction(stack, 'Probe', { vpc, bucket });
access.grantReadWrite(probe.function, bucket, { prefix: 'dualstack/' });
access.grantExpressSession(probe.function);
probe.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketPolicy'], resources: [bucket.bucketArn] }));

const integ = new IntegTest(app, 'DualstackRemoteExpress', {
  testCases: [stack],
  stackUpdateWorkflow: true,
});

const routeTableIds = vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId);
integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [access.endpointId] })
  .expect(ExpectedResult.objectLike({
    VpcEndpoints: [Match.objectLike({
      VpcEndpointType: 'Gateway',
      IpAddressType: 'dualstack',
      State: Match.stringLikeRegexp('^[Aa]vailable$'),
      RouteTableIds: Match.arrayWith(routeTableIds),
    })],
  }));
integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [access.expressEndpoint!.vpcEndpointId] })
  .expect(ExpectedResult.objectLike({
    VpcEndpoints: [Match.objectLike({
      VpcEndpointType: 'Gateway',
      ServiceName: Match.stringLikeRegexp('\\.s3express$'),
      State: Match.stringLikeRegexp('^[Aa]vailable$'),
      RouteTableIds: Match.arrayWith(routeTableIds),
    })],
  }));
integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [access.interfaceEndpoint!.vpcEndpointId] })
  .expect(ExpectedResult.objectLike({
    VpcEndpoints: [Match.objectLike({
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      DnsOptions: Match.objectLike({ PrivateDnsOnlyForInboundResolverEndpoint: true }),
      State: Match.stringLikeRegexp('^[Aa]vailable$'),
    })],
  }));

expectRoundtrip(integ.assertions, probe.function, 'dualstack/integ.txt', 'through a dual-stack gateway endpoint');

integ.assertions
  .invokeFunction({ functionName: probe.function.functionName, payload: JSON.stringify({ action: 'statement', sid: 'DenyUnlessThroughVpcEndpoint' }) })
  .expect(ExpectedResult.objectLike({
    Payload: Match.serializedJson({
      ok: true,
      statement: Match.objectLike({
        Effect: 'Deny',
        Condition: Match.objectLike({ StringNotEquals: { 'aws:SourceVpce': access.endpointIds } }),
      }),
    }),
  }));
