import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import {
  AclCidr, AclTraffic, CfnNetworkAclEntry, INetworkAcl, NetworkAclEntry, TrafficDirection,
} from 'aws-cdk-lib/aws-ec2';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { NaclCidrUpdater } from './nacl-cidr-updater';
import { parseIpv4Cidr, s3Ipv6Cidrs, s3NaclIpv4Cidrs } from '../aws/s3-ranges';
import { constructError } from '../private/errors';
import { acknowledgeFinding } from '../private/nag-acks';
import { sameValue } from '../private/same-value';
import { stableIdOf } from '../private/stable-id';

/** The lowest rule number the entries use by default. */
const DEFAULT_RULE_NUMBER_BASE = 500;
/** AWS's default quota of rules per direction of a network ACL. */
const DEFAULT_ENTRY_QUOTA = 20;
/** The highest rule number a network ACL entry may have. */
const MAX_RULE_NUMBER = 32766;
/** The highest quota of rules per direction a network ACL can be raised to. */
const MAX_ENTRY_QUOTA = 40;

/**
 * Options for the network-ACL entries that let S3 traffic through, shared with `S3PrivateAccess`.
 */
export interface S3NetworkAclEntriesOptions {
  /**
   * The lowest rule number to use. In a network ACL defined in this app, numbers that its entries already use are
   * skipped; for an imported ACL its existing entries are unknown, so the numbers start here: pick a free range.
   *
   * @default - 500
   */
  readonly ruleNumberBase?: number;

  /**
   * The number of rules per direction the account may have in a network ACL. Raise it after a quota increase of
   * "Rules per network ACL" in Service Quotas.
   *
   * @default - 20, AWS's default quota
   */
  readonly entryQuota?: number;

  /**
   * Keep the entries current when AWS changes S3's address ranges: instead of CloudFormation entries, a
   * `NaclCidrUpdater` (a Lambda function subscribed to AWS's `AmazonIpSpaceChanged` topic, also run at deployment)
   * writes them, in a block of rule numbers reserved for it: all the room the quota leaves in the ACLs, from
   * `ruleNumberBase` on. Not available outside the aws partition (China, GovCloud).
   *
   * @default - false: the entries follow the bundled snapshot, refreshed with each release of this library
   */
  readonly keepCurrent?: boolean;

  /**
   * Also allow S3's IPv6 CIDRs of the region (outbound TCP 443, inbound TCP 1024-65535), for dual-stack and IPv6-only
   * subnets. The IPv6 entries take the rule numbers after the IPv4 ones and count against the quota of IPv6 rules,
   * which AWS enforces apart from the IPv4 one
   * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls): `entryQuota` applies
   * to each family. When a function writes the entries (`keepCurrent`, or an environment-agnostic stack), it writes
   * the IPv6 entries too, from the IPv6 ranges AWS publishes, in a block of its own after the IPv4 block: all the
   * room the quota leaves for IPv6 rules in the ACLs.
   *
   * @default false
   */
  readonly ipv6?: boolean;
}

/**
 * Properties of `S3NetworkAclEntries`.
 */
export interface S3NetworkAclEntriesProps extends S3NetworkAclEntriesOptions {
  /**
   * The network ACLs of the subnets whose workloads reach S3.
   */
  readonly networkAcls: INetworkAcl[];
}

/**
 * Network-ACL entries that allow HTTPS to Amazon S3 and its return traffic.
 *
 * Network ACLs cannot reference prefix lists, so each ACL gets, for every S3 IPv4 CIDR (and with `ipv6`, every IPv6
 * CIDR) of the stack's region (from the bundled snapshot of AWS's published ranges, adjacent IPv4 blocks merged):
 * outbound TCP 443 and inbound TCP 1024-65535 (return traffic of Lambda, Fargate and EC2 alike). Fails when an ACL
 * would hold more entries per direction and address family than `entryQuota`.
 *
 * In an environment-agnostic stack the region, and so the CIDRs, are known at deploy time only: the entries are then
 * written at deployment by the function `keepCurrent` uses (a `NaclCidrUpdater` without the topic subscription, run
 * by a custom resource on create and update, removing its entries on delete), from the ranges AWS publishes at that
 * time; the quota is enforced then, and a deployment that would exceed it fails with a message naming the ACL.
 *
 * The entries take one block of consecutive rule numbers, the same in both directions and in every ACL: the lowest
 * block from `ruleNumberBase` on that no entry of these ACLs defined in the app uses.
 */
export class S3NetworkAclEntries extends Construct {
  /**
   * The S3 CIDRs the entries allow; empty when they are read at deploy time (an environment-agnostic stack).
   */
  public readonly cidrs: string[];

