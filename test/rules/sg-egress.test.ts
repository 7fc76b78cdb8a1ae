import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { sgEgress } from '../../lib/rules/sg-egress';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { appWithPrefixListLookups, isolatedVpc, vpcFunction } from '../helpers/net-fixtures';

function restrictedGroup(stack: Stack, vpc: ec2.IVpc, id = 'Sg'): ec2.SecurityGroup {
  return new ec2.SecurityGroup(stack, id, { vpc, allowAllOutbound: false });
}

describe('S3PA-SgEgress', () => {
  test('fires on a restricted group with no 443 egress to S3, naming the group, the workload and the sentinel rule', () => {
    // GIVEN a function whose only group has allowAllOutbound: false and egress to a private range only
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // WHEN
    const findings = summary(findingsOf(stack, sgEgress));

    // THEN
    expect(findings).toEqual([{
      level: 'error',
      path: 'Stack/Sg/Resource',
      message: expect.stringContaining('security group Stack/Sg/Resource restricts egress and allows no TCP 443'),
    }]);
    expect(findings[0].message).toContain('Stack/Fn/Resource');
    expect(findings[0].message).toContain('tcp 443-443 to 10.0.0.0/8');
    expect(findingsOf(stack, sgEgress)[0].fix).toContain('com.amazonaws.eu-west-1.s3');
  });

  test('says nothing about a workload that does not use S3 (its twin above does)', () => {
    // GIVEN the same group on a function with no S3 permission and no bucket in its environment
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg], environment: {} });

    // THEN
    expect(findingsOf(stack, sgEgress)).toEqual([]);
  });

  test('judges egress to the VPC\'s own range (Fn::GetAtt Vpc.CidrBlock): it does not reach S3', () => {
    // GIVEN 443 egress only to the VPC CIDR, written by CDK as a GetAtt of the VPC
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // WHEN
    const findings = summary(findingsOf(stack, sgEgress));

    // THEN an error, no longer a "cannot judge"
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Sg/Resource' })]);
    expect(findings[0].message).toContain('tcp 443-443 to 10.0.0.0/16');
  });

  test('fires when CIDR egress covers only some of the S3 ranges of the region', () => {
    // GIVEN egress to one of the eu-west-1 S3 CIDRs only
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4('52.218.0.0/17'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    const [finding] = findingsOf(stack, sgEgress);
    expect(finding.level).toBe('error');
    expect(finding.message).toMatch(/\d+ of \d+ S3 CIDRs uncovered/);
  });

  test('fires when the only prefix-list egress is a looked-up list that is not S3', () => {
    // GIVEN egress to the looked-up DynamoDB list
    const app = appWithPrefixListLookups({ 'com.amazonaws.eu-west-1.dynamodb': 'pl-66a5400f' });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    const ddb = ec2.PrefixList.fromLookup(stack, 'Ddb', { prefixListName: 'com.amazonaws.eu-west-1.dynamodb' });
    sg.addEgressRule(ec2.Peer.prefixList(ddb.prefixListId), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    expect(summary(findingsOf(stack, sgEgress))).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Sg/Resource' })]);
  });

  test('passes a group with 443 egress to the looked-up S3 prefix list', () => {
    // GIVEN the S3 list answered from the context
    const app = appWithPrefixListLookups({ 'com.amazonaws.eu-west-1.s3': 'pl-6da54004' });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    const s3 = ec2.PrefixList.fromLookup(stack, 'S3', { prefixListName: 'com.amazonaws.eu-west-1.s3' });
    sg.addEgressRule(ec2.Peer.prefixList(s3.prefixListId), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    expect(findingsOf(stack, sgEgress)).toEqual([]);
  });

  test('passes a workload when any of its groups allows (all-TCP egress to 0.0.0.0/0 on a second group)', () => {
    // GIVEN one restricted group and one with all-TCP egress to anywhere
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const closed = restrictedGroup(stack, vpc, 'Closed');
    const open = restrictedGroup(stack, vpc, 'Open');
    open.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.allTcp());
    vpcFunction(stack, vpc, { securityGroups: [closed, open] });

    // THEN
    expect(findingsOf(stack, sgEgress)).toEqual([]);
  });

  test('passes default allow-all groups and CIDR egress covering every S3 range', () => {
    // GIVEN one function with a default group and one with egress to 52.0.0.0/8 and 3.0.0.0/8
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpcFunction(stack, vpc, {}, 'Default');
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4('52.0.0.0/8'), ec2.Port.tcpRange(0, 65535));
    sg.addEgressRule(ec2.Peer.ipv4('3.0.0.0/8'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    expect(findingsOf(stack, sgEgress)).toEqual([]);
  });

  test('treats a literal prefix-list id on 443 as S3-capable (S3PA-PrefixListLiteral judges the literal)', () => {
    // GIVEN a hard-coded id
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.prefixList('pl-12345678'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    expect(findingsOf(stack, sgEgress)).toEqual([]);
  });

  test('cannot judge a workload whose group is imported', () => {
    // GIVEN a function with an imported group
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const imported = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0123456789abcdef0', { allowAllOutbound: false });
    vpcFunction(stack, vpc, { securityGroups: [imported] });

    // THEN a warning naming the group id, never an error
    expect(summary(findingsOf(stack, sgEgress))).toEqual([{
      level: 'warning', path: 'Stack/Fn/Resource', message: expect.stringContaining('sg-0123456789abcdef0'),
    }]);
  });

  test('cannot judge partial CIDR egress in an environment-agnostic stack', () => {
    // GIVEN no region, so no S3 ranges to compare with
    const stack = agnosticStack();
    const vpc = isolatedVpc(stack);
    const sg = restrictedGroup(stack, vpc);
    sg.addEgressRule(ec2.Peer.ipv4('52.218.0.0/17'), ec2.Port.tcp(443));
    vpcFunction(stack, vpc, { securityGroups: [sg] });

    // THEN
    const findings = summary(findingsOf(stack, sgEgress));
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('environment-agnostic') })]);
  });
});
