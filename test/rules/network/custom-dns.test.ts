import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { customDns } from '../../../lib/rules/network/custom-dns';
import { envStack, findingsOf, summary } from '../../helpers/checks';
import { isolatedVpc } from '../../helpers/routing-fixtures';

/** An isolated VPC with an S3 gateway endpoint, associated with a DHCP options set of the given servers. */
function vpcWithDhcp(scope: Construct, servers: string[]): { vpc: ec2.Vpc; options: ec2.CfnDHCPOptions } {
  const vpc = isolatedVpc(scope);
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const options = new ec2.CfnDHCPOptions(scope, 'Dhcp', { domainName: 'corp.example.com', domainNameServers: servers });
  new ec2.CfnVPCDHCPOptionsAssociation(scope, 'DhcpAssoc', { vpcId: vpc.vpcId, dhcpOptionsId: options.ref });
  return { vpc, options };
}

describe('S3PA-CustomDns', () => {
  test('warns on custom name servers on a VPC with an S3 endpoint', () => {
    // GIVEN
    const stack = envStack();
    const { options } = vpcWithDhcp(stack, ['10.50.0.10', 'AmazonProvidedDNS']);

    // WHEN
    const findings = findingsOf(stack, customDns);

    // THEN
    expect(summary(findings)).toEqual([{
      level: 'warning',
      path: options.node.path,
      message: expect.stringContaining('associated with VPC Stack/Vpc/Resource, sets custom DomainNameServers 10.50.0.10'),
    }]);
    expect(findings[0].cannotJudge).toBeUndefined();
    expect(findings[0].ruleId).toBe('S3PA-CustomDns');
  });

  test('accepts AmazonProvidedDNS and the Amazon resolver addresses', () => {
    // GIVEN the VPC's base+2 address (10.0.0.2 for CDK's default 10.0.0.0/16) and the link-local resolver
    const stack = envStack();
    vpcWithDhcp(stack, ['AmazonProvidedDNS', '10.0.0.2', '169.254.169.253']);

    expect(findingsOf(stack, customDns)).toEqual([]);
  });

  test('ignores a VPC with neither an S3 endpoint nor a workload', () => {
    const stack = envStack();
    const vpc = new ec2.CfnVPC(stack, 'Unrelated', { cidrBlock: '10.9.0.0/16' });
    const options = new ec2.CfnDHCPOptions(stack, 'Dhcp', { domainNameServers: ['10.9.0.10'] });
    new ec2.CfnVPCDHCPOptionsAssociation(stack, 'DhcpAssoc', { vpcId: vpc.ref, dhcpOptionsId: options.ref });

    expect(findingsOf(stack, customDns)).toEqual([]);
  });

  test('cannot judge name servers given as parameters', () => {
    // GIVEN
    const stack = envStack();
    const server = new CfnParameter(stack, 'DnsServer', { type: 'String' });
    const { options } = vpcWithDhcp(stack, [server.valueAsString]);

    // THEN
    const findings = findingsOf(stack, customDns);
    expect(summary(findings)).toEqual([{ level: 'warning', path: options.node.path, message: expect.stringContaining('DnsServer') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });
});
