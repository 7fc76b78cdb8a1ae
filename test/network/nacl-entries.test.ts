import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { S3NetworkAclEntries, S3PrivateAccess } from '../../lib';
import { s3NaclIpv4Cidrs } from '../../lib/aws/s3-ranges';
import { NaclCidrUpdater } from '../../lib/network/nacl-cidr-updater';
import { agnosticStackAndApp, compliantVpc, envBoundStack } from '../helpers/s3pa-fixtures';

const CIDRS = s3NaclIpv4Cidrs('eu-west-1')!;

function aclWithEntries(stack: Stack, vpc: ec2.IVpc, id: string, ruleNumbers: number[]): ec2.NetworkAcl {
  const acl = new ec2.NetworkAcl(stack, id, { vpc });
  for (const n of ruleNumbers) {
    for (const direction of [ec2.TrafficDirection.EGRESS, ec2.TrafficDirection.INGRESS]) {
      acl.addEntry(`E${n}${direction}`, { ruleNumber: n, cidr: ec2.AclCidr.ipv4('10.0.0.0/16'), traffic: ec2.AclTraffic.allTraffic(), direction });
    }
  }
  return acl;
}

function entriesOf(stack: Stack, acl: ec2.INetworkAcl, egress: boolean): Array<Record<string, any>> {
  const all = Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry', {
    Properties: { NetworkAclId: stack.resolve(acl.networkAclId), Egress: egress },
  });
  return Object.values(all).map((r: any) => r.Properties);
}

