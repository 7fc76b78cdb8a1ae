import {
  NaclDirectionSpec, NaclEntry, NaclUpdaterConfig, planNaclEntryChanges, planNaclEntryRemoval,
} from '../../lib/network/nacl-cidr-updater-reconcile';
import { customResource, Harness, notification } from '../helpers/nacl-updater-harness';

const EGRESS: NaclDirectionSpec = { egress: true, ruleNumberStart: 200, maxEntries: 3, fromPort: 443, toPort: 443 };

function allow(ruleNumber: number, cidr: string, egress = true, from = 443, to = 443): NaclEntry {
  return { RuleNumber: ruleNumber, Egress: egress, Protocol: '6', RuleAction: 'allow', CidrBlock: cidr, PortRange: { From: from, To: to } };
}

describe('planNaclEntryChanges', () => {
  test('an ACL without entries gets one create per CIDR from the start of the range', () => {
    expect(planNaclEntryChanges([], ['1.0.0.0/24', '2.0.0.0/24'], EGRESS)).toEqual({
      changes: [
        { action: 'create', ruleNumber: 200, egress: true, cidrBlock: '1.0.0.0/24' },
        { action: 'create', ruleNumber: 201, egress: true, cidrBlock: '2.0.0.0/24' },
      ],
    });
  });

  test('entries that already match plan nothing', () => {
    const current = [allow(200, '1.0.0.0/24'), allow(201, '2.0.0.0/24')];
    expect(planNaclEntryChanges(current, ['2.0.0.0/24', '1.0.0.0/24'], EGRESS)).toEqual({ changes: [] });
  });

  test('a stale CIDR is replaced in place by a new one', () => {
    const current = [allow(200, '1.0.0.0/24'), allow(201, '9.0.0.0/24')];
    expect(planNaclEntryChanges(current, ['1.0.0.0/24', '2.0.0.0/24'], EGRESS).changes).toEqual([
      { action: 'replace', ruleNumber: 201, egress: true, cidrBlock: '2.0.0.0/24' },
    ]);
  });

  test('a CIDR AWS no longer publishes is deleted, after the other calls', () => {
    const current = [allow(200, '9.0.0.0/24'), allow(201, '8.0.0.0/24')];
    expect(planNaclEntryChanges(current, ['1.0.0.0/24'], EGRESS).changes).toEqual([
      { action: 'replace', ruleNumber: 200, egress: true, cidrBlock: '1.0.0.0/24' },
      { action: 'delete', ruleNumber: 201, egress: true },
    ]);
  });

  test('an entry with the right CIDR but wrong ports, action or a duplicate is rewritten', () => {
    const current = [
      allow(200, '1.0.0.0/24', true, 80, 80),
      { ...allow(201, '2.0.0.0/24'), RuleAction: 'deny' },
      allow(202, '2.0.0.0/24'),
    ];
    expect(planNaclEntryChanges(current, ['1.0.0.0/24', '2.0.0.0/24'], EGRESS).changes).toEqual([
      { action: 'replace', ruleNumber: 200, egress: true, cidrBlock: '1.0.0.0/24' },
      { action: 'delete', ruleNumber: 201, egress: true },
    ]);
  });

  test('entries outside the range and of the other direction are never touched', () => {
    const current = [
      allow(199, '9.0.0.0/24'), allow(203, '9.0.0.0/24'), allow(200, '9.0.0.0/24', false, 1024, 65535),
      { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
    ];
    expect(planNaclEntryChanges(current, ['1.0.0.0/24'], EGRESS).changes).toEqual([
      { action: 'create', ruleNumber: 200, egress: true, cidrBlock: '1.0.0.0/24' },
    ]);
  });

  test('more CIDRs than the range holds plan nothing and say why', () => {
    const plan = planNaclEntryChanges([allow(200, '9.0.0.0/24')], ['1.0.0.0/24', '2.0.0.0/24', '3.0.0.0/24', '4.0.0.0/24'], EGRESS);
    expect(plan.changes).toEqual([]);
    expect(plan.error).toMatch(/4 S3 CIDRs do not fit in the 3 outbound rule numbers 200-202: left the entries as they are/);
  });

  test('exactly as many CIDRs as the range holds fit', () => {
    const plan = planNaclEntryChanges([], ['1.0.0.0/24', '2.0.0.0/24', '3.0.0.0/24'], EGRESS);
    expect(plan.error).toBeUndefined();
    expect(plan.changes.map((c) => c.ruleNumber)).toEqual([200, 201, 202]);
  });

  test('no CIDRs at all (an unknown region) plan nothing rather than deleting every entry', () => {
    const plan = planNaclEntryChanges([allow(200, '1.0.0.0/24')], [], EGRESS);
    expect(plan.changes).toEqual([]);
    expect(plan.error).toMatch(/no S3 CIDRs to allow/);
  });
});

describe('planNaclEntryRemoval', () => {
  test('deletes the entries of the range and keeps those of the range that stays owned', () => {
    const current = [allow(199, '9.0.0.0/24'), allow(200, '1.0.0.0/24'), allow(201, '2.0.0.0/24'), allow(200, '1.0.0.0/24', false)];
    expect(planNaclEntryRemoval(current, true, 200, 3)).toEqual([
      { action: 'delete', ruleNumber: 200, egress: true },
      { action: 'delete', ruleNumber: 201, egress: true },
    ]);
    expect(planNaclEntryRemoval(current, true, 200, 3, [{ start: 201, count: 5 }])).toEqual([
      { action: 'delete', ruleNumber: 200, egress: true },
    ]);
  });
});

const CONFIG: NaclUpdaterConfig = {
  networkAclIds: ['acl-1'], region: 'eu-west-1', egressRuleNumberStart: 200, ingressRuleNumberStart: 300, maxEntriesPerDirection: 3,
};
const IP_RANGES = {
  syncToken: '1',
  createDate: '2024-01-01-00-00-00',
  prefixes: [
    { ip_prefix: '52.218.0.0/17', region: 'eu-west-1', service: 'S3' },
    { ip_prefix: '52.92.0.0/17', region: 'eu-west-1', service: 'S3' },
    { ip_prefix: '3.5.64.0/21', region: 'eu-west-1', service: 'S3' },
    { ip_prefix: '3.5.72.0/23', region: 'eu-west-1', service: 'S3' },
    { ip_prefix: '3.5.72.0/23', region: 'eu-west-1', service: 'AMAZON' },
    { ip_prefix: '13.34.0.0/24', region: 'eu-west-1', service: 'EC2' },
    { ip_prefix: '52.216.0.0/15', region: 'us-east-1', service: 'S3' },
  ],
  ipv6_prefixes: [{ ipv6_prefix: '2a05:d07a:8000::/40', region: 'eu-west-1', service: 'S3' }],
};
const EXPECTED_OUTBOUND = ['200 3.5.64.0/21 443-443', '201 3.5.72.0/23 443-443', '202 52.92.0.0/17 443-443'];

describe('the shipped Lambda handler', () => {
  test('a notification whose CIDRs do not fit logs an error and leaves the ACL as it is', async () => {
    // GIVEN eu-west-1 has four S3 CIDRs after merging and the range holds three
    const h = new Harness(CONFIG, IP_RANGES);
    // WHEN
    const result = await h.invoke(notification(h.body));
    // THEN
    expect(result.errors).toEqual([
      expect.stringMatching(/acl-1 \(eu-west-1\): 4 S3 CIDRs do not fit in the 3 outbound rule numbers 200-202/),
      expect.stringMatching(/acl-1 \(eu-west-1\): 4 S3 CIDRs do not fit in the 3 inbound rule numbers 300-302/),
    ]);
    expect(h.logs.filter((l) => l.level === 'error')).toHaveLength(2);
    expect(h.calls).toEqual(['DescribeNetworkAcls']);
  });

  test('a notification creates outbound 443 and inbound 1024-65535 entries, and a second one changes nothing', async () => {
    // GIVEN
    const h = new Harness({ ...CONFIG, maxEntriesPerDirection: 4 }, IP_RANGES);
    // WHEN
    await h.invoke(notification(h.body));
    const second = await h.invoke(notification(h.body));
    // THEN
    expect(h.entries('acl-1', true)).toEqual([...EXPECTED_OUTBOUND, '203 52.218.0.0/17 443-443']);
    expect(h.entries('acl-1', false)).toEqual(['300 3.5.64.0/21 1024-65535', '301 3.5.72.0/23 1024-65535',
      '302 52.92.0.0/17 1024-65535', '303 52.218.0.0/17 1024-65535']);
    expect(second).toEqual({ cidrs: expect.any(Array), ipv6Cidrs: [], changes: 0, errors: [] });
  });

  test('when AWS drops a CIDR, its entry is replaced or deleted and entries outside the range stay', async () => {
    // GIVEN entries written earlier, plus the user's own entry just outside the range
    const h = new Harness({ ...CONFIG, maxEntriesPerDirection: 4 }, IP_RANGES);
    await h.invoke(notification(h.body));
    h.acls.get('acl-1')!.push(allow(204, '10.0.0.0/8'));
    // WHEN AWS withdraws 52.218.0.0/17
    h.body = JSON.stringify({ ...IP_RANGES, prefixes: IP_RANGES.prefixes.filter((p) => p.ip_prefix !== '52.218.0.0/17') });
    await h.invoke(notification(h.body));
    // THEN
    expect(h.entries('acl-1', true)).toEqual([...EXPECTED_OUTBOUND, '204 10.0.0.0/8 443-443']);
  });

  test('a download that does not match the notification\'s md5 changes nothing and fails the invocation', async () => {
    const h = new Harness({ ...CONFIG, maxEntriesPerDirection: 4 }, IP_RANGES);
    await expect(h.invoke(notification(h.body, '0'.repeat(32)))).rejects.toThrow(/does not match the notification's md5/);
    expect(h.calls).toEqual([]);
  });

  test('a missing network ACL is logged and the others are still reconciled', async () => {
    // GIVEN
    const h = new Harness({ ...CONFIG, maxEntriesPerDirection: 4, networkAclIds: ['acl-gone', 'acl-1'] }, IP_RANGES);
    h.acls.delete('acl-gone');
    // WHEN
    const result = await h.invoke(notification(h.body));
    // THEN
    expect(result.errors).toEqual(['network ACL acl-gone not found']);
    expect(h.logs).toContainEqual({ level: 'error', message: 'network ACL acl-gone not found' });
    expect(h.entries('acl-1', true)).toHaveLength(4);
  });

  test('a deployment (custom resource Create) reconciles and answers SUCCESS', async () => {
    const h = new Harness(CONFIG, IP_RANGES);
    await h.invoke(customResource('Create', { ...CONFIG, maxEntriesPerDirection: 4 }));
    expect(h.entries('acl-1', true)).toHaveLength(4);
    expect(h.responses).toEqual([expect.objectContaining({
      url: 'https://cloudformation-response.example/abc?sig=1',
      headers: { 'content-type': '' },
      Status: 'SUCCESS',
      PhysicalResourceId: 'Sync-s3-nacl-cidrs',
      StackId: 'stack',
      RequestId: 'req',
      LogicalResourceId: 'Sync',
    })]);
  });

  test('a deployment whose CIDRs do not fit fails with the reason and leaves the ACL as it is', async () => {
    const h = new Harness(CONFIG, IP_RANGES);
    await h.invoke(customResource('Create', CONFIG));
    expect(h.responses[0]).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/4 S3 CIDRs do not fit in the 3 outbound/) });
    expect(h.entries('acl-1', true)).toEqual([]);
  });

  test('an update that moves the range releases the old rule numbers', async () => {
    const before = { ...CONFIG, maxEntriesPerDirection: 4 };
    const after = { ...before, egressRuleNumberStart: 500 };
    const h = new Harness(before, IP_RANGES);
    await h.invoke(customResource('Create', before));
    await h.invoke(customResource('Update', after, before));
    expect(h.entries('acl-1', true).map((e) => e.split(' ')[0])).toEqual(['500', '501', '502', '503']);
    expect(h.entries('acl-1', false).map((e) => e.split(' ')[0])).toEqual(['300', '301', '302', '303']);
    expect(h.responses.map((r) => r.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  test('a stack deletion removes the entries and succeeds even when the ACL is already gone', async () => {
    const config = { ...CONFIG, maxEntriesPerDirection: 4 };
    const h = new Harness(config, IP_RANGES);
    await h.invoke(customResource('Create', config));
    h.acls.get('acl-1')!.push(allow(100, '10.0.0.0/8'));
    await h.invoke(customResource('Delete', config));
    expect(h.entries('acl-1', true)).toEqual(['100 10.0.0.0/8 443-443']);
    expect(h.entries('acl-1', false)).toEqual([]);
    h.acls.delete('acl-1');
    await h.invoke(customResource('Delete', config));
    expect(h.responses.map((r) => r.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });
});
