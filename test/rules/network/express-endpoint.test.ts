import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3express from 'aws-cdk-lib/aws-s3express';
import { expressEndpoint } from '../../../lib/rules/network/express-endpoint';
import { envStack, findingsOf, summary } from '../../helpers/checks';

function app(stack: Stack, opts: { grant: boolean; expressEndpoint: boolean }) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  if (opts.expressEndpoint) vpc.addGatewayEndpoint('S3Express', { service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS });
  const bucket = new s3express.CfnDirectoryBucket(stack, 'Fast', {
    bucketName: 'fast--euw1-az1--x-s3', dataRedundancy: 'SingleAvailabilityZone', locationName: 'euw1-az1',
  });
  const fn = new lambda.Function(stack, 'Fn', {
    vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  if (opts.grant) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3express:CreateSession'], resources: [bucket.attrArn] }));
  return { vpc, fn };
}

describe('S3PA-ExpressEndpoint', () => {
  test('fires when a workload granted on a directory bucket has no s3express endpoint in its VPC', () => {
    // GIVEN
    const stack = envStack();
    app(stack, { grant: true, expressEndpoint: false });

    // WHEN
    const findings = summary(findingsOf(stack, expressEndpoint));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Fn/Resource' })]);
    expect(findings[0].message).toContain('uses directory bucket Stack/Fast from subnet Stack/Vpc/PrivateSubnet1/Subnet, but VPC Stack/Vpc/Resource has no com.amazonaws.<region>.s3express gateway endpoint');
  });

  test('is quiet with an s3express gateway endpoint on the workload route table', () => {
    // GIVEN
    const stack = envStack();
    app(stack, { grant: true, expressEndpoint: true });

    // WHEN / THEN
    expect(findingsOf(stack, expressEndpoint)).toEqual([]);
  });

  test('is quiet for a workload not granted on the directory bucket', () => {
    // GIVEN: the S3 endpoint suffices for a workload that never opens an S3 Express session
    const stack = envStack();
    app(stack, { grant: false, expressEndpoint: false });

    // WHEN / THEN
    expect(findingsOf(stack, expressEndpoint)).toEqual([]);
  });

  test('cannot judge an endpoint whose service name is a parameter', () => {
    // GIVEN
    const stack = envStack();
    const { vpc } = app(stack, { grant: true, expressEndpoint: false });
    const service = new CfnParameter(stack, 'ServiceName');
    new ec2.CfnVPCEndpoint(stack, 'Other', {
      vpcId: vpc.vpcId, serviceName: service.valueAsString, routeTableIds: vpc.isolatedSubnets.map(s => s.routeTable.routeTableId),
    });

    // WHEN
    const findings = summary(findingsOf(stack, expressEndpoint));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Fn/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether endpoint Stack\/Other of VPC Stack\/Vpc\/Resource serves s3express/);
  });
});
