import {
  NaclDirectionSpec, NaclEntry, NaclUpdaterConfig, naclDirectionSpecs, naclQuotaError, planNaclEntryChanges,
} from '../../lib/network/nacl-cidr-updater-reconcile';
import { customResource, Harness, notification } from '../helpers/nacl-updater-harness';

/*
 * The IPv6 entries of the network-ACL updater (dualstack and ipv6 endpoints whose entries a function writes): the
 * planner per address family, and the shipped handler against the fake EC2 of the harness.
 */

const V4: NaclDirectionSpec = { egress: true, ruleNumberStart: 200, maxEntries: 3, fromPort: 443, toPort: 443 };
const V6: NaclDirectionSpec = { egress: true, ipv6: true, ruleNumberStart: 210, maxEntries: 3, fromPort: 443, toPort: 443 };

function allow(ruleNumber: number, cidr: string, egress = true, from = 443, to = 443): NaclEntry {
  const block = cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr };
  return { RuleNumber: ruleNumber, Egress: egress, Protocol: '6', RuleAction: 'allow', ...block, PortRange: { From: from, To: to } };
}

describe('naclDirectionSpecs', () => {
  const old: NaclUpdaterConfig = { networkAclIds: ['acl-1'], region: 'eu-west-1', egressRuleNumberStart: 500, ingressRuleNumberStart: 500, maxEntriesPerDirection: 18 };

  test('settings without ipv6 (those of earlier deployments) give the two IPv4 directions only', () => {
    expect(naclDirectionSpecs(old).map((s) => [s.egress, Boolean(s.ipv6), s.ruleNumberStart, s.maxEntries])).toEqual([
      [true, false, 500, 18], [false, false, 500, 18],
    ]);
  });

  test('ipv6 adds both directions for IPv6, in their own ranges and with the same ports', () => {
    const specs = naclDirectionSpecs({ ...old, ipv6: { egressRuleNumberStart: 518, ingressRuleNumberStart: 520, maxEntriesPerDirection: 5 } });
    expect(specs.map((s) => [s.egress, Boolean(s.ipv6), s.ruleNumberStart, s.maxEntries, s.fromPort, s.toPort])).toEqual([
      [true, false, 500, 18, 443, 443], [false, false, 500, 18, 1024, 65535],
      [true, true, 518, 5, 443, 443], [false, true, 520, 5, 1024, 65535],
    ]);
  });
});

describe('planNaclEntryChanges for IPv6', () => {
  test('creates Ipv6CidrBlock entries, never CidrBlock ones', () => {
    const plan = planNaclEntryChanges([], ['2a05:d07a:8000::/40', '2a05:d079::/36'], V6);
    expect(plan).toEqual({
      changes: [
        { action: 'create', ruleNumber: 210, egress: true, ipv6CidrBlock: '2a05:d07a:8000::/40' },
        { action: 'create', ruleNumber: 211, egress: true, ipv6CidrBlock: '2a05:d079::/36' },
      ],
    });
    expect(plan.changes.some((c) => 'cidrBlock' in c)).toBe(false);
  });

  test('IPv6 entries that match, however EC2 spells them, plan nothing', () => {
    const current = [allow(210, '2A05:D07A:8000::/40'), allow(211, '2a05:d079:0:0:0:0:0:0/36')];
    expect(planNaclEntryChanges(current, ['2a05:d07a:8000::/40', '2a05:d079::/36'], V6)).toEqual({ changes: [] });
  });

  test('a stale IPv6 CIDR is replaced in place and a withdrawn one deleted', () => {
    const current = [allow(210, '2a05:d07a:8000::/40'), allow(211, '2a05:dead::/32'), allow(212, '2a05:beef::/32')];
    expect(planNaclEntryChanges(current, ['2a05:d07a:8000::/40', '2a05:d079::/36'], V6).changes).toEqual([
      { action: 'replace', ruleNumber: 211, egress: true, ipv6CidrBlock: '2a05:d079::/36' },
      { action: 'delete', ruleNumber: 212, egress: true },
    ]);
  });

  test('families never mix: an IPv4 entry in an IPv6 range, and an IPv6 entry in an IPv4 range, are replaced', () => {
    expect(planNaclEntryChanges([allow(210, '1.0.0.0/24')], ['2a05:d079::/36'], V6).changes).toEqual([
      { action: 'replace', ruleNumber: 210, egress: true, ipv6CidrBlock: '2a05:d079::/36' },
    ]);
    expect(planNaclEntryChanges([allow(200, '2a05:d079::/36')], ['1.0.0.0/24'], V4).changes).toEqual([
      { action: 'replace', ruleNumber: 200, egress: true, cidrBlock: '1.0.0.0/24' },
    ]);
  });

  test('the IPv6 range ignores IPv4 entries outside it, and the IPv4 range ignores the IPv6 ones', () => {
    const current = [allow(200, '1.0.0.0/24'), allow(210, '2a05:d079::/36')];
    expect(planNaclEntryChanges(current, ['2a05:d079::/36'], V6)).toEqual({ changes: [] });
    expect(planNaclEntryChanges(current, ['1.0.0.0/24'], V4)).toEqual({ changes: [] });
  });

  test('no IPv6 CIDRs, or more than the range holds, plan nothing and say which family', () => {
    expect(planNaclEntryChanges([allow(210, '2a05:d079::/36')], [], V6)).toEqual({
      changes: [], error: 'no S3 IPv6 CIDRs to allow: left the IPv6 outbound entries 210-212 as they are',
    });
    const plan = planNaclEntryChanges([], ['2a05:1::/32', '2a05:2::/32', '2a05:3::/32', '2a05:4::/32'], V6);
    expect(plan.changes).toEqual([]);
    expect(plan.error).toMatch(/^4 S3 IPv6 CIDRs do not fit in the 3 IPv6 outbound rule numbers 210-212: left the entries as they are; raise ipv6\.maxEntriesPerDirection/);
  });
});

