import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GatewayEndpointRouteTableAssociation } from '../../lib';
import { envBoundStack } from '../helpers/s3pa-fixtures';

describe('GatewayEndpointRouteTableAssociation', () => {
  test('one custom resource per route table', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
    // WHEN
    const association = new GatewayEndpointRouteTableAssociation(stack, 'A', {
      endpoint, routeTableIds: ['rtb-0000000000000000a', 'rtb-0000000000000000b', 'rtb-0000000000000000c'],
    });
    // THEN
    Template.fromStack(stack).resourceCountIs('Custom::S3GatewayEndpointRouteTable', 3);
    expect(association.routeTableIds).toEqual(['rtb-0000000000000000a', 'rtb-0000000000000000b', 'rtb-0000000000000000c']);
  });

  test('a route table keeps its association resource when others are added or reordered', () => {
    // GIVEN two versions of the list: b alone, then a, c and b
    const idsFor = (routeTableIds: string[]) => {
      const { stack } = envBoundStack();
      const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
      new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds });
      const resources = Template.fromStack(stack).findResources('Custom::S3GatewayEndpointRouteTable');
      return Object.fromEntries(Object.entries(resources).map(([id, r]) =>
        [/rtb-[0-9a-f]+/.exec(JSON.stringify(r.Properties.Create))![0], id]));
    };
    // WHEN
    const before = idsFor(['rtb-0000000000000000b']);
    const after = idsFor(['rtb-0000000000000000a', 'rtb-0000000000000000c', 'rtb-0000000000000000b']);
    // THEN b's custom resource is the same resource: CloudFormation neither replaces nor removes its association
    expect(after['rtb-0000000000000000b']).toEqual(before['rtb-0000000000000000b']);
  });

  test('on delete, an endpoint or route table that is already gone is ignored, in either spelling of the route-table code', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
    // WHEN
    new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds: ['rtb-0000000000000000a'] });
    // THEN the Delete call ignores exactly the "not found" codes, as AwsCustomResource matches them against the error name
    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::S3GatewayEndpointRouteTable')) as any[];
    const ignored = new RegExp(JSON.parse(resource.Properties.Delete).ignoreErrorCodesMatching);
    const codes = ['InvalidVpcEndpointId.NotFound', 'InvalidRouteTableId.NotFound', 'InvalidRouteTableID.NotFound',
      'InvalidRouteTableId.Malformed', 'UnauthorizedOperation', 'XInvalidRouteTableID.NotFound'];
    expect(codes.filter((code) => ignored.test(code))).toEqual(codes.slice(0, 3));
    // and create and update fail on every error
    expect(JSON.parse(resource.Properties.Create).ignoreErrorCodesMatching).toBeUndefined();
  });

  test('route tables from a token are accepted', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
    // WHEN
    new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds: [vpc.isolatedSubnets[0].routeTable.routeTableId] });
    // THEN
    Template.fromStack(stack).resourceCountIs('Custom::S3GatewayEndpointRouteTable', 1);
  });

  test('an empty route-table list throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
    // THEN
    expect(() => new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds: [] }))
      .toThrow(/^routeTableIds is empty: pass at least one route-table id/);
  });

  test('a value that is not a route-table id throws and shows it', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0');
    // THEN
    expect(() => new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds: ['subnet-0123'] }))
      .toThrow(/^routeTableIds contains 'subnet-0123', which is not a route-table id/);
  });

  test('an endpoint id that is not a vpce id throws and shows it', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpc-0123456789abcdef0');
    // THEN
    expect(() => new GatewayEndpointRouteTableAssociation(stack, 'A', { endpoint, routeTableIds: ['rtb-0000000000000000a'] }))
      .toThrow(/^endpoint has id 'vpc-0123456789abcdef0', which is not a vpc endpoint id/);
  });
});
