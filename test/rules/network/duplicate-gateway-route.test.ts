import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { duplicateGatewayRoute } from '../../../lib/rules/network/duplicate-gateway-route';
import { envStack, findingsOf, summary } from '../../helpers/checks';

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

describe('S3PA-DuplicateGatewayRoute', () => {
  test('GIVEN two S3 gateway endpoints on one route table WHEN checked THEN an error names both endpoints and the table', () => {
    // GIVEN: a second endpoint (e.g. a second S3PrivateAccess) for the app tier, which the first one already serves
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addGatewayEndpoint('S3Again', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'app' }] });

    // WHEN
    const found = summary(findingsOf(stack, duplicateGatewayRoute));

    // THEN: one error per shared table (the two app-tier tables)
    expect(found).toEqual([
      { level: 'error', path: 'Stack/Vpc/appSubnet1/RouteTable', message: expect.any(String) },
      { level: 'error', path: 'Stack/Vpc/appSubnet2/RouteTable', message: expect.any(String) },
    ]);
    expect(found[0].message).toBe('S3 gateway endpoints Stack/Vpc/S3/Resource and Stack/Vpc/S3Again/Resource both name route '
      + 'table Stack/Vpc/appSubnet1/RouteTable: a table holds one route to the S3 prefix list, so the endpoint created second '
      + 'fails and the deployment rolls back');
  });

  test('GIVEN two S3 gateway endpoints on different route tables of one VPC WHEN checked THEN nothing is reported', () => {
    // GIVEN: the clean twin, each tier routed by its own endpoint
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'data' }] });
    vpc.addGatewayEndpoint('S3Again', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'app' }] });

    // WHEN / THEN
    expect(findingsOf(stack, duplicateGatewayRoute)).toEqual([]);
  });

  test('GIVEN an S3 and an s3express gateway endpoint on one table WHEN checked THEN nothing is reported (two prefix lists)', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addGatewayEndpoint('Express', { service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS });
    expect(findingsOf(stack, duplicateGatewayRoute)).toEqual([]);
  });

  test('GIVEN two L1 endpoints naming the same literal rtb id WHEN checked THEN an error names the id', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    for (const id of ['A', 'B']) {
      new ec2.CfnVPCEndpoint(stack, id, { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: ['rtb-0123456789abcdef0'] });
    }
    const found = summary(findingsOf(stack, duplicateGatewayRoute));
    expect(found).toEqual([{ level: 'error', path: 'Stack/B', message: expect.stringContaining('S3 gateway endpoints Stack/A and Stack/B both name route table rtb-0123456789abcdef0') }]);
  });

  test('GIVEN a second endpoint whose route table is a parameter WHEN checked THEN a cannot-judge warning, no error', () => {
    // GIVEN
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const table = new CfnParameter(stack, 'Table');
    new ec2.CfnVPCEndpoint(stack, 'Other', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: [table.valueAsString] });

    // WHEN
    const found = summary(findingsOf(stack, duplicateGatewayRoute));

    // THEN
    expect(found).toEqual([{
      level: 'warning',
      path: 'Stack/Other',
      message: 'cannot judge: whether route table Table (a parameter or a value not defined in the app) of S3 gateway endpoint '
        + 'Stack/Other is also a route table of S3 gateway endpoint Stack/Vpc/S3/Resource in the same VPC (if so, the endpoint '
        + 'created second fails)',
    }]);
  });
});
