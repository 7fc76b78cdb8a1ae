/**
 * What the network-ACL updater's Lambda does: on an `AmazonIpSpaceChanged` notification (or a CloudFormation
 * custom-resource event at deploy time), download ip-ranges.json, compute the region's S3 IPv4 CIDRs (and IPv6 CIDRs,
 * when the settings have IPv6 ranges), and reconcile the entries in the updater's rule-number ranges.
 *
 * The Lambda runs this exact code (its inline source is assembled from these functions' text, see
 * nacl-cidr-updater-code.ts), so: only `function` declarations that call functions of this file, `cidr.*` and
 * `reconcile.*` (namespace imports, whose names the assembled source binds) and JavaScript/Node.js built-ins. All
 * AWS calls and network access go through `NaclUpdaterIo`, which tests replace with fakes.
 */
import * as reconcile from './nacl-cidr-updater-reconcile';
import type { NaclChange, NaclDirectionSpec, NaclEntry, NaclUpdaterConfig } from './nacl-cidr-updater-reconcile';
import * as cidr from '../aws/s3-ranges-cidr';

/** Everything the updater needs from the outside world. */
export interface NaclUpdaterIo {
  /** Settings for notifications (custom-resource events carry their own in `ResourceProperties.Config`). */
  readonly config: NaclUpdaterConfig;
  /** Sends an EC2 API call by name (`DescribeNetworkAcls`, `CreateNetworkAclEntry`, ...). */
  send(command: string, input: Record<string, unknown>): Promise<any>;
  fetchText(url: string): Promise<string>;
  putText(url: string, body: string): Promise<void>;
  md5(text: string): string;
  log(level: 'info' | 'error', message: string): void;
}

/** The outcome of one reconciliation. */
export interface NaclSyncResult {
  readonly cidrs: string[];
  /** The IPv6 CIDRs; empty when the settings have no IPv6 ranges. */
  readonly ipv6Cidrs: string[];
  readonly changes: number;
  readonly errors: string[];
}

/** The S3 IPv4 CIDRs to allow for `region`, summarized exactly as `s3NaclIpv4Cidrs` does for the bundled snapshot. */
export function s3NaclCidrsFromIpRanges(doc: unknown, region: string): string[] {
  return cidr.summarizeIpv4Cidrs(cidr.groupS3Prefixes(doc).ipv4[region] ?? []);
}

/**
 * The S3 IPv6 CIDRs to allow for `region`: the published prefixes, deduplicated and sorted, exactly as the bundled
 * snapshot holds them (`s3Ipv6Cidrs`, which synth-time IPv6 entries use).
 */
export function s3NaclIpv6CidrsFromIpRanges(doc: unknown, region: string): string[] {
  return cidr.groupS3Prefixes(doc).ipv6[region] ?? [];
}

/** The entries of one network ACL, or undefined when the ACL does not exist. */
export async function describeNaclEntries(io: NaclUpdaterIo, networkAclId: string): Promise<NaclEntry[] | undefined> {
  try {
    const output = await io.send('DescribeNetworkAcls', { NetworkAclIds: [networkAclId] });
    const acl = (output?.NetworkAcls ?? [])[0];
    return acl ? (acl.Entries ?? []) : undefined;
  } catch (e: any) {
    if (String(e?.name ?? e?.Code ?? '').includes('NotFound')) {
      return undefined;
    }
    throw e;
  }
}

/**
 * Makes the planned calls in order (replacements and creations before deletions, as planned); an entry with
 * `ipv6CidrBlock` is written with `Ipv6CidrBlock` instead of `CidrBlock`.
 */