describe('network-ACL entries for S3', () => {
  test('reordering networkAcls leaves every ACL\'s entries where they are (no replacement, no rule-number clash)', () => {
    // GIVEN the same two ACLs, listed in both orders
    const logicalIdsByAcl = (order: Array<'A' | 'B'>) => {
      const { stack } = envBoundStack();
      const vpc = compliantVpc(stack);
      const acls = { A: new ec2.NetworkAcl(stack, 'AclA', { vpc }), B: new ec2.NetworkAcl(stack, 'AclB', { vpc }) };
      new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: order.map((k) => acls[k]) });
      const entries = Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry');
      return Object.entries(entries).map(([id, r]: [string, any]) => `${JSON.stringify(r.Properties.NetworkAclId)} ${id}`).sort();
    };
    // WHEN / THEN
    expect(logicalIdsByAcl(['B', 'A'])).toEqual(logicalIdsByAcl(['A', 'B']));
  });

  test('outbound TCP 443 to, and inbound TCP 1024-65535 from, each S3 CIDR of the region', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // THEN
    const egress = entriesOf(stack, acl, true);
    const ingress = entriesOf(stack, acl, false);
    expect(egress.map((e) => e.CidrBlock).sort()).toEqual([...CIDRS].sort());
    expect(ingress.map((e) => e.CidrBlock).sort()).toEqual([...CIDRS].sort());
    for (const e of egress) expect(e).toMatchObject({ Protocol: 6, PortRange: { From: 443, To: 443 }, RuleAction: 'allow' });
    for (const e of ingress) expect(e).toMatchObject({ Protocol: 6, PortRange: { From: 1024, To: 65535 }, RuleAction: 'allow' });
  });

  test('rule numbers start at 500 by default, consecutive', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    // WHEN
    const entries = new S3NetworkAclEntries(stack, 'E', { networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })] });
    // THEN
    expect(entries.ruleNumbers).toEqual(CIDRS.map((_, i) => 500 + i));
    expect(entries.cidrs).toEqual(CIDRS);
  });

  test('rule numbers skip the numbers that entries of an ACL in the app use', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', [100, 502]);
    // WHEN
    const entries = new S3NetworkAclEntries(stack, 'E', { networkAcls: [acl] });
    // THEN
    expect(entries.ruleNumbers).toEqual(CIDRS.map((_, i) => 503 + i));
    const numbers = entriesOf(stack, acl, true).map((e) => e.RuleNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  test('entries created elsewhere for the ACL count too', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    new ec2.NetworkAclEntry(stack, 'Elsewhere', {
      networkAcl: acl, ruleNumber: 500, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS,
    });
    // WHEN
    const entries = new S3NetworkAclEntries(stack, 'E', { networkAcls: [acl] });
    // THEN
    expect(entries.ruleNumbers[0]).toBe(501);
  });

  test('an imported ACL starts at naclRuleNumberBase', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = ec2.NetworkAcl.fromNetworkAclId(stack, 'Imported', 'acl-0123456789abcdef0');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], naclRuleNumberBase: 2000 });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      NetworkAclId: 'acl-0123456789abcdef0', RuleNumber: 2000, Egress: true, CidrBlock: CIDRS[0],
    });
  });

  test('the same ACL listed twice gets its entries once', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl, acl] });
    // THEN
    expect(entriesOf(stack, acl, true)).toHaveLength(CIDRS.length);
  });

  test('exceeding the quota throws, naming the ACL, the count and the fix', () => {
    // GIVEN an ACL with 15 entries per direction: 15 + the S3 CIDRs > 20
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', Array.from({ length: 15 }, (_, i) => 100 + i));
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] })).toThrow(new RegExp(
      `^network acl Stack/Acl would have ${15 + CIDRS.length} outbound entries \\(15 existing \\+ ${CIDRS.length} for the S3 CIDRs\\), ` +
      'over the quota of 20: request a quota increase .* and pass naclEntryQuota'));
  });

  test('a raised naclEntryQuota admits the same ACL', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', Array.from({ length: 15 }, (_, i) => 100 + i));
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], naclEntryQuota: 40 });
    // THEN
    expect(entriesOf(stack, acl, true)).toHaveLength(15 + CIDRS.length);
  });

  test('entries added after the construct that push the ACL over the quota fail synth', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // WHEN
    for (let i = 0; i < 20 - CIDRS.length + 1; i++) {
      acl.addEntry(`Late${i}`, { ruleNumber: 100 + i, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
    }
    // THEN
    expect(() => app.synth()).toThrow(/network acl Stack\/Acl would have 21 outbound entries/);
  });

  test('an entry added after the construct with a clashing rule number fails synth', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // WHEN
    acl.addEntry('Late', { ruleNumber: 500, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.INGRESS });
    // THEN
    expect(() => app.synth()).toThrow(/network acl Stack\/Acl has inbound entries with rule numbers 500 \(Stack\/Acl\/Late\/Resource\), which S3PrivateAccess gave its S3 entries/);
  });

  test('an env-agnostic stack: a deploy-time function writes the entries, with no topic subscription and the quota in its settings', () => {
    // GIVEN an ACL with 2 entries per direction in a stack whose region is known at deploy time only
    const { stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', [100, 200]);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
    // THEN no CloudFormation entries: the function owns all the room the quota leaves, and reads the region at deploy time
    const entries = access.networkAclEntries!;
    expect(entries.cidrs).toEqual([]);
    expect(entries.ruleNumbers).toEqual(Array.from({ length: 18 }, (_, i) => 500 + i));
    expect(entriesOf(stack, acl, true)).toHaveLength(2);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const [sync] = Object.values(template.findResources('Custom::S3NaclCidrs')) as any[];
    const config = JSON.stringify(sync.Properties.Config);
    expect(config).toContain('\\"region\\":\\"",{"Ref":"AWS::Region"}');
    expect(config).toContain('\\"maxEntriesPerDirection\\":18');
    expect(config).toContain('\\"entryQuota\\":20');
  });

  test('an env-agnostic stack with keepNaclCidrsCurrent subscribes the same function to AmazonIpSpaceChanged', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], keepNaclCidrsCurrent: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { TopicArn: NaclCidrUpdater.AMAZON_IP_SPACE_CHANGED_TOPIC_ARN });
  });

  test('an env-agnostic stack whose ACL leaves no room under the quota throws at construction', () => {
    // GIVEN 20 outbound entries already
    const { stack } = agnosticStackAndApp();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', Array.from({ length: 20 }, (_, i) => 100 + i));
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] })).toThrow(
      'network acl Stack/Acl has 20 outbound entries, which leave no room under the quota of 20 for the S3 entries written at deploy time: ' +
      'request a quota increase of "Rules per network ACL" in Service Quotas and pass naclEntryQuota, or merge entries of the ACL');
  });

  test('a region the snapshot does not know throws with the fix', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'xx-nowhere-9' } });
    const vpc = compliantVpc(stack);
    // THEN
    expect(() => new S3NetworkAclEntries(stack, 'E', { networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })] }))
      .toThrow(/^no S3 address ranges are known for region 'xx-nowhere-9' in the bundled snapshot: upgrade/);
  });

  test('bad naclRuleNumberBase and naclEntryQuota throw', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    // THEN
    expect(() => new S3NetworkAclEntries(stack, 'A', { networkAcls: [acl], ruleNumberBase: 40000 }))
      .toThrow(/^naclRuleNumberBase is 40000: pass an integer from 1 to 32766$/);
    expect(() => new S3NetworkAclEntries(stack, 'B', { networkAcls: [acl], entryQuota: 0 }))
      .toThrow(/^naclEntryQuota is 0: /);
  });

  test('keepNaclCidrsCurrent: an updater owns a reserved block, and no CloudFormation entries are written', () => {
    // GIVEN an ACL with 2 entries per direction
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = aclWithEntries(stack, vpc, 'Acl', [100, 200]);
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], keepNaclCidrsCurrent: true });
    // THEN the block is all the room the quota leaves: 20 - 2
    const entries = access.networkAclEntries!;
    expect(entries.ruleNumbers).toEqual(Array.from({ length: 18 }, (_, i) => 500 + i));
    expect(entriesOf(stack, acl, true)).toHaveLength(2);
    expect(entries.updaterFunction).toBeDefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::S3NaclCidrs', 1);
    const [sync] = Object.values(template.findResources('Custom::S3NaclCidrs')) as any[];
    const config = JSON.stringify(sync.Properties.Config);
    expect(config).toContain('\\"egressRuleNumberStart\\":500');
    expect(config).toContain('\\"maxEntriesPerDirection\\":18');
  });

  test('keepNaclCidrsCurrent: an entry added later inside the reserved block fails synth', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], keepNaclCidrsCurrent: true });
    // WHEN
    acl.addEntry('Late', { ruleNumber: 510, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
    // THEN
    expect(() => app.synth()).toThrow(/rule numbers 510 .*reserved for the function that writes its S3 entries \(500-519\)/);
  });

  test('keepNaclCidrsCurrent without networkAcls throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc: compliantVpc(stack), keepNaclCidrsCurrent: true }))
      .toThrow(/^keepNaclCidrsCurrent is set but networkAcls is empty: pass the network ACLs/);
  });

  test('no networkAcls: no entries', () => {
    // GIVEN
    const { stack } = envBoundStack();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc: compliantVpc(stack) });
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::EC2::NetworkAclEntry', 0);
    expect(access.networkAclEntries).toBeUndefined();
  });
});
