import * as crypto from 'crypto';
import { naclUpdaterHandlerCode } from '../../lib/network/nacl-cidr-updater-code';
import type { NaclEntry, NaclUpdaterConfig } from '../../lib/network/nacl-cidr-updater-reconcile';

/** The shipped handler, run against a fake EC2 that keeps state, a fake fetch, and captured logs. */
export class Harness {
  public readonly acls = new Map<string, NaclEntry[]>();
  public readonly calls: string[] = [];
  public readonly logs: { level: string; message: string }[] = [];
  public readonly responses: any[] = [];
  public body: string;

  constructor(public readonly config: NaclUpdaterConfig, ipRanges: unknown) {
    this.body = JSON.stringify(ipRanges);
    for (const id of config.networkAclIds) {
      this.acls.set(id, [{ RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' }]);
    }
  }

  public entries(id: string, egress: boolean): string[] {
    return this.acls.get(id)!.filter((e) => e.Egress === egress && e.RuleNumber !== 32767)
      .sort((a, b) => a.RuleNumber! - b.RuleNumber!)
      .map((e) => `${e.RuleNumber} ${e.Ipv6CidrBlock ?? e.CidrBlock} ${e.PortRange?.From}-${e.PortRange?.To}`);
  }

  public async invoke(event: unknown): Promise<any> {
    const module = { exports: {} as any };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('exports', 'require', 'process', 'fetch', 'console', naclUpdaterHandlerCode())(
      module.exports, (name: string) => this.require(name), { env: { NACL_UPDATER_CONFIG: JSON.stringify(this.config) } },
      (url: string, init?: any) => this.fetch(url, init), {
        log: (text: string) => this.logs.push(JSON.parse(text)),
        error: (text: string) => this.logs.push(JSON.parse(text)),
      });
    return module.exports.handler(event);
  }

  private require(name: string): unknown {
    if (name === 'crypto') {
      return crypto;
    }
    expect(name).toBe('@aws-sdk/client-ec2');
    const ec2 = (command: string, input: any) => this.ec2(command, input);
    return new Proxy({}, {
      get: (_target, key: string) => key === 'EC2Client'
        ? class { public send(c: { name: string; input: unknown }) { return ec2(c.name, c.input); } }
        : class { public readonly name = key.replace(/Command$/, ''); constructor(public readonly input: unknown) {} },
    });
  }

  private async fetch(url: string, init?: any): Promise<unknown> {
    if (init?.method === 'PUT') {
      this.responses.push({ url, headers: init.headers, ...JSON.parse(init.body) });
      return { ok: true, status: 200, text: async () => '' };
    }
    expect(url).toBe('https://ip-ranges.amazonaws.com/ip-ranges.json');
    return { ok: true, status: 200, text: async () => this.body };
  }

  private async ec2(command: string, input: any): Promise<unknown> {
    this.calls.push(command);
    if (command === 'DescribeNetworkAcls') {
      const id = input.NetworkAclIds[0];
      if (!this.acls.has(id)) {
        throw Object.assign(new Error(`The networkAcl ID '${id}' does not exist`), { name: 'InvalidNetworkAclID.NotFound' });
      }
      return { NetworkAcls: [{ NetworkAclId: id, Entries: this.acls.get(id)!.map((e) => ({ ...e })) }] };
    }
    const entries = this.acls.get(input.NetworkAclId)!;
    const index = entries.findIndex((e) => e.RuleNumber === input.RuleNumber && e.Egress === input.Egress);
    // EC2 rejects a call that sets both families, and keeps only the one given
    expect(input.CidrBlock !== undefined && input.Ipv6CidrBlock !== undefined).toBe(false);
    const entry = {
      RuleNumber: input.RuleNumber,
      Egress: input.Egress,
      Protocol: input.Protocol,
      RuleAction: input.RuleAction,
      ...(input.Ipv6CidrBlock !== undefined ? { Ipv6CidrBlock: input.Ipv6CidrBlock } : { CidrBlock: input.CidrBlock }),
      PortRange: input.PortRange,
    };
    if (command === 'CreateNetworkAclEntry') {
      expect(index).toBe(-1);
      entries.push(entry);
    } else {
      expect(index).toBeGreaterThanOrEqual(0);
      entries.splice(index, 1, ...(command === 'ReplaceNetworkAclEntry' ? [entry] : []));
    }
    return {};
  }
}

export function notification(body: string, md5 = crypto.createHash('md5').update(body).digest('hex')) {
  return { Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify({ 'create-time': 'x', 'synctoken': '1', md5, 'url': 'https://ip-ranges.amazonaws.com/ip-ranges.json' }) } }] };
}

export function customResource(requestType: string, config: NaclUpdaterConfig, old?: NaclUpdaterConfig) {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-response.example/abc?sig=1',
    StackId: 'stack',
    RequestId: 'req',
    LogicalResourceId: 'Sync',
    PhysicalResourceId: requestType === 'Create' ? undefined : 'Sync-s3-nacl-cidrs',
    ResourceProperties: { ServiceToken: 'arn', Config: JSON.stringify(config) },
    OldResourceProperties: old ? { ServiceToken: 'arn', Config: JSON.stringify(old) } : undefined,
  };
}
