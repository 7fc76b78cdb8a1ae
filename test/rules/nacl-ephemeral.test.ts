import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { naclEphemeral } from '../../lib/rules/nacl-ephemeral';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc, vpcFunction } from '../helpers/net-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

function aclWithInbound(stack: Stack, vpc: ec2.IVpc, cidr: ec2.AclCidr, traffic: ec2.AclTraffic): ec2.NetworkAcl {
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: ISOLATED });
  acl.addEntry('Return', { ruleNumber: 100, cidr, traffic, direction: ec2.TrafficDirection.INGRESS });
  return acl;
}

/** An Amazon Linux instance that uses S3: its user data copies its configuration from a bucket. */
function instance(stack: Stack, vpc: ec2.IVpc): ec2.Instance {
  const host = new ec2.Instance(stack, 'Host', {
    vpc, vpcSubnets: ISOLATED, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  host.userData.addCommands('aws s3 cp s3://app-config/app.json /etc/app.json');
  return host;
}

describe('S3PA-NaclEphemeral', () => {
  test('fires for a Lambda function when inbound allows only the EC2 range 32768-61000', () => {
    // GIVEN a Lambda behind an ACL sized for EC2
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    aclWithInbound(stack, vpc, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPortRange(32768, 61000));
    vpcFunction(stack, vpc);

    // WHEN
    const findings = summary(findingsOf(stack, naclEphemeral));

    // THEN
    expect(findings).toEqual([{
      level: 'error',
      path: 'Stack/Acl/Resource',
      message: expect.stringContaining('does not allow inbound TCP 1024-65535 (ephemeral return ports of Lambda/Fargate)'),
    }]);
    expect(findings[0].message).toContain('Stack/Fn/Resource');
  });

  test('fires for an EC2 instance when inbound allows only 443', () => {
    // GIVEN an ACL that mirrors the outbound rule instead of allowing return ports
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    aclWithInbound(stack, vpc, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPort(443));
    instance(stack, vpc);

    // THEN
    const [finding] = findingsOf(stack, naclEphemeral);
    expect(finding.level).toBe('error');
    expect(finding.message).toContain('inbound TCP 32768-61000');
    expect(finding.message).toContain('denied by the implicit * rule');
  });

  test('passes an EC2 instance when inbound allows 32768-61000 from anywhere', () => {
    // GIVEN the Linux ephemeral range
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    aclWithInbound(stack, vpc, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPortRange(32768, 61000));
    instance(stack, vpc);

    // THEN
    expect(findingsOf(stack, naclEphemeral)).toEqual([]);
  });

  test('passes a Lambda function when inbound allows 1024-65535 from anywhere', () => {
    // GIVEN the full ephemeral range
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    aclWithInbound(stack, vpc, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPortRange(1024, 65535));
    vpcFunction(stack, vpc);

    // THEN
    expect(findingsOf(stack, naclEphemeral)).toEqual([]);
  });

  test('cannot judge an inbound allow-list for part of IPv4 in an environment-agnostic stack', () => {
    // GIVEN returns allowed from one range only, and no region
    const stack = agnosticStack();
    const vpc = isolatedVpc(stack);
    aclWithInbound(stack, vpc, ec2.AclCidr.ipv4('52.218.0.0/17'), ec2.AclTraffic.tcpPortRange(1024, 65535));
    vpcFunction(stack, vpc);

    // THEN
    expect(summary(findingsOf(stack, naclEphemeral))).toEqual([{
      level: 'warning', path: 'Stack/Acl/Resource', message: expect.stringContaining('cannot judge: the inbound TCP 1024-65535'),
    }]);
  });
});
