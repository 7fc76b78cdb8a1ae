import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { routeOverride } from '../../lib/rules/route-override';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { threeTierVpc, vpcFunction } from '../helpers/routing-fixtures';

const PRIVATE = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

/** A VPC whose S3 gateway endpoint serves the private-with-egress tier only. */
function vpcWithEndpoint(scope: Construct, ipAddressType?: string): ec2.Vpc {
  const vpc = threeTierVpc(scope);
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
  // the L2 gateway endpoint has no ipAddressType prop yet: set it on the L1
  if (ipAddressType) (endpoint.node.defaultChild as ec2.CfnVPCEndpoint).ipAddressType = ipAddressType;
  return vpc;
}

function routeOn(scope: Construct, id: string, subnet: ec2.ISubnet, props: Partial<ec2.CfnRouteProps>): ec2.CfnRoute {
  return new ec2.CfnRoute(scope, id, { routeTableId: subnet.routeTable.routeTableId, ...props });
}

describe('S3PA-RouteOverride', () => {
  test('fails when the detour breaks a workload: its bucket denies requests not through the endpoint', () => {
    // GIVEN a function on the associated tier, granted on a bucket that requires the endpoint, and a route that takes
    // part of S3's ranges to a transit gateway
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    const fn = vpcFunction(stack, vpc, PRIVATE);
    const bucket = new s3.Bucket(stack, 'Data');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
    }));
    bucket.grantRead(fn);
    const route = routeOn(stack, 'Inspect', vpc.privateSubnets[0], {
      destinationCidrBlock: '52.218.0.0/24', transitGatewayId: 'tgw-0123456789abcdef0',
    });

    // WHEN
    const findings = summary(findingsOf(stack, routeOverride));

    // THEN
    expect(findings).toEqual([{ level: 'error', path: route.node.path, message: expect.stringMatching(/sends 52.218.0.0\/24 to transit-gateway .* denies them \(403\)$/) }]);
  });

  test('warns on a route more specific than an S3 range on an associated route table', () => {
    // GIVEN 52.218.0.0/24 (inside eu-west-1's 52.218.0.0/17) to a transit gateway
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    const route = routeOn(stack, 'Inspect', vpc.privateSubnets[0], {
      destinationCidrBlock: '52.218.0.0/24', transitGatewayId: 'tgw-0123456789abcdef0',
    });

    // WHEN
    const findings = summary(findingsOf(stack, routeOverride));

    // THEN
    expect(findings).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining('sends 52.218.0.0/24 to transit-gateway tgw-0123456789abcdef0') }]);
    expect(findings[0].message).toContain('S3 range 52.218.0.0/17 of eu-west-1');
    expect(findings[0].message).toContain('route table Stack/Vpc/appSubnet1/RouteTable');
    expect(findings[0].message).toContain('S3 gateway endpoint Stack/Vpc/S3/Resource');
  });

  test('warns on a route exactly as specific as an S3 range', () => {
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    const nat = vpc.publicSubnets[0].node.findChild('NATGateway') as ec2.CfnNatGateway;
    const route = routeOn(stack, 'Same', vpc.privateSubnets[1], { destinationCidrBlock: '52.92.0.0/17', natGatewayId: nat.ref });

    const findings = summary(findingsOf(stack, routeOverride));

    expect(findings).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining(`nat-gateway ${nat.node.path}`) }]);
  });

  test('does not fire on the default route: the prefix-list route wins over 0.0.0.0/0', () => {
    // GIVEN the NAT default routes CDK writes on the associated tables
    const stack = envStack();
    vpcWithEndpoint(stack);

    // THEN
    expect(findingsOf(stack, routeOverride)).toEqual([]);
  });

  test('does not fire on a route broader than the S3 ranges, nor on private destinations', () => {
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    routeOn(stack, 'Broad', vpc.privateSubnets[0], { destinationCidrBlock: '52.0.0.0/8', transitGatewayId: 'tgw-0123456789abcdef0' });
    routeOn(stack, 'Peer', vpc.privateSubnets[0], { destinationCidrBlock: '10.20.0.0/16', vpcPeeringConnectionId: 'pcx-0123456789abcdef0' });

    expect(findingsOf(stack, routeOverride)).toEqual([]);
  });

  test('does not fire on a route table the endpoint does not serve', () => {
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    routeOn(stack, 'Iso', vpc.isolatedSubnets[0], { destinationCidrBlock: '52.218.0.0/24', transitGatewayId: 'tgw-0123456789abcdef0' });

    expect(findingsOf(stack, routeOverride)).toEqual([]);
  });

  test('warns on a customer-managed prefix list with an S3 entry', () => {
    // GIVEN
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    const list = new ec2.CfnPrefixList(stack, 'Inspected', {
      addressFamily: 'IPv4',
      maxEntries: 2,
      prefixListName: 'inspected',
      entries: [{ cidr: '198.51.100.0/24' }, { cidr: '3.5.64.0/21' }],
    });
    const route = routeOn(stack, 'ToFirewall', vpc.privateSubnets[0], {
      destinationPrefixListId: list.attrPrefixListId, vpcEndpointId: 'vpce-0123456789abcdef0',
    });

    // THEN
    const findings = summary(findingsOf(stack, routeOverride));
    expect(findings).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining('entry 3.5.64.0/21 of prefix list Stack/Inspected') }]);
  });

  test('does not fire on a customer-managed prefix list without S3 entries', () => {
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    const list = new ec2.CfnPrefixList(stack, 'Partners', {
      addressFamily: 'IPv4', maxEntries: 1, prefixListName: 'partners', entries: [{ cidr: '198.51.100.0/24' }],
    });
    routeOn(stack, 'ToPartners', vpc.privateSubnets[0], { destinationPrefixListId: list.attrPrefixListId, transitGatewayId: 'tgw-0123456789abcdef0' });

    expect(findingsOf(stack, routeOverride)).toEqual([]);
  });

  test('judges IPv6 routes only for dualstack endpoints', () => {
    // GIVEN the same IPv6 S3 route on a table of an ipv4 endpoint and of a dualstack endpoint
    const v4 = envStack();
    const v4Vpc = vpcWithEndpoint(v4);
    routeOn(v4, 'V6', v4Vpc.privateSubnets[0], { destinationIpv6CidrBlock: '2a05:d050:8000::/48', transitGatewayId: 'tgw-0123456789abcdef0' });
    const dual = envStack();
    const dualVpc = vpcWithEndpoint(dual, 'dualstack');
    const route = routeOn(dual, 'V6', dualVpc.privateSubnets[0], { destinationIpv6CidrBlock: '2a05:d050:8000::/48', transitGatewayId: 'tgw-0123456789abcdef0' });

    // THEN
    expect(findingsOf(v4, routeOverride)).toEqual([]);
    expect(summary(findingsOf(dual, routeOverride))).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining('2a05:d050:8000::/40') }]);
  });

  test('cannot judge a public route in an env-agnostic stack', () => {
    // GIVEN
    const stack = agnosticStack();
    const vpc = vpcWithEndpoint(stack);
    const route = routeOn(stack, 'Inspect', vpc.privateSubnets[0], { destinationCidrBlock: '52.218.0.0/24', transitGatewayId: 'tgw-0123456789abcdef0' });

    // THEN
    const findings = findingsOf(stack, routeOverride);
    expect(summary(findings)).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining('the region is unknown') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });

  test('cannot judge a prefix list that is not defined in the app', () => {
    const stack = envStack();
    const vpc = vpcWithEndpoint(stack);
    const route = routeOn(stack, 'ToList', vpc.privateSubnets[0], { destinationPrefixListId: 'pl-0123456789abcdef0', transitGatewayId: 'tgw-0123456789abcdef0' });

    expect(summary(findingsOf(stack, routeOverride))).toEqual([{ level: 'warning', path: route.node.path, message: expect.stringContaining('pl-0123456789abcdef0 (not defined in the app)') }]);
  });

  test('keeps routes of an isolated-only endpoint quiet when nothing overlaps', () => {
    // GIVEN an endpoint on the isolated tier, whose tables carry no routes but local
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });

    expect(findingsOf(stack, routeOverride)).toEqual([]);
  });
});
