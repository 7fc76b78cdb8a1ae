import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { dnsSupport } from '../../lib/rules/dns-support';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc, vpcFunction } from '../helpers/routing-fixtures';

describe('S3PA-DnsSupport', () => {
  test('fires on DNS support turned off in a VPC where a workload uses S3', () => {
    // GIVEN
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      enableDnsSupport: false,
      enableDnsHostnames: false,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const fn = vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    // WHEN
    const findings = summary(findingsOf(stack, dnsSupport));

    // THEN
    expect(findings).toEqual([{ level: 'error', path: 'Stack/Vpc/Resource', message: expect.stringContaining('EnableDnsSupport false') }]);
    expect(findings[0].message).toContain(fn.node.path);
  });

  test('warns on DNS support turned off in a VPC that holds only an S3 endpoint', () => {
    const stack = envStack();
    const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.1.0.0/16', enableDnsSupport: false });
    new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3' });

    expect(summary(findingsOf(stack, dnsSupport)).map(f => [f.level, f.path])).toEqual([['warning', 'Stack/RawVpc']]);
  });

  test('says nothing about DNS hostnames off when the VPC has only gateway endpoints (they need no DNS hostnames)', () => {
    // GIVEN an L1 VPC (EnableDnsHostnames unset: false), an S3 gateway endpoint and a workload
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      enableDnsHostnames: false,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    expect(findingsOf(stack, dnsSupport)).toEqual([]);
  });

  test('fires on DNS hostnames off in a VPC with an interface endpoint that enables private DNS: the deployment fails', () => {
    // GIVEN the twin of the test above, plus an ECR interface endpoint with private DNS (CDK's default)
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      enableDnsHostnames: false,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addInterfaceEndpoint('Ecr', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
    vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    // THEN
    const findings = summary(findingsOf(stack, dnsSupport));
    expect(findings).toEqual([{ level: 'error', path: 'Stack/Vpc/Resource', message: expect.stringContaining('EnableDnsHostnames false, but interface endpoint Stack/Vpc/Ecr/Resource enables private DNS') }]);
  });

  test('reports nothing for CDK\'s Vpc defaults', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    expect(findingsOf(stack, dnsSupport)).toEqual([]);
  });

  test('ignores VPCs with neither an S3 endpoint nor a workload', () => {
    const stack = envStack();
    new ec2.CfnVPC(stack, 'Unrelated', { cidrBlock: '10.9.0.0/16', enableDnsSupport: false });

    expect(findingsOf(stack, dnsSupport)).toEqual([]);
  });

  test('cannot judge DNS attributes given as parameters', () => {
    // GIVEN
    const stack = envStack();
    const dns = new CfnParameter(stack, 'Dns', { type: 'String', allowedValues: ['true', 'false'] });
    const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.1.0.0/16', enableDnsSupport: dns.value, enableDnsHostnames: true });
    new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3' });

    // THEN
    const findings = findingsOf(stack, dnsSupport);
    expect(summary(findings)).toEqual([{ level: 'warning', path: 'Stack/RawVpc', message: expect.stringContaining('EnableDnsSupport of VPC Stack/RawVpc') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });
});
