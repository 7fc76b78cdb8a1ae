import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { dnsSupport } from '../../lib/rules/dns-support';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc, vpcFunction } from '../helpers/routing-fixtures';

describe('S3PA-DnsSupport', () => {
  test('fires on an ec2.Vpc with DNS support turned off that holds an S3 endpoint', () => {
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

    // WHEN
    const findings = summary(findingsOf(stack, dnsSupport));

    // THEN
    expect(findings).toEqual([{ level: 'error', path: 'Stack/Vpc/Resource', message: expect.stringContaining('EnableDnsSupport false and EnableDnsHostnames false') }]);
  });

  test('fires on a raw CfnVPC without EnableDnsHostnames (CloudFormation default false)', () => {
    // GIVEN an L1 VPC and an S3 gateway endpoint in it
    const stack = envStack();
    const vpc = new ec2.CfnVPC(stack, 'RawVpc', { cidrBlock: '10.1.0.0/16' });
    new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3' });

    // THEN
    expect(summary(findingsOf(stack, dnsSupport))).toEqual([{
      level: 'error', path: 'Stack/RawVpc', message: expect.stringContaining('EnableDnsHostnames unset (false by default)'),
    }]);
  });

  test('fires on a VPC that holds a workload only', () => {
    // GIVEN a VPC without endpoints, with a Lambda function, and DNS hostnames off
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      enableDnsHostnames: false,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    expect(summary(findingsOf(stack, dnsSupport)).map(f => [f.level, f.path])).toEqual([['error', 'Stack/Vpc/Resource']]);
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
