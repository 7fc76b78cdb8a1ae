import {
  CreateNetworkAclEntryCommand, DeleteNetworkAclEntryCommand, DescribeNetworkAclsCommand, EC2Client, NetworkAclEntry,
  ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { naclUpdaterHandlerCode } from '../../lib/network/nacl-cidr-updater-code';
import type { NaclUpdaterConfig } from '../../lib/network/nacl-cidr-updater-reconcile';

/*
 * The function that writes the network-ACL entries at deploy time (environment-agnostic stacks, keepNaclCidrsCurrent),
 * driven as CloudFormation drives its custom resource: the shipped inline source, the real AWS SDK v3 EC2 client
 * with its calls answered by aws-sdk-client-mock over a stateful ACL, and ip-ranges.json and the response URL faked.
 */

const ACL = 'acl-0123456789abcdef0';
const CONFIG: NaclUpdaterConfig = {
  networkAclIds: [ACL], region: 'eu-west-1', egressRuleNumberStart: 500, ingressRuleNumberStart: 500, maxEntriesPerDirection: 10, entryQuota: 20,
};
const DEFAULT_RULES: NetworkAclEntry[] = [
  { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
];
const USER_RULE: NetworkAclEntry = { RuleNumber: 100, Egress: true, Protocol: '6', RuleAction: 'allow', CidrBlock: '10.0.0.0/8', PortRange: { From: 443, To: 443 } };

function ipRanges(cidrs: string[], ipv6: string[] = []): string {
  return JSON.stringify({
    syncToken: '1',
    createDate: '2024-01-01-00-00-00',
    prefixes: cidrs.map((ip_prefix) => ({ ip_prefix, region: 'eu-west-1', service: 'S3' })),
    ipv6_prefixes: ipv6.map((ipv6_prefix) => ({ ipv6_prefix, region: 'eu-west-1', service: 'S3' })),
  });
}

/** The ACL's state behind the mocked EC2 API, the CloudFormation responses, and the shipped handler. */
class Deployment {
  public readonly ec2 = mockClient(EC2Client);
  public readonly responses: any[] = [];
  public acl: NetworkAclEntry[] | undefined;
  public ranges: string;

  constructor(entries: NetworkAclEntry[], cidrs: string[], ipv6: string[] = []) {
    this.acl = [...DEFAULT_RULES, ...entries];
    this.ranges = ipRanges(cidrs, ipv6);
    this.ec2.on(DescribeNetworkAclsCommand).callsFake(async (input) => {
      if (!this.acl) {
        throw Object.assign(new Error(`The networkAcl ID '${input.NetworkAclIds[0]}' does not exist`), { name: 'InvalidNetworkAclID.NotFound' });
      }
      return { NetworkAcls: [{ NetworkAclId: ACL, Entries: this.acl.map((e) => ({ ...e })) }] };
    });
    const write = (replace: boolean) => async (input: any) => {
      const index = this.acl!.findIndex((e) => e.RuleNumber === input.RuleNumber && e.Egress === input.Egress);
      if ((index >= 0) !== replace) throw Object.assign(new Error('bad entry call'), { name: replace ? 'InvalidNetworkAclEntry.NotFound' : 'NetworkAclEntryAlreadyExists' });
      const { NetworkAclId: _id, ...entry } = input;
      this.acl!.splice(replace ? index : this.acl!.length, replace ? 1 : 0, entry);
      return {};
    };
    this.ec2.on(CreateNetworkAclEntryCommand).callsFake(write(false));
    this.ec2.on(ReplaceNetworkAclEntryCommand).callsFake(write(true));
    this.ec2.on(DeleteNetworkAclEntryCommand).callsFake(async (input) => {
      this.acl = this.acl!.filter((e) => !(e.RuleNumber === input.RuleNumber && e.Egress === input.Egress));
      return {};
    });
  }

  /** The entries of one direction, as `<rule> <cidr> <from>-<to>`, defaults left out. */
  public entries(egress: boolean): string[] {
    return (this.acl ?? []).filter((e) => e.Egress === egress && e.RuleNumber! < 32767)
      .sort((a, b) => a.RuleNumber! - b.RuleNumber!)
      .map((e) => `${e.RuleNumber} ${e.Ipv6CidrBlock ?? e.CidrBlock} ${e.PortRange?.From}-${e.PortRange?.To}`);
  }

  public async send(requestType: 'Create' | 'Update' | 'Delete', config: NaclUpdaterConfig, old?: NaclUpdaterConfig): Promise<any> {
    const module = { exports: {} as any };
    const fetch = async (url: string, init?: any) => {
      if (init?.method === 'PUT') {
        this.responses.push(JSON.parse(init.body));
        return { ok: true, status: 200, text: async () => '' };
      }
      expect(url).toBe('https://ip-ranges.amazonaws.com/ip-ranges.json');
      return { ok: true, status: 200, text: async () => this.ranges };
    };
    const quiet = { log: () => undefined, error: () => undefined };
    // the handler's own require, so it loads the real @aws-sdk/client-ec2 that aws-sdk-client-mock patches
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('exports', 'require', 'process', 'fetch', 'console', naclUpdaterHandlerCode())(module.exports, require, { env: {} }, fetch, quiet);
    await module.exports.handler({
      RequestType: requestType,
      ResponseURL: 'https://cloudformation-custom-resource-response.example/abc',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Stack/1',
      RequestId: `${requestType}-1`,
      LogicalResourceId: 'S3NaclEntriesUpdaterInitialSync',
      PhysicalResourceId: requestType === 'Create' ? undefined : 'S3NaclEntriesUpdaterInitialSync-s3-nacl-cidrs',
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f', Config: JSON.stringify(config) },
      OldResourceProperties: old ? { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f', Config: JSON.stringify(old) } : undefined,
    });
    return this.responses[this.responses.length - 1];
  }
}

describe('the deploy-time NACL writer, through the AWS SDK (aws-sdk-client-mock)', () => {
  let deployment: Deployment | undefined;
  afterEach(() => deployment?.ec2.restore());

  test('Create writes outbound 443 and inbound 1024-65535 entries for each S3 CIDR and answers SUCCESS', async () => {
    // GIVEN an ACL with the user's own entry
    deployment = new Deployment([USER_RULE], ['52.218.0.0/17', '3.5.64.0/21']);
    // WHEN
    const response = await deployment.send('Create', CONFIG);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'S3NaclEntriesUpdaterInitialSync-s3-nacl-cidrs', RequestId: 'Create-1' });
    expect(deployment.entries(true)).toEqual(['100 10.0.0.0/8 443-443', '500 3.5.64.0/21 443-443', '501 52.218.0.0/17 443-443']);
    expect(deployment.entries(false)).toEqual(['500 3.5.64.0/21 1024-65535', '501 52.218.0.0/17 1024-65535']);
    expect(deployment.ec2.commandCalls(CreateNetworkAclEntryCommand)[0].args[0].input).toEqual({
      NetworkAclId: ACL, RuleNumber: 500, Egress: true, Protocol: '6', RuleAction: 'allow', CidrBlock: '3.5.64.0/21', PortRange: { From: 443, To: 443 },
    });
  });

  test('Update follows the ranges AWS publishes now, and releases rule numbers the old settings owned', async () => {
    // GIVEN entries written at create time
    deployment = new Deployment([USER_RULE], ['52.218.0.0/17', '3.5.64.0/21']);
    await deployment.send('Create', CONFIG);
    // WHEN AWS drops one CIDR and adds another, and the update moves the outbound block
    deployment.ranges = ipRanges(['3.5.64.0/21', '16.12.0.0/23']);
    const moved = { ...CONFIG, egressRuleNumberStart: 600 };
    const response = await deployment.send('Update', moved, CONFIG);
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(deployment.entries(true)).toEqual(['100 10.0.0.0/8 443-443', '600 3.5.64.0/21 443-443', '601 16.12.0.0/23 443-443']);
    expect(deployment.entries(false)).toEqual(['500 3.5.64.0/21 1024-65535', '501 16.12.0.0/23 1024-65535']);
    expect(deployment.ec2.commandCalls(ReplaceNetworkAclEntryCommand).map((c) => c.args[0].input.CidrBlock)).toEqual(['16.12.0.0/23']);
  });

  test('Delete removes the entries it wrote, keeps the user\'s, and succeeds when the ACL is already gone', async () => {
    // GIVEN
    deployment = new Deployment([USER_RULE], ['52.218.0.0/17', '3.5.64.0/21']);
    await deployment.send('Create', CONFIG);
    // WHEN
    const deleted = await deployment.send('Delete', CONFIG);
    // THEN
    expect(deleted.Status).toBe('SUCCESS');
    expect([...deployment.entries(true), ...deployment.entries(false)]).toEqual(['100 10.0.0.0/8 443-443']);
    // and a second delete, with the ACL gone, neither fails nor calls a write
    deployment.acl = undefined;
    const calls = deployment.ec2.calls().length;
    expect((await deployment.send('Delete', CONFIG)).Status).toBe('SUCCESS');
    expect(deployment.ec2.calls().slice(calls).map((c) => c.args[0].constructor.name)).toEqual(['DescribeNetworkAclsCommand']);
  });

  test('quota exhaustion: an ACL whose other entries leave too little room fails the deployment with the reason, unchanged', async () => {
    // GIVEN 19 other outbound entries and 2 S3 CIDRs, with a quota of 20
    const others = Array.from({ length: 19 }, (_, i) => ({ ...USER_RULE, RuleNumber: 100 + i }));
    deployment = new Deployment(others, ['52.218.0.0/17', '3.5.64.0/21']);
    // WHEN
    const response = await deployment.send('Create', CONFIG);
    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`${ACL} (eu-west-1): 21 outbound entries (19 other + 2 for the S3 CIDRs) would exceed the quota of 20 ` +
      'rules per network ACL direction: left the entries as they are; request a quota increase of "Rules per network ACL" in ' +
      'Service Quotas and raise naclEntryQuota, or remove entries from the ACL');
    expect(deployment.ec2.commandCalls(CreateNetworkAclEntryCommand)).toHaveLength(0);
    expect(deployment.entries(true)).toHaveLength(19);
  });

  test('quota: the default * rules and the writer\'s own entries do not count against it', async () => {
    // GIVEN 18 other outbound entries, the writer's own two, and the default rule: 18 + 2 = 20 fits
    const others = Array.from({ length: 18 }, (_, i) => ({ ...USER_RULE, RuleNumber: 100 + i }));
    deployment = new Deployment(others, ['52.218.0.0/17', '3.5.64.0/21']);
    await deployment.send('Create', CONFIG);
    // WHEN an update runs again over its own entries
    const response = await deployment.send('Update', CONFIG, CONFIG);
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(deployment.entries(true)).toHaveLength(20);
  });

  test('dualstack: Create writes the IPv6 entries with Ipv6CidrBlock, in their own block after the IPv4 one', async () => {
    // GIVEN settings with IPv6 ranges, as S3PrivateAccess passes them for a dualstack endpoint
    deployment = new Deployment([USER_RULE], ['3.5.64.0/21'], ['2a05:d07a:8000::/40']);
    const ipv6 = { egressRuleNumberStart: 505, ingressRuleNumberStart: 505, maxEntriesPerDirection: 5 };
    const config = { ...CONFIG, maxEntriesPerDirection: 5, ipv6 };
    // WHEN
    const response = await deployment.send('Create', config);
    // THEN
    expect(response.Status).toBe('SUCCESS');
    expect(deployment.entries(true)).toEqual(['100 10.0.0.0/8 443-443', '500 3.5.64.0/21 443-443', '505 2a05:d07a:8000::/40 443-443']);
    expect(deployment.entries(false)).toEqual(['500 3.5.64.0/21 1024-65535', '505 2a05:d07a:8000::/40 1024-65535']);
    expect(deployment.ec2.commandCalls(CreateNetworkAclEntryCommand).map((c) => c.args[0].input).filter((i) => i.RuleNumber === 505)).toEqual([
      { NetworkAclId: ACL, RuleNumber: 505, Egress: true, Protocol: '6', RuleAction: 'allow', Ipv6CidrBlock: '2a05:d07a:8000::/40', PortRange: { From: 443, To: 443 } },
      { NetworkAclId: ACL, RuleNumber: 505, Egress: false, Protocol: '6', RuleAction: 'allow', Ipv6CidrBlock: '2a05:d07a:8000::/40', PortRange: { From: 1024, To: 65535 } },
    ]);
  });

  test('dualstack quota: IPv6 entries count against the IPv6 quota only, and a full one fails the deployment, the ACL unchanged', async () => {
    // GIVEN 19 other IPv4 and 19 other IPv6 outbound entries, one S3 CIDR of each family, a quota of 20
    const others4 = Array.from({ length: 19 }, (_, i) => ({ ...USER_RULE, RuleNumber: 100 + i }));
    const others6 = Array.from({ length: 19 }, (_, i) => ({ ...USER_RULE, RuleNumber: 200 + i, CidrBlock: undefined, Ipv6CidrBlock: `2001:db8:${i}::/48` }));
    const config = { ...CONFIG, ipv6: { egressRuleNumberStart: 510, ingressRuleNumberStart: 510, maxEntriesPerDirection: 10 } };
    // WHEN one IPv6 CIDR: 19 + 1 fits each quota
    deployment = new Deployment([...others4, ...others6], ['3.5.64.0/21'], ['2a05:d07a:8000::/40']);
    expect((await deployment.send('Create', config)).Status).toBe('SUCCESS');
    deployment.ec2.restore();
    // WHEN two IPv6 CIDRs: 19 + 2 exceeds the IPv6 quota
    deployment = new Deployment([...others4, ...others6], ['3.5.64.0/21'], ['2a05:d07a:8000::/40', '2a05:d079::/36']);
    const response = await deployment.send('Create', config);
    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`${ACL} (eu-west-1): 21 IPv6 outbound entries (19 other + 2 for the S3 IPv6 CIDRs) would exceed the quota of 20 ` +
      'IPv6 rules per network ACL direction: left the entries as they are; request a quota increase of "Rules per network ACL" in ' +
      'Service Quotas and raise naclEntryQuota, or remove entries from the ACL');
    expect(deployment.ec2.commandCalls(CreateNetworkAclEntryCommand)).toHaveLength(0);
  });
});
