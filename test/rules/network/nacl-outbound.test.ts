import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { naclOutbound } from '../../../lib/rules/network/nacl-outbound';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';
import { isolatedVpc, vpcFunction } from '../../helpers/net-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

function aclOnIsolated(stack: Stack, vpc: ec2.IVpc): ec2.NetworkAcl {
  return new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: ISOLATED });
}

function out(acl: ec2.NetworkAcl, id: string, ruleNumber: number, cidr: ec2.AclCidr, traffic: ec2.AclTraffic, ruleAction = ec2.Action.ALLOW) {
  acl.addEntry(id, { ruleNumber, cidr, traffic, direction: ec2.TrafficDirection.EGRESS, ruleAction });
}

describe('S3PA-NaclOutbound', () => {
  test('fires on a custom ACL with no outbound entries (the implicit deny)', () => {
    // GIVEN a custom ACL on the function's subnet that only allows inbound traffic
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const acl = aclOnIsolated(stack, vpc);
    acl.addEntry('In', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.INGRESS });
    vpcFunction(stack, vpc);

    // WHEN
    const findings = summary(findingsOf(stack, naclOutbound));

    // THEN
    expect(findings).toEqual([{
      level: 'error',
      path: 'Stack/Acl/Resource',
      message: expect.stringContaining('network ACL Stack/Acl/Resource on subnets Stack/Vpc/isoSubnet1/Subnet of Stack/Fn/Resource'),
    }]);
    expect(findings[0].message).toMatch(/does not allow TCP 443 outbound to (\d+) of \1 S3 CIDRs of eu-west-1/);
    expect(findings[0].message).toContain('denied by the implicit * rule');
  });

  test('fires when a lower-numbered deny shadows a later allow for part of S3', () => {
    // GIVEN deny 52.0.0.0/8 at 90, allow everything at 100
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const acl = aclOnIsolated(stack, vpc);
    out(acl, 'Deny', 90, ec2.AclCidr.ipv4('52.0.0.0/8'), ec2.AclTraffic.tcpPort(443), ec2.Action.DENY);
    out(acl, 'Allow', 100, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.allTraffic());
    vpcFunction(stack, vpc);

    // THEN
    const [finding] = findingsOf(stack, naclOutbound);
    expect(finding.level).toBe('error');
    expect(finding.message).toContain('denied by rule 90 (Stack/Acl/Deny/Resource)');
  });

  test('passes an ACL whose first matching outbound entry allows 443 to all of S3', () => {
    // GIVEN allow 443 anywhere at 100, and a deny-all at 200 that comes too late to matter
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const acl = aclOnIsolated(stack, vpc);
    out(acl, 'Allow', 100, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPortRange(1, 1000));
    out(acl, 'Deny', 200, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.allTraffic(), ec2.Action.DENY);
    vpcFunction(stack, vpc);

    // THEN
    expect(findingsOf(stack, naclOutbound)).toEqual([]);
  });

  test('passes subnets on the VPC default ACL', () => {
    // GIVEN no custom ACL
    const stack = envStack();
    vpcFunction(stack, isolatedVpc(stack));

    // THEN
    expect(findingsOf(stack, naclOutbound)).toEqual([]);
  });

  test('cannot judge a partial allow-list in an environment-agnostic stack', () => {
    // GIVEN an allow for one S3-like range, and no region to know S3's ranges
    const stack = agnosticStack();
    const vpc = isolatedVpc(stack);
    const acl = aclOnIsolated(stack, vpc);
    out(acl, 'Allow', 100, ec2.AclCidr.ipv4('52.218.0.0/17'), ec2.AclTraffic.tcpPort(443));
    vpcFunction(stack, vpc);

    // THEN
    expect(summary(findingsOf(stack, naclOutbound))).toEqual([{
      level: 'warning', path: 'Stack/Acl/Resource', message: expect.stringContaining('environment-agnostic'),
    }]);
  });

  test('passes an allow for all of IPv4 in an environment-agnostic stack', () => {
    // GIVEN 0.0.0.0/0 allowed on 443: S3 is covered whatever the region
    const stack = agnosticStack();
    const vpc = isolatedVpc(stack);
    out(aclOnIsolated(stack, vpc), 'Allow', 100, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPort(443));
    vpcFunction(stack, vpc);

    // THEN
    expect(findingsOf(stack, naclOutbound)).toEqual([]);
  });
});