  /**
   * The rule numbers of the entries, the same in both directions and in every ACL: in the order of `cidrs`, or,
   * when a function writes the entries (`keepCurrent`, or an environment-agnostic stack), the whole block it owns.
   */
  public readonly ruleNumbers: number[];

  /**
   * The S3 IPv6 CIDRs the entries allow (from the bundled snapshot); empty unless `ipv6` is set and the region is
   * known at synth time.
   */
  public readonly ipv6Cidrs: string[];

  /**
   * The rule numbers of the IPv6 entries, right after `ruleNumbers`, the same in both directions and in every ACL: in
   * the order of `ipv6Cidrs`, or, when a function writes the entries, the whole IPv6 block it owns. Empty without
   * `ipv6`.
   */
  public readonly ipv6RuleNumbers: number[];

  /**
   * The Lambda function that writes the entries (for alarms on its errors).
   *
   * @default - undefined unless `keepCurrent` is set or the stack is environment-agnostic
   */
  public readonly updaterFunction?: IFunction;

  /**
   * The network ACLs that got entries, without duplicates.
   */
  public readonly networkAcls: INetworkAcl[];

  private readonly entryQuota: number;
  private readonly ipv6: boolean;

  constructor(scope: Construct, id: string, props: S3NetworkAclEntriesProps) {
    super(scope, id);
    const base = props.ruleNumberBase ?? DEFAULT_RULE_NUMBER_BASE;
    this.entryQuota = props.entryQuota ?? DEFAULT_ENTRY_QUOTA;
    if (!Number.isInteger(base) || base < 1 || base > MAX_RULE_NUMBER) {
      throw constructError(`naclRuleNumberBase is ${base}: pass an integer from 1 to ${MAX_RULE_NUMBER}`, this);
    }
    if (!Number.isInteger(this.entryQuota) || this.entryQuota < 1) {
      throw constructError(`naclEntryQuota is ${this.entryQuota}: pass the account's quota of rules per network ACL direction (20 unless raised)`, this);
    }
    // an environment-agnostic stack learns its region, and so the S3 CIDRs, at deploy time: the entries are then
    // written by the updater's function at deployment, as with keepCurrent
    const deployTime = Token.isUnresolved(Stack.of(this).region);
    this.cidrs = deployTime ? [] : s3CidrsOfRegion(this, Stack.of(this).region);
    const byFunction = deployTime || props.keepCurrent === true;
    this.ipv6 = props.ipv6 === true;
    this.ipv6Cidrs = this.ipv6 && !deployTime ? s3Ipv6CidrsOfRegion(this, Stack.of(this).region) : [];

    this.networkAcls = dedupeAcls(this, props.networkAcls);
    const existing = existingEntries(this);
    const used = new Set<number>();
    // per family: AWS enforces the rules-per-direction quota for IPv4 and IPv6 rules separately
    let mostExisting4 = 0;
    let mostExisting6 = 0;
    for (const acl of this.networkAcls) {
      const entries = existing.filter((e) => sameAcl(this, acl, e));
      for (const egress of [true, false]) {
        const inDirection = entries.filter((e) => isEgress(e) === egress);
        const ipv4 = inDirection.filter((e) => !isIpv6(e));
        if (ipv4.length + Math.max(this.cidrs.length, 1) > this.entryQuota) {
          throw constructError(quotaMessage(acl, egress, ipv4.length, this.cidrs.length, this.entryQuota), this);
        }
        const ipv6 = inDirection.filter(isIpv6);
        if (this.ipv6 && ipv6.length + Math.max(this.ipv6Cidrs.length, 1) > this.entryQuota) {
          throw constructError(quotaMessage(acl, egress, ipv6.length, this.ipv6Cidrs.length, this.entryQuota, 'IPv6 '), this);
        }
        inDirection.filter((e) => !Token.isUnresolved(e.ruleNumber)).forEach((e) => used.add(e.ruleNumber));
        mostExisting4 = Math.max(mostExisting4, ipv4.length);
        mostExisting6 = Math.max(mostExisting6, ipv6.length);
      }
    }
    const room = Math.min(this.entryQuota, MAX_ENTRY_QUOTA);
    const blockSize = byFunction ? room - mostExisting4 : this.cidrs.length;
    const ipv6BlockSize = !this.ipv6 ? 0 : byFunction ? room - mostExisting6 : this.ipv6Cidrs.length;
    const block = freeBlock(this, used, base, blockSize + ipv6BlockSize);
    this.ruleNumbers = block.slice(0, blockSize);
    this.ipv6RuleNumbers = block.slice(blockSize);

    // entries added to the same ACLs after this construct are checked again at synth time
    this.node.addValidation({ validate: () => this.validateAtSynth(byFunction) });

    if (byFunction) {
      this.updaterFunction = new NaclCidrUpdater(this, 'Updater', {
        networkAcls: this.networkAcls,
        egressRuleNumberStart: this.ruleNumbers[0],
        ingressRuleNumberStart: this.ruleNumbers[0],
        maxEntriesPerDirection: blockSize,
        entryQuota: this.entryQuota,
        ...(this.ipv6 ? {
          ipv6: {
            egressRuleNumberStart: this.ipv6RuleNumbers[0],
            ingressRuleNumberStart: this.ipv6RuleNumbers[0],
            maxEntriesPerDirection: ipv6BlockSize,
          },
        } : {}),
        subscribe: props.keepCurrent === true,
      }).updaterFunction;
      return;
    }

    acknowledgeFinding(this, 'AwsSolutions-VPC3', 'S3PrivateAccess writes these entries because the workload subnets ' +
      'use custom network ACLs, which must let HTTPS to Amazon S3 and its return traffic through; they allow only the ' +
      'S3 CIDRs of the region on TCP 443 out and 1024-65535 in');

    // entries are keyed by their ACL (reordering networkAcls must not move an entry to another ACL, which would
    // replace it and collide on its rule number) and by rule position (a refreshed CIDR updates in place)
    const stack = Stack.of(this);
    for (const acl of this.networkAcls) {
      const aclKey = stableIdOf(stack, acl.networkAclId);
      this.cidrs.forEach((cidr, j) => {
        new NetworkAclEntry(this, `Acl${aclKey}Egress${j}`, {
          networkAcl: acl,
          cidr: AclCidr.ipv4(cidr),
          ruleNumber: this.ruleNumbers[j],
          traffic: AclTraffic.tcpPort(443),
          direction: TrafficDirection.EGRESS,
        });
        new NetworkAclEntry(this, `Acl${aclKey}Ingress${j}`, {
          networkAcl: acl,
          cidr: AclCidr.ipv4(cidr),
          ruleNumber: this.ruleNumbers[j],
          traffic: AclTraffic.tcpPortRange(1024, 65535),
          direction: TrafficDirection.INGRESS,
        });
      });
      this.ipv6Cidrs.forEach((cidr, j) => {
        new NetworkAclEntry(this, `Acl${aclKey}Ipv6Egress${j}`, {
          networkAcl: acl,
          cidr: AclCidr.ipv6(cidr),
          ruleNumber: this.ipv6RuleNumbers[j],
          traffic: AclTraffic.tcpPort(443),
          direction: TrafficDirection.EGRESS,
        });
        new NetworkAclEntry(this, `Acl${aclKey}Ipv6Ingress${j}`, {
          networkAcl: acl,
          cidr: AclCidr.ipv6(cidr),
          ruleNumber: this.ipv6RuleNumbers[j],
          traffic: AclTraffic.tcpPortRange(1024, 65535),
          direction: TrafficDirection.INGRESS,
        });
      });
    }
  }