export async function applyNaclChanges(io: NaclUpdaterIo, networkAclId: string, changes: readonly NaclChange[], spec?: NaclDirectionSpec) {
  for (const change of changes) {
    if (change.action === 'delete') {
      await io.send('DeleteNetworkAclEntry', { NetworkAclId: networkAclId, RuleNumber: change.ruleNumber, Egress: change.egress });
    } else {
      await io.send(change.action === 'create' ? 'CreateNetworkAclEntry' : 'ReplaceNetworkAclEntry', {
        NetworkAclId: networkAclId,
        RuleNumber: change.ruleNumber,
        Egress: change.egress,
        Protocol: '6',
        RuleAction: 'allow',
        ...(change.ipv6CidrBlock !== undefined ? { Ipv6CidrBlock: change.ipv6CidrBlock } : { CidrBlock: change.cidrBlock }),
        PortRange: { From: spec?.fromPort, To: spec?.toPort },
      });
    }
    const block = change.ipv6CidrBlock ?? change.cidrBlock;
    io.log('info', `${networkAclId}: ${change.action} ${change.egress ? 'outbound' : 'inbound'} rule ${change.ruleNumber}`
      + (block ? ` ${block}` : ''));
  }
}

/**
 * Downloads ip-ranges.json and reconciles every ACL of `config`. A direction or address family that cannot be
 * reconciled (too many CIDRs, none at all, more entries than the quota of its family) is logged as an error and its
 * ACL is left as it is, every direction and family; the other ACLs are still reconciled.
 *
 * @param expectedMd5 the notification's `md5`: a download that does not match changes nothing and throws
 */
export async function syncNetworkAcls(io: NaclUpdaterIo, config: NaclUpdaterConfig, expectedMd5?: string): Promise<NaclSyncResult> {
  const text = await io.fetchText('https://ip-ranges.amazonaws.com/ip-ranges.json');
  if (expectedMd5 && io.md5(text) !== expectedMd5) {
    throw new Error(`ip-ranges.json does not match the notification's md5 ${expectedMd5}: changed no network ACL (the invocation is retried)`);
  }
  const doc = JSON.parse(text);
  const cidrs = s3NaclCidrsFromIpRanges(doc, config.region);
  const ipv6Cidrs = config.ipv6 ? s3NaclIpv6CidrsFromIpRanges(doc, config.region) : [];
  const specs = reconcile.naclDirectionSpecs(config);
  const errors: string[] = [];
  let changes = 0;
  for (const networkAclId of config.networkAclIds) {
    const entries = await describeNaclEntries(io, networkAclId);
    if (!entries) {
      errors.push(`network ACL ${networkAclId} not found`);
      continue;
    }
    // plan every direction and family first: an ACL that cannot take them all is left as it is, not half changed
    const planned = specs.map((spec) => {
      const desired = spec.ipv6 ? ipv6Cidrs : cidrs;
      const plan = reconcile.planNaclEntryChanges(entries, desired, spec);
      const count = new Set(desired.map(reconcile.naclCidrKey)).size;
      const error = plan.error ?? (typeof config.entryQuota === 'number'
        ? reconcile.naclQuotaError(entries, count, spec, config.entryQuota, specs) : undefined);
      return { spec, plan, error };
    });
    const failed = planned.filter((p) => p.error !== undefined);
    if (failed.length > 0) {
      failed.forEach((p) => errors.push(`${networkAclId} (${config.region}): ${p.error}`));
      continue;
    }
    for (const { spec, plan } of planned) {
      await applyNaclChanges(io, networkAclId, plan.changes, spec);
      changes += plan.changes.length;
    }
  }
  for (const error of errors) {
    io.log('error', error);
  }
  io.log('info', `${config.region}: ${cidrs.length} S3 CIDRs`
    + (config.ipv6 ? ` and ${ipv6Cidrs.length} IPv6 CIDRs` : '')
    + `, ${changes} entry changes on ${config.networkAclIds.length} network ACLs`);
  return { cidrs, ipv6Cidrs, changes, errors };
}

/**
 * Deletes the updater's entries from the ACLs of `config` (IPv4 and IPv6 ranges), except those that `keep` (the
 * settings after an update) still owns, in either family. Missing ACLs are skipped.
 */
