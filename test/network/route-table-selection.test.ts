import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { S3PrivateAccess } from '../../lib';
import { compliantVpc, envBoundStack } from '../helpers/s3pa-fixtures';

function endpointRouteTables(stack: ReturnType<typeof envBoundStack>['stack']): unknown[] {
  const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
  const [endpoint] = Object.values(endpoints) as Array<{ Properties: { RouteTableIds: unknown[] } }>;
  return endpoint.Properties.RouteTableIds;
}

function refsOf(stack: ReturnType<typeof envBoundStack>['stack'], subnets: ec2.ISubnet[]): unknown[] {
  return subnets.map((s) => stack.resolve(s.routeTable.routeTableId));
}

describe('route tables of the S3 gateway endpoint', () => {
  test('default: exactly the private-with-egress and isolated route tables, no public one', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    const tables = endpointRouteTables(stack);
    expect(tables).toHaveLength(4);
    expect(tables).toEqual(expect.arrayContaining(refsOf(stack, [...vpc.privateSubnets, ...vpc.isolatedSubnets])));
    for (const pub of refsOf(stack, vpc.publicSubnets)) {
      expect(tables).not.toContainEqual(pub);
    }
  });

  test('a selection of isolated subnets routes only their route tables', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    // THEN
    expect(endpointRouteTables(stack)).toEqual(refsOf(stack, vpc.isolatedSubnets));
  });

  test('overlapping selections give each route table once', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc,
      subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { subnets: [vpc.isolatedSubnets[0]] }],
    });
    // THEN
    expect(endpointRouteTables(stack)).toEqual(refsOf(stack, vpc.isolatedSubnets));
  });

  test('selecting subnetType PUBLIC throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetType: ec2.SubnetType.PUBLIC }] }))
      .toThrow(/^subnets selects subnetType PUBLIC: .*select PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets$/);
  });

  test('selecting a public subnet explicitly throws and names it', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnets: [vpc.publicSubnets[0]] }] }))
      .toThrow(/^subnets selects public subnets \(Stack\/Vpc\/PublicSubnet1\)/);
  });

  test('a vpc with public subnets only throws: no route table selected', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack, 'Vpc', [ec2.SubnetType.PUBLIC]);
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc }))
      .toThrow(/^no route table selected: the vpc Stack\/Vpc has no private or isolated subnets in the selection; select/);
  });

  test('an imported vpc without route-table ids throws: no route table selected', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc }))
      .toThrow(/^no route table selected: no route table is known for subnets subnet-0123456789abcdef0; .*isolatedSubnetRouteTableIds/);
  });

  test('an imported vpc with route-table ids routes them, and warns about a subnet without one', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    const stray = ec2.Subnet.fromSubnetId(stack, 'Stray', 'subnet-0fedcba9876543210');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnets: [vpc.isolatedSubnets[0], stray] }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { RouteTableIds: ['rtb-0123456789abcdef0'] });
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp('no route table is known for subnets subnet-0fedcba9876543210'));
  });

  test('no warning when every selected subnet has a route table', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('/Stack/S3', Match.stringLikeRegexp('routeTableUnknown'));
  });
});
