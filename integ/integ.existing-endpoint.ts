/**
 * Scenario: the S3 gateway endpoint already exists (created by a network stack, with no route tables), and a workload
 * stack adopts it with `EndpointSource.fromExisting`. CloudFormation cannot add route tables to an endpoint it does
 * not manage in that stack, so the construct's custom resource calls `ec2:ModifyVpcEndpoint`.
 *
 * Proves on the deployed stacks:
 * - after the workload stack, the endpoint lists each isolated route table (`EC2.describeVpcEndpoints`
 *   `RouteTableIds`) and each table routes the S3 prefix list to it (`EC2.describeRouteTables`): the custom resource
 *   associated them, since the network stack gave the endpoint none;
 * - a function in the isolated subnets writes, reads and lists an object through the adopted endpoint.
 *
 * Not asserted: the removal on delete. Destroying the workload stack runs the custom resource's `onDelete`
 * (`RemoveRouteTableIds`, only NotFound errors ignored), so a failing removal fails the deploy run's destroy step; but
 * nothing checks the endpoint's route tables between the workload stack's deletion and the network stack's (which
 * deletes the endpoint, and its routes with it). integ-tests-alpha assertions run after deploy only; checking the
 * removal would take a `postDestroy` hook with credentials of its own, or a three-stack layout.
 *
 * Workflow choices: `stackUpdateWorkflow: true` (the default): the update run exercises the custom resource's
 * `onUpdate` (AddRouteTableIds again, idempotent) when its properties change between versions. Environment-agnostic.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointSource, S3PrivateAccess } from '../lib';
import { expectGatewayEndpoint, expectPrefixListRoutes, expectRoundtrip } from './support/assertions';
import { autoDeleteObjectsRoleArn } from './support/auto-delete-role';
import { S3ProbeFunction } from './support/probe-function';

const app = new App();

// the network stack: a VPC and a bare S3 gateway endpoint, associated with no route table
const network = new Stack(app, 'S3paExistingEndpointNetwork');
const vpc = new ec2.Vpc(network, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const bareEndpoint = new ec2.CfnVPCEndpoint(network, 'S3Endpoint', {
  vpcId: vpc.vpcId,
  serviceName: `com.amazonaws.${network.region}.s3`,
  vpcEndpointType: 'Gateway',
});

// the workload stack adopts it
const workload = new Stack(app, 'S3paExistingEndpointWorkload');
const bucket = new s3.Bucket(workload, 'Data', {
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(workload, 'ExistingS3Endpoint', bareEndpoint.ref);
const access = new S3PrivateAccess(workload, 'S3Access', {
  vpc,
  endpoint: EndpointSource.fromExisting(endpoint),
  buckets: [bucket],
  exemptPrincipalArns: [autoDeleteObjectsRoleArn(bucket)],
});
const probe = new S3ProbeFunction(workload, 'Probe', { bucket, vpc });
access.grantReadWrite(probe.function, bucket, { prefix: 'adopted/' });

const integ = new IntegTest(app, 'ExistingEndpoint', {
  testCases: [network, workload],
  stackUpdateWorkflow: true,
});

expectGatewayEndpoint(integ.assertions, { endpointId: access.endpointId, vpcId: vpc.vpcId, routeTableIds: access.routeTableIds });
expectPrefixListRoutes(integ.assertions, access.endpointId, access.routeTableIds);
expectRoundtrip(integ.assertions, probe.function, 'adopted/integ.txt', 'through an adopted endpoint');