export async function removeNaclEntries(io: NaclUpdaterIo, config: NaclUpdaterConfig, keep?: NaclUpdaterConfig) {
  for (const networkAclId of config.networkAclIds) {
    const entries = await describeNaclEntries(io, networkAclId);
    if (!entries) {
      continue;
    }
    const keepSpecs = keep && keep.networkAclIds.includes(networkAclId) ? reconcile.naclDirectionSpecs(keep) : [];
    for (const spec of reconcile.naclDirectionSpecs(config)) {
      const ranges = keepSpecs.filter((k) => k.egress === spec.egress).map((k) => ({ start: k.ruleNumberStart, count: k.maxEntries }));
      await applyNaclChanges(io, networkAclId, reconcile.planNaclEntryRemoval(entries, spec.egress, spec.ruleNumberStart, spec.maxEntries, ranges));
    }
  }
}

/**
 * A CloudFormation custom-resource event: Create/Update reconcile now (and fail the deployment when an ACL cannot
 * hold the CIDRs), Update also releases rule numbers the old settings owned, Delete removes the entries (never
 * failing, so a stack can always be deleted). Answers CloudFormation through `ResponseURL`.
 */
export async function handleNaclCustomResourceEvent(event: any, io: NaclUpdaterIo): Promise<{ Status: string }> {
  const config: NaclUpdaterConfig = JSON.parse(event.ResourceProperties?.Config ?? 'null') ?? io.config;
  let status = 'SUCCESS';
  let reason = 'network ACL entries match the S3 CIDRs';
  try {
    if (event.RequestType === 'Delete') {
      await removeNaclEntries(io, config);
    } else {
      const result = await syncNetworkAcls(io, config);
      if (result.errors.length > 0) {
        throw new Error(result.errors.join('; '));
      }
      const old: NaclUpdaterConfig | null = event.RequestType === 'Update' ? JSON.parse(event.OldResourceProperties?.Config ?? 'null') : null;
      if (old) {
        await removeNaclEntries(io, old, config);
      }
    }
  } catch (e: any) {
    io.log('error', String(e?.message ?? e));
    if (event.RequestType !== 'Delete') {
      status = 'FAILED';
      reason = String(e?.message ?? e).slice(0, 2000);
    }
  }
  await io.putText(event.ResponseURL, JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-s3-nacl-cidrs`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: {},
  }));
  return { Status: status };
}

/** The Lambda entry point's logic: custom-resource events and SNS notifications (`Sns.Message` carries `md5`). */
export async function handleNaclUpdaterEvent(event: any, io: NaclUpdaterIo): Promise<unknown> {
  if (event && typeof event.RequestType === 'string') {
    return handleNaclCustomResourceEvent(event, io);
  }
  const message = JSON.parse(event?.Records?.[0]?.Sns?.Message ?? '{}');
  return syncNetworkAcls(io, io.config, typeof message.md5 === 'string' ? message.md5 : undefined);
}

/** The real `NaclUpdaterIo` inside Lambda: AWS SDK v3 from the runtime, global fetch, settings from the environment. */
export function createRuntimeIo(): NaclUpdaterIo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const sdk = require('@aws-sdk/client-ec2');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require('crypto');
  const client = new sdk.EC2Client({});
  const request = async (url: string, init?: Record<string, unknown>) => {
    const response = await fetch(url, init);
    if (!response.ok) {
      throw new Error(`${String(init?.method ?? 'GET')} ${url.split('?')[0]} answered ${response.status}`);
    }
    return response.text();
  };
  return {
    config: JSON.parse(process.env.NACL_UPDATER_CONFIG ?? 'null'),
    send: (command, input) => client.send(new sdk[`${command}Command`](input)),
    fetchText: (url) => request(url),
    putText: async (url, body) => {
      await request(url, { method: 'PUT', body, headers: { 'content-type': '' } });
    },
    md5: (text) => crypto.createHash('md5').update(text).digest('hex'),
    log: (level, message) => (level === 'error' ? console.error : console.log)(JSON.stringify({ level, message })),
  };
}