  private validateAtSynth(byFunction: boolean): string[] {
    const errors: string[] = [];
    const all = existingEntries(this);
    const reserved = new Set([...this.ruleNumbers, ...this.ipv6RuleNumbers]);
    for (const networkAcl of this.networkAcls) {
      const entries = all.filter((e) => sameAcl(this, networkAcl, e));
      for (const egress of [true, false]) {
        const inDirection = entries.filter((e) => isEgress(e) === egress);
        const others = inDirection.filter((e) => !isUnder(e, this));
        const others4 = others.filter((e) => !isIpv6(e));
        const others6 = others.filter(isIpv6);
        if (others4.length + Math.max(this.cidrs.length, 1) > this.entryQuota) {
          errors.push(quotaMessage(networkAcl, egress, others4.length, this.cidrs.length, this.entryQuota));
        }
        if (this.ipv6 && others6.length + Math.max(this.ipv6Cidrs.length, 1) > this.entryQuota) {
          errors.push(quotaMessage(networkAcl, egress, others6.length, this.ipv6Cidrs.length, this.entryQuota, 'IPv6 '));
        }
        const clashing = others.filter((e) => !Token.isUnresolved(e.ruleNumber) && reserved.has(e.ruleNumber));
        if (clashing.length > 0) {
          errors.push(`network acl ${describeAcl(networkAcl)} has ${egress ? 'outbound' : 'inbound'} entries with rule ` +
            `numbers ${clashing.map((e) => e.ruleNumber).join(', ')} (${clashing.map((e) => e.node.path).join(', ')}), ` +
            `which S3PrivateAccess ${byFunction ? 'reserved for the function that writes its S3 entries' : 'gave its S3 entries'} ` +
            `(${reservedRange(reserved)}): give those entries other rule ` +
            'numbers, or pass a naclRuleNumberBase outside their range');
        }
      }
    }
    return errors;
  }
}

