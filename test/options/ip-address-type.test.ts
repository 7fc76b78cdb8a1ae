import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EndpointSource, S3EndpointIpAddressType, S3PrivateAccess } from '../../lib';
import { s3Ipv6Cidrs } from '../../lib/aws/s3-ranges';
import { agnosticStackAndApp, compliantVpc, dualStackVpc, envBoundStack, REGION } from '../helpers/s3pa-fixtures';


function endpointProps(stack: ec2.Vpc['stack']): Record<string, unknown> {
  const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
  return Object.values(endpoints).map((e: any) => e.Properties)[0];
}

describe('ipAddressType', () => {
  test('default on an IPv4 vpc: no IpAddressType written (AWS\'s ipv4 default)', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    expect(access.ipAddressType).toBe(S3EndpointIpAddressType.IPV4);
    expect(endpointProps(stack).IpAddressType).toBeUndefined();
  });

  test('default on a dual-stack vpc: dualstack, written through the L1 property', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    expect(access.ipAddressType).toBe(S3EndpointIpAddressType.DUALSTACK);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'dualstack' });
  });

  test('an explicit ipv4 on a dual-stack vpc is kept', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, ipAddressType: S3EndpointIpAddressType.IPV4 });
    // THEN
    expect(access.ipAddressType).toBe(S3EndpointIpAddressType.IPV4);
    expect(endpointProps(stack).IpAddressType).toBeUndefined();
  });

  test.each([S3EndpointIpAddressType.IPV6, S3EndpointIpAddressType.DUALSTACK])('%s on a vpc without IPv6 throws, naming the subnets', (type) => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN / THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, ipAddressType: type }))
      .toThrow(new RegExp(`ipAddressType is '${type}' but the selected subnets .* have no IPv6 range`));
  });

  test('ipv6 on dual-stack subnets throws: their IPv4 traffic would lose the endpoint', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    // WHEN / THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, ipAddressType: S3EndpointIpAddressType.IPV6 }))
      .toThrow(/also have IPv4 ranges/);
  });

  test('imported subnets are not judged: the requested type is written', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, ipAddressType: S3EndpointIpAddressType.IPV6 });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { IpAddressType: 'ipv6' });
  });

  test('dualstack: security groups get TCP 443 egress to each S3 IPv6 CIDR of the region', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false, allowAllIpv6Outbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, securityGroups: [sg] });
    // THEN
    const cidrs = s3Ipv6Cidrs(REGION)!;
    expect(cidrs.length).toBeGreaterThan(0);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: Match.arrayWith(cidrs.map((cidr) => Match.objectLike({ CidrIpv6: cidr, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }))),
    });
  });

  test('dualstack in an env-agnostic stack: no IPv6 egress, and a warning that says why', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    const vpc = dualStackVpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false, allowAllIpv6Outbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, securityGroups: [sg] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp('IPv6 ranges of the region are not known at synth time'));
    const groups = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    expect(JSON.stringify(groups)).not.toContain('CidrIpv6');
  });

  test('dualstack: network acls get IPv6 entries after the IPv4 ones, both directions', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // THEN
    const entries = access.networkAclEntries!;
    expect(entries.ipv6Cidrs).toEqual(s3Ipv6Cidrs(REGION));
    expect(entries.ipv6RuleNumbers[0]).toBe(entries.ruleNumbers[entries.ruleNumbers.length - 1] + 1);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      Ipv6CidrBlock: entries.ipv6Cidrs[0], Egress: true, RuleNumber: entries.ipv6RuleNumbers[0], PortRange: { From: 443, To: 443 },
    });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      Ipv6CidrBlock: entries.ipv6Cidrs[0], Egress: false, RuleNumber: entries.ipv6RuleNumbers[0], PortRange: { From: 1024, To: 65535 },
    });
  });

  test('ipv4: no IPv6 entries', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // THEN
    expect(access.networkAclEntries!.ipv6Cidrs).toEqual([]);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry'))).not.toContain('Ipv6CidrBlock');
  });

  test('an adopted endpoint keeps its type, with a warning when another was asked for', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, endpoint: EndpointSource.fromExisting(existing), ipAddressType: S3EndpointIpAddressType.DUALSTACK });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp('ipAddressType \'dualstack\' is not applied'));
  });
});
