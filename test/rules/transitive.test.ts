import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { transitive } from '../../lib/rules/transitive';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, isolatedVpc, pathOf, threeTierVpc, vpcFunction } from '../helpers/routing-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

/** A hub VPC holding the app's S3 gateway endpoint, and a spoke VPC without one, joined by a transit gateway. */
function hubAndSpoke(scope: Construct): { hub: ec2.Vpc; spoke: ec2.Vpc; tgw: ec2.CfnTransitGateway } {
  const hub = threeTierVpc(scope, 'Hub');
  hub.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const spoke = new ec2.Vpc(scope, 'Spoke', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const tgw = new ec2.CfnTransitGateway(scope, 'Tgw', {});
  for (const [id, vpc] of [['HubAttach', hub], ['SpokeAttach', spoke]] as const) {
    new ec2.CfnTransitGatewayVpcAttachment(scope, id, {
      transitGatewayId: tgw.ref, vpcId: vpc.vpcId, subnetIds: vpc.isolatedSubnets.map(s => s.subnetId),
    });
  }
  return { hub, spoke, tgw };
}

function defaultRoute(scope: Construct, id: string, vpc: ec2.Vpc, target: Partial<ec2.CfnRouteProps>): ec2.CfnRoute {
  return new ec2.CfnRoute(scope, id, {
    routeTableId: vpc.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', ...target,
  });
}

describe('S3PA-Transitive', () => {
  test('fires on a spoke workload that reaches S3 only through a transit gateway to the hub endpoint', () => {
    // GIVEN
    const stack = envStack();
    const { spoke, tgw } = hubAndSpoke(stack);
    defaultRoute(stack, 'SpokeDefault', spoke, { transitGatewayId: tgw.ref });
    const fn = vpcFunction(stack, spoke, ISOLATED);

    // WHEN
    const findings = summary(findingsOf(stack, transitive));

    // THEN
    expect(findings).toEqual([{ level: 'error', path: pathOf(fn), message: expect.stringContaining('to transit-gateway Stack/Tgw') }]);
    expect(findings[0].message).toContain('subnet Stack/Spoke/appSubnet1/Subnet of VPC Stack/Spoke/Resource, which has no S3 endpoint');
    expect(findings[0].message).toContain('S3 gateway endpoint Stack/Hub/S3/Resource of another VPC');
  });

  test('fires through a peering connection too', () => {
    const stack = envStack();
    const { hub, spoke } = hubAndSpoke(stack);
    const pcx = new ec2.CfnVPCPeeringConnection(stack, 'Peering', { vpcId: spoke.vpcId, peerVpcId: hub.vpcId });
    defaultRoute(stack, 'SpokeDefault', spoke, { vpcPeeringConnectionId: pcx.ref });
    const svc = fargateService(stack, spoke, ISOLATED);

    expect(summary(findingsOf(stack, transitive))).toEqual([{ level: 'error', path: pathOf(svc), message: expect.stringContaining('vpc-peering Stack/Peering') }]);
  });

  test('fires on an S3-range route to the transit gateway that beats a NAT default route', () => {
    // GIVEN a spoke with a NAT default route, and 52.218.0.0/17 (S3 in eu-west-1) to the transit gateway
    const stack = envStack();
    const hub = threeTierVpc(stack, 'Hub');
    hub.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const spoke = threeTierVpc(stack, 'Spoke', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16') });
    new ec2.CfnRoute(stack, 'S3ViaTgw', {
      routeTableId: spoke.privateSubnets[0].routeTable.routeTableId, destinationCidrBlock: '52.218.0.0/17', transitGatewayId: 'tgw-0123456789abcdef0',
    });
    const fn = vpcFunction(stack, spoke, { subnets: [spoke.privateSubnets[0]] });

    expect(summary(findingsOf(stack, transitive))).toEqual([{ level: 'error', path: pathOf(fn), message: expect.stringContaining('52.218.0.0/17') }]);
  });

  test('warns when the hub also has an S3 interface endpoint', () => {
    const stack = envStack();
    const { hub, spoke, tgw } = hubAndSpoke(stack);
    hub.addInterfaceEndpoint('S3If', { service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsEnabled: false });
    defaultRoute(stack, 'SpokeDefault', spoke, { transitGatewayId: tgw.ref });
    const fn = vpcFunction(stack, spoke, ISOLATED);

    expect(summary(findingsOf(stack, transitive))).toEqual([{ level: 'warning', path: pathOf(fn), message: expect.stringContaining('S3 interface endpoint Stack/Hub/S3If/Resource') }]);
  });

  test('says nothing on a default route to on-premises when no VPC of the app has an S3 endpoint', () => {
    // GIVEN one VPC, no endpoint anywhere, default route to a VPN gateway: the other network decides
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const vgw = new ec2.CfnVPNGateway(stack, 'Vgw', { type: 'ipsec.1' });
    const attach = new ec2.CfnVPCGatewayAttachment(stack, 'VgwAttach', { vpcId: vpc.vpcId, vpnGatewayId: vgw.ref });
    defaultRoute(stack, 'ToOnPrem', vpc, { gatewayId: vgw.ref }).addDependency(attach);
    vpcFunction(stack, vpc, ISOLATED);

    expect(findingsOf(stack, transitive)).toEqual([]);
  });

  test('warns on a default route to on-premises when another VPC of the app holds the S3 endpoint', () => {
    // GIVEN the same VPN spoke beside a VPC with an S3 gateway endpoint
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    isolatedVpc(stack, 'Hub').addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const vgw = new ec2.CfnVPNGateway(stack, 'Vgw', { type: 'ipsec.1' });
    const attach = new ec2.CfnVPCGatewayAttachment(stack, 'VgwAttach', { vpcId: vpc.vpcId, vpnGatewayId: vgw.ref });
    defaultRoute(stack, 'ToOnPrem', vpc, { gatewayId: vgw.ref }).addDependency(attach);
    const fn = vpcFunction(stack, vpc, ISOLATED);

    expect(summary(findingsOf(stack, transitive))).toEqual([{ level: 'warning', path: pathOf(fn), message: expect.stringContaining('to vpn-gateway Stack/Vgw, on-premises') }]);
  });

  test('reports nothing when the spoke has its own S3 gateway endpoint', () => {
    const stack = envStack();
    const { spoke, tgw } = hubAndSpoke(stack);
    spoke.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    defaultRoute(stack, 'SpokeDefault', spoke, { transitGatewayId: tgw.ref });
    vpcFunction(stack, spoke, ISOLATED);

    expect(findingsOf(stack, transitive)).toEqual([]);
  });

  test('reports nothing when only private ranges go to the transit gateway', () => {
    const stack = envStack();
    const { spoke, tgw } = hubAndSpoke(stack);
    new ec2.CfnRoute(stack, 'ToCorp', {
      routeTableId: spoke.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.0.0.0/8', transitGatewayId: tgw.ref,
    });
    vpcFunction(stack, spoke, ISOLATED);

    expect(findingsOf(stack, transitive)).toEqual([]);
  });

  test('reports nothing for a transit gateway when no VPC of the app holds an S3 endpoint', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    defaultRoute(stack, 'ToTgw', vpc, { transitGatewayId: 'tgw-0123456789abcdef0' });
    vpcFunction(stack, vpc, ISOLATED);

    expect(findingsOf(stack, transitive)).toEqual([]);
  });

  test('cannot judge a public route to a transit gateway in an env-agnostic stack', () => {
    // GIVEN a NAT default route and a public block to the transit gateway, region unknown
    const stack = agnosticStack();
    const hub = threeTierVpc(stack, 'Hub');
    hub.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const spoke = threeTierVpc(stack, 'Spoke', { ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16') });
    new ec2.CfnRoute(stack, 'Partner', {
      routeTableId: spoke.privateSubnets[0].routeTable.routeTableId, destinationCidrBlock: '52.218.0.0/17', transitGatewayId: 'tgw-0123456789abcdef0',
    });
    const fn = vpcFunction(stack, spoke, { subnets: [spoke.privateSubnets[0]] });

    // THEN
    const findings = findingsOf(stack, transitive);
    expect(summary(findings)).toEqual([{ level: 'warning', path: pathOf(fn), message: expect.stringContaining('the region is unknown') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });
});