function isUnder(c: IConstruct, ancestor: IConstruct): boolean {
  return c.node.scopes.includes(ancestor);
}

/** The lowest block of `count` consecutive rule numbers from `base` on that contains no used number. */
function freeBlock(scope: IConstruct, used: Set<number>, base: number, count: number): number[] {
  for (let start = base; start + count - 1 <= MAX_RULE_NUMBER; start++) {
    const block = Array.from({ length: count }, (_, k) => start + k);
    if (block.every((n) => !used.has(n))) {
      return block;
    }
  }
  throw constructError(`the network acls have no ${count} consecutive free rule numbers from ${base} to ${MAX_RULE_NUMBER}: ` +
    'pass a lower naclRuleNumberBase', scope);
}

function s3CidrsOfRegion(scope: IConstruct, region: string): string[] {
  const cidrs = s3NaclIpv4Cidrs(region);
  if (cidrs === undefined || cidrs.length === 0) {
    throw constructError(`no S3 address ranges are known for region '${region}' in the bundled snapshot: ` +
      'upgrade cdk-s3-private-access, or leave networkAcls out and allow the region\'s S3 CIDRs in the ACLs yourself', scope);
  }
  for (const cidr of cidrs) {
    if (!parseIpv4Cidr(cidr)) {
      throw constructError(`the bundled S3 ranges of '${region}' contain '${cidr}', which is not an IPv4 CIDR: report this bug`, scope);
    }
  }
  return cidrs;
}

/** Every network-ACL entry resource in the app. */
function existingEntries(scope: IConstruct): CfnNetworkAclEntry[] {
  return scope.node.root.node.findAll().filter((c): c is CfnNetworkAclEntry =>
    CfnResource.isCfnResource(c) && c.cfnResourceType === CfnNetworkAclEntry.CFN_RESOURCE_TYPE_NAME);
}

function reservedRange(reserved: Set<number>): string {
  const numbers = [...reserved].sort((a, b) => a - b);
  return `${numbers[0]}-${numbers[numbers.length - 1]}`;
}

function isIpv6(entry: CfnNetworkAclEntry): boolean {
  return entry.ipv6CidrBlock !== undefined;
}

function s3Ipv6CidrsOfRegion(scope: IConstruct, region: string): string[] {
  const cidrs = s3Ipv6Cidrs(region);
  if (cidrs === undefined || cidrs.length === 0) {
    throw constructError(`no S3 IPv6 address ranges are known for region '${region}' in the bundled snapshot: ` +
      'upgrade cdk-s3-private-access, or use ipAddressType S3EndpointIpAddressType.IPV4 and allow S3\'s IPv6 ranges in the ACLs yourself', scope);
  }
  return cidrs;
}

function isEgress(entry: CfnNetworkAclEntry): boolean {
  const egress: unknown = entry.egress;
  return egress === true || egress === 'true';
}

function sameAcl(scope: IConstruct, acl: INetworkAcl, entry: CfnNetworkAclEntry): boolean {
  return sameValue(scope, acl.networkAclId, entry, entry.networkAclId);
}

function dedupeAcls(scope: IConstruct, acls: INetworkAcl[]): INetworkAcl[] {
  return acls.filter((acl, i) => acls.findIndex((other) => sameValue(scope, acl.networkAclId, other, other.networkAclId)) === i);
}

/** The quota error; `added` is 0 when the S3 CIDRs are known at deploy time only (then one entry must still fit). */
function quotaMessage(acl: INetworkAcl, egress: boolean, existing: number, added: number, quota: number, family = ''): string {
  const direction = `${family}${egress ? 'outbound' : 'inbound'}`;
  const what = added > 0
    ? `would have ${existing + added} ${direction} entries (${existing} existing + ${added} for the S3 CIDRs), over the quota of ${quota}`
    : `has ${existing} ${direction} entries, which leave no room under the quota of ${quota} for the S3 entries written at deploy time`;
  return `network acl ${describeAcl(acl)} ${what}: request a quota increase of ` +
    '"Rules per network ACL" in Service Quotas and pass naclEntryQuota, or merge entries of the ACL';
}

function describeAcl(acl: INetworkAcl): string {
  return Token.isUnresolved(acl.networkAclId) ? acl.node.path : acl.networkAclId;
}