describe('naclQuotaError per address family', () => {
  const ipv4Others = Array.from({ length: 19 }, (_, i) => allow(100 + i, `10.${i}.0.0/16`));
  const ipv6Others = Array.from({ length: 19 }, (_, i) => allow(100 + i, `2001:db8:${i}::/48`));

  test('IPv4 entries do not count against the IPv6 quota, nor IPv6 entries against the IPv4 one', () => {
    expect(naclQuotaError(ipv4Others, 2, V6, 20)).toBeUndefined();
    expect(naclQuotaError(ipv6Others, 2, V4, 20)).toBeUndefined();
  });

  test('IPv6 entries count against the IPv6 quota, and the message names the family', () => {
    expect(naclQuotaError(ipv6Others, 2, V6, 20)).toBe('21 IPv6 outbound entries (19 other + 2 for the S3 IPv6 CIDRs) would exceed '
      + 'the quota of 20 IPv6 rules per network ACL direction: left the entries as they are; request a quota increase of '
      + '"Rules per network ACL" in Service Quotas and raise naclEntryQuota, or remove entries from the ACL');
  });

  test('entries in the updater\'s other ranges (which it rewrites) are not counted as others', () => {
    // GIVEN 18 other IPv6 entries and an IPv6 entry left in the IPv4 range, which the IPv4 reconciliation replaces
    const current = [...ipv6Others.slice(0, 18), allow(200, '2a05:d079::/36')];
    expect(naclQuotaError(current, 2, V6, 20)).toMatch(/^21 IPv6 outbound entries/);
    expect(naclQuotaError(current, 2, V6, 20, [V4, V6])).toBeUndefined();
  });
});

const CONFIG: NaclUpdaterConfig = {
  networkAclIds: ['acl-1'], region: 'eu-west-1', egressRuleNumberStart: 200, ingressRuleNumberStart: 300, maxEntriesPerDirection: 2,
};
const DUALSTACK: NaclUpdaterConfig = { ...CONFIG, ipv6: { egressRuleNumberStart: 202, ingressRuleNumberStart: 302, maxEntriesPerDirection: 3 } };
const IP_RANGES = {
  syncToken: '1',
  createDate: '2024-01-01-00-00-00',
  prefixes: [
    { ip_prefix: '3.5.64.0/21', region: 'eu-west-1', service: 'S3' },
    { ip_prefix: '52.218.0.0/17', region: 'eu-west-1', service: 'S3' },
  ],
  ipv6_prefixes: [
    { ipv6_prefix: '2a05:d07a:8000::/40', region: 'eu-west-1', service: 'S3' },
    { ipv6_prefix: '2a05:d079::/36', region: 'eu-west-1', service: 'S3' },
    { ipv6_prefix: '2a05:d079::/36', region: 'eu-west-1', service: 'AMAZON' },
    { ipv6_prefix: '2a05:d000::/25', region: 'eu-west-1', service: 'EC2' },
    { ipv6_prefix: '2600:1ffa::/32', region: 'us-east-1', service: 'S3' },
  ],
};
const V4_OUT = ['200 3.5.64.0/21 443-443', '201 52.218.0.0/17 443-443'];
const V6_OUT = ['202 2a05:d079::/36 443-443', '203 2a05:d07a:8000::/40 443-443'];
const V6_IN = ['302 2a05:d079::/36 1024-65535', '303 2a05:d07a:8000::/40 1024-65535'];

