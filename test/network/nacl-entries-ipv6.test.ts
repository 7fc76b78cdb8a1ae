import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { S3EndpointIpAddressType, S3NetworkAclEntries, S3PrivateAccess } from '../../lib';
import { s3Ipv6Cidrs } from '../../lib/aws/s3-ranges';
import { agnosticStackAndApp, compliantVpc, dualStackVpc, envBoundStack, REGION } from '../helpers/s3pa-fixtures';

/*
 * IPv6 entries written by the deploy-time function (keepNaclCidrsCurrent, environment-agnostic stacks): the block the
 * construct reserves for them and the settings it passes to the function.
 */


/** An ACL with `v4` IPv4 and `v6` IPv6 entries per direction, at rule numbers 100 on. */
function aclWith(stack: Stack, vpc: ec2.IVpc, v4: number, v6: number): ec2.NetworkAcl {
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  for (let i = 0; i < v4 + v6; i++) {
    for (const direction of [ec2.TrafficDirection.EGRESS, ec2.TrafficDirection.INGRESS]) {
      const cidr = i < v4 ? ec2.AclCidr.ipv4(`10.${i}.0.0/16`) : ec2.AclCidr.ipv6(`2001:db8:${i}::/48`);
      acl.addEntry(`E${i}${direction}`, { ruleNumber: 100 + i, cidr, traffic: ec2.AclTraffic.allTraffic(), direction });
    }
  }
  return acl;
}

/** The updater's settings as the custom resource carries them, with the tokens (ACL ids, region) as `TOKEN`. */
function writerConfig(stack: Stack): any {
  const syncs = Object.values(Template.fromStack(stack).findResources('Custom::S3NaclCidrs')) as any[];
  expect(syncs).toHaveLength(1);
  const config = syncs[0].Properties.Config;
  const text = typeof config === 'string' ? config : config['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe('IPv6 entries written at deploy time', () => {
  test('keepNaclCidrsCurrent, dualstack: the function owns an IPv6 block right after the IPv4 one, and gets it in its settings', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    const acl = aclWith(stack, vpc, 0, 0);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], keepNaclCidrsCurrent: true, ipAddressType: S3EndpointIpAddressType.DUALSTACK });
    // THEN
    const entries = access.networkAclEntries!;
    expect(entries.ruleNumbers).toEqual(Array.from({ length: 20 }, (_, i) => 500 + i));
    expect(entries.ipv6RuleNumbers).toEqual(Array.from({ length: 20 }, (_, i) => 520 + i));
    expect(entries.ipv6Cidrs).toEqual(s3Ipv6Cidrs(REGION));
    expect(writerConfig(stack)).toMatchObject({
      region: REGION,
      egressRuleNumberStart: 500,
      ingressRuleNumberStart: 500,
      maxEntriesPerDirection: 20,
      entryQuota: 20,
      ipv6: { egressRuleNumberStart: 520, ingressRuleNumberStart: 520, maxEntriesPerDirection: 20 },
    });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::NetworkAclEntry', 0);
  });

  test('the warning that IPv6 entries are not written is gone', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = dualStackVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [aclWith(stack, vpc, 0, 0)], keepNaclCidrsCurrent: true });
    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('naclIpv6NotWritten|IPv4 entries only'))).toEqual([]);
    expect(writerConfig(stack).ipv6).toBeDefined();
  });

  test('an environment-agnostic dualstack stack: the settings carry the IPv6 block and the deploy-time region', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    const vpc = dualStackVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [aclWith(stack, vpc, 2, 3)] });
    // THEN the IPv6 room is the quota less the IPv6 entries only (3), the IPv4 room less the IPv4 ones (2)
    const entries = access.networkAclEntries!;
    expect(entries.ipv6Cidrs).toEqual([]);
    expect(entries.ruleNumbers).toEqual(Array.from({ length: 18 }, (_, i) => 500 + i));
    expect(entries.ipv6RuleNumbers).toEqual(Array.from({ length: 17 }, (_, i) => 518 + i));
    expect(writerConfig(stack)).toMatchObject({
      region: 'TOKEN', maxEntriesPerDirection: 18, ipv6: { egressRuleNumberStart: 518, ingressRuleNumberStart: 518, maxEntriesPerDirection: 17 },
    });
  });

  test('ipv4: the settings have no IPv6 block', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [aclWith(stack, vpc, 0, 0)], keepNaclCidrsCurrent: true });
    // THEN
    expect(access.networkAclEntries!.ipv6RuleNumbers).toEqual([]);
    expect(writerConfig(stack).ipv6).toBeUndefined();
  });

  test('IPv6 entries of an ACL do not shrink the IPv4 block (the quotas are per family)', () => {
    // GIVEN 10 IPv4 and 10 IPv6 entries per direction: 10 of each left under the quota of 20
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    const entries = new S3NetworkAclEntries(stack, 'E', { networkAcls: [aclWith(stack, vpc, 10, 10)], keepCurrent: true });
    // THEN
    expect(entries.ruleNumbers).toEqual(Array.from({ length: 10 }, (_, i) => 500 + i));
    expect(entries.ipv6RuleNumbers).toEqual([]);
  });

  test('an ACL whose IPv6 entries leave no room under the quota throws, naming the family', () => {
    // GIVEN 20 IPv6 entries per direction
    const { stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    const acl = aclWith(stack, vpc, 0, 20);
    // THEN
    expect(() => new S3NetworkAclEntries(stack, 'E', { networkAcls: [acl], ipv6: true })).toThrow(
      'network acl Stack/Acl has 20 IPv6 outbound entries, which leave no room under the quota of 20 for the S3 entries written at deploy time: ' +
      'request a quota increase of "Rules per network ACL" in Service Quotas and pass naclEntryQuota, or merge entries of the ACL');
  });

  test('an entry added later inside the IPv6 block fails synth', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = aclWith(stack, vpc, 0, 0);
    new S3NetworkAclEntries(stack, 'E', { networkAcls: [acl], keepCurrent: true, ipv6: true });
    // WHEN
    acl.addEntry('Late', { ruleNumber: 530, cidr: ec2.AclCidr.anyIpv6(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
    // THEN
    expect(() => app.synth()).toThrow(/rule numbers 530 .*reserved for the function that writes its S3 entries \(500-539\)/);
  });
});
