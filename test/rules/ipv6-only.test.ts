import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ipv6Only } from '../../lib/rules/ipv6-only';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc } from '../helpers/routing-fixtures';

/** A dual-stack L1 VPC with one subnet (IPv6-only or dual-stack) whose route table an S3 gateway endpoint serves. */
function v6Network(scope: Construct, opts: { ipv6Native: boolean; ipAddressType?: string }): ec2.CfnVPCEndpoint {
  const vpc = new ec2.CfnVPC(scope, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: true, enableDnsHostnames: true });
  const block = new ec2.CfnVPCCidrBlock(scope, 'V6Block', { vpcId: vpc.ref, amazonProvidedIpv6CidrBlock: true });
  const subnet = new ec2.CfnSubnet(scope, 'Subnet', {
    vpcId: vpc.ref,
    ipv6Native: opts.ipv6Native,
    cidrBlock: opts.ipv6Native ? undefined : '10.0.0.0/24',
    ipv6CidrBlock: '2001:db8:1234:1a00::/64',
    assignIpv6AddressOnCreation: true,
  });
  subnet.addDependency(block);
  const rt = new ec2.CfnRouteTable(scope, 'RouteTable', { vpcId: vpc.ref });
  new ec2.CfnSubnetRouteTableAssociation(scope, 'Assoc', { subnetId: subnet.ref, routeTableId: rt.ref });
  return new ec2.CfnVPCEndpoint(scope, 'S3', {
    vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: [rt.ref], ipAddressType: opts.ipAddressType,
  });
}

/** An instance in the subnet that uses S3 (its user data copies from a bucket). */
function s3Instance(scope: Construct): ec2.CfnInstance {
  const subnet = scope.node.findChild('Subnet') as ec2.CfnSubnet;
  return new ec2.CfnInstance(scope, 'Worker', {
    subnetId: subnet.ref,
    imageId: 'ami-0123456789abcdef0',
    userData: Fn.base64('#!/bin/bash\naws s3 cp s3://app-data/config.json /etc/app/'),
  });
}

describe('S3PA-Ipv6Only', () => {
  test('fires on an IPv6-only subnet served by an endpoint with IpAddressType unset, where a workload uses S3', () => {
    const stack = envStack();
    const ep = v6Network(stack, { ipv6Native: true });
    s3Instance(stack);

    expect(summary(findingsOf(stack, ipv6Only))).toEqual([{
      level: 'error', path: ep.node.path, message: expect.stringContaining('IpAddressType unset (ipv4) but its route tables serve the IPv6-only subnet Stack/Subnet: S3 requests of Stack/Worker there have no route'),
    }]);
  });

  test('fires on an explicit ipv4 endpoint', () => {
    const stack = envStack();
    const ep = v6Network(stack, { ipv6Native: true, ipAddressType: 'ipv4' });
    s3Instance(stack);

    expect(summary(findingsOf(stack, ipv6Only)).map(f => [f.level, f.path])).toEqual([['error', ep.node.path]]);
  });

  test('warns when no workload that uses S3 runs in the IPv6-only subnet', () => {
    const stack = envStack();
    const ep = v6Network(stack, { ipv6Native: true });

    expect(summary(findingsOf(stack, ipv6Only)).map(f => [f.level, f.path])).toEqual([['warning', ep.node.path]]);
  });

  test.each(['dualstack', 'ipv6'])('accepts an IPv6-only subnet behind an endpoint of IpAddressType %s (gateway endpoints support IPv6)', (type) => {
    const stack = envStack();
    v6Network(stack, { ipv6Native: true, ipAddressType: type });

    expect(findingsOf(stack, ipv6Only)).toEqual([]);
  });

  test('ignores dual-stack subnets and CDK VPCs', () => {
    const dual = envStack();
    v6Network(dual, { ipv6Native: false });
    const cdk = envStack();
    isolatedVpc(cdk).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

    expect(findingsOf(dual, ipv6Only)).toEqual([]);
    expect(findingsOf(cdk, ipv6Only)).toEqual([]);
  });

  test('cannot judge an IpAddressType given as a parameter', () => {
    const stack = envStack();
    const type = new CfnParameter(stack, 'EndpointIpType', { type: 'String' });
    const ep = v6Network(stack, { ipv6Native: true, ipAddressType: type.valueAsString });

    const findings = findingsOf(stack, ipv6Only);
    expect(summary(findings)).toEqual([{ level: 'warning', path: ep.node.path, message: expect.stringContaining('EndpointIpType') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });
});