describe('the shipped Lambda handler with IPv6 ranges', () => {
  test('a notification writes the S3 IPv6 CIDRs of the region with Ipv6CidrBlock, after the IPv4 ones; a second changes nothing', async () => {
    // GIVEN
    const h = new Harness(DUALSTACK, IP_RANGES);
    // WHEN
    const first = await h.invoke(notification(h.body));
    const second = await h.invoke(notification(h.body));
    // THEN
    expect(first.ipv6Cidrs).toEqual(['2a05:d079::/36', '2a05:d07a:8000::/40']);
    expect(h.entries('acl-1', true)).toEqual([...V4_OUT, ...V6_OUT]);
    expect(h.entries('acl-1', false)).toEqual(['300 3.5.64.0/21 1024-65535', '301 52.218.0.0/17 1024-65535', ...V6_IN]);
    const v6 = h.acls.get('acl-1')!.filter((e) => e.RuleNumber === 202 || e.RuleNumber === 302);
    expect(v6.map((e) => [e.Ipv6CidrBlock, e.CidrBlock])).toEqual([['2a05:d079::/36', undefined], ['2a05:d079::/36', undefined]]);
    expect(second).toMatchObject({ changes: 0, errors: [] });
  });

  test('settings without ipv6 write no IPv6 entry, though the published file has IPv6 prefixes', async () => {
    const h = new Harness(CONFIG, IP_RANGES);
    const result = await h.invoke(notification(h.body));
    expect(result.ipv6Cidrs).toEqual([]);
    expect(h.entries('acl-1', true)).toEqual(V4_OUT);
    expect(h.acls.get('acl-1')!.some((e) => e.Ipv6CidrBlock !== undefined)).toBe(false);
  });

  test('IPv6 CIDRs that do not fit fail the deployment and leave the ACL as it is, IPv4 entries included', async () => {
    // GIVEN room for one IPv6 CIDR of the two
    const h = new Harness(DUALSTACK, IP_RANGES);
    const tight = { ...DUALSTACK, ipv6: { ...DUALSTACK.ipv6!, maxEntriesPerDirection: 1 } };
    // WHEN
    await h.invoke(customResource('Create', tight));
    // THEN
    expect(h.responses[0]).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/2 S3 IPv6 CIDRs do not fit in the 1 IPv6 outbound rule numbers 202-202/) });
    expect(h.calls).toEqual(['DescribeNetworkAcls']);
    expect([...h.entries('acl-1', true), ...h.entries('acl-1', false)]).toEqual([]);
  });

  test('an update from settings without ipv6 adds the IPv6 entries and releases none of the IPv4 ones', async () => {
    // GIVEN a deployment from before IPv6
    const h = new Harness(CONFIG, IP_RANGES);
    await h.invoke(customResource('Create', CONFIG));
    h.calls.length = 0;
    // WHEN
    await h.invoke(customResource('Update', DUALSTACK, CONFIG));
    // THEN
    expect(h.responses.map((r) => r.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(h.entries('acl-1', true)).toEqual([...V4_OUT, ...V6_OUT]);
    expect(h.calls.filter((c) => c !== 'DescribeNetworkAcls')).toEqual(Array(4).fill('CreateNetworkAclEntry'));
  });

  test('an update that drops ipv6 releases the IPv6 entries and keeps the IPv4 ones', async () => {
    const h = new Harness(DUALSTACK, IP_RANGES);
    await h.invoke(customResource('Create', DUALSTACK));
    await h.invoke(customResource('Update', CONFIG, DUALSTACK));
    expect(h.entries('acl-1', true)).toEqual(V4_OUT);
    expect(h.entries('acl-1', false)).toEqual(['300 3.5.64.0/21 1024-65535', '301 52.218.0.0/17 1024-65535']);
  });

  test('an IPv4 entry left in the IPv6 range (a larger IPv4 block before) is replaced by an IPv6 one, not kept', async () => {
    // GIVEN IPv4 entries at 200-202 from settings whose IPv4 block held 3 numbers
    const before = { ...CONFIG, maxEntriesPerDirection: 3 };
    const h = new Harness(before, { ...IP_RANGES, prefixes: [...IP_RANGES.prefixes, { ip_prefix: '16.12.0.0/23', region: 'eu-west-1', service: 'S3' }] });
    await h.invoke(customResource('Create', before));
    h.body = JSON.stringify(IP_RANGES);
    // WHEN
    await h.invoke(customResource('Update', DUALSTACK, before));
    // THEN
    expect(h.entries('acl-1', true)).toEqual([...V4_OUT, ...V6_OUT]);
    expect(h.acls.get('acl-1')!.find((e) => e.RuleNumber === 202 && e.Egress)).toMatchObject({ Ipv6CidrBlock: '2a05:d079::/36' });
    expect(h.acls.get('acl-1')!.find((e) => e.RuleNumber === 202 && e.Egress)!.CidrBlock).toBeUndefined();
  });

  test('a stack deletion removes the IPv6 entries too, and the user\'s stay', async () => {
    const h = new Harness(DUALSTACK, IP_RANGES);
    await h.invoke(customResource('Create', DUALSTACK));
    h.acls.get('acl-1')!.push(allow(100, '2001:db8::/32'));
    await h.invoke(customResource('Delete', DUALSTACK));
    expect(h.entries('acl-1', true)).toEqual(['100 2001:db8::/32 443-443']);
    expect(h.entries('acl-1', false)).toEqual([]);
  });
});
