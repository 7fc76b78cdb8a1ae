/**
 * Security-group egress as the S3 rules see it: which egress rules let TCP 443 reach Amazon S3, and which prefix list
 * an egress rule names. Used by S3PA-SgEgress and S3PA-PrefixListLiteral.
 *
 * Internal: not exported from the package's index.
 */
import { listOf } from './helpers';
import type { Model } from './model';
import { isUnknown, ModelResource, SecurityGroupNode } from './types';
import { cidrContains, parseIpv4Cidr, s3Ipv4Cidrs } from '../aws/s3-ranges';

/** The unanswered-lookup placeholder that `PrefixList.fromLookup` writes when `cdk.context.json` has no answer. */
export const LOOKUP_PLACEHOLDER = 'pl-xxxxxxxx';

/** One egress rule with its raw CloudFormation form (references intact). */
export interface RawEgress {
  /** The group itself (inline rule) or the `AWS::EC2::SecurityGroupEgress` resource. */
  readonly source: ModelResource;
  readonly raw: Record<string, any>;
}

/** Every egress rule of a group, inline and standalone, in their raw form. */
export function rawEgressOf(sg: SecurityGroupNode): RawEgress[] {
  const out: RawEgress[] = listOf(sg.res.props.SecurityGroupEgress)
    .filter(e => e && typeof e === 'object')
    .map(raw => ({ source: sg.res, raw }));
  const standalone = new Set<string>();
  for (const rule of sg.egress) {
    if (rule.source.key === sg.res.key || standalone.has(rule.source.key)) continue;
    standalone.add(rule.source.key);
    out.push({ source: rule.source, raw: rule.source.props });
  }
  return out;
}

/** What a prefix list named in an egress rule is, as far as the app tells. */
export interface PrefixListInfo {
  /** `s3`: the region's S3 list; `other`: provably another list; `maybe-s3`: cannot tell, treated as S3-capable. */
  readonly kind: 's3' | 'other' | 'maybe-s3';
  /** The literal id, when the template holds one. */
  readonly literal?: string;
  /** True when the literal is the answer of a `PrefixList.fromLookup` in the app's context (or its placeholder). */
  readonly lookedUp: boolean;
  /** How it was told, for messages. */
  readonly why: string;
}

const S3_LIST_NAME = /^(?:cn\.)?com\.amazonaws\.[a-z0-9-]+\.s3$/;

/** Classifies the `DestinationPrefixListId` of an egress rule. */
export function prefixListInfo(m: Model, from: ModelResource, value: any): PrefixListInfo {
  if (typeof value === 'string') {
    if (value === LOOKUP_PLACEHOLDER) {
      return { kind: 'maybe-s3', literal: value, lookedUp: true, why: `${value} (the placeholder of an unanswered PrefixList.fromLookup)` };
    }
    const name = from.stack.prefixListLookups?.[value];
    if (name !== undefined) {
      return { kind: S3_LIST_NAME.test(name) ? 's3' : 'other', literal: value, lookedUp: true, why: `${value} (looked up: ${name})` };
    }
    return { kind: 'maybe-s3', literal: value, lookedUp: false, why: `${value} (a literal id: which list it is cannot be told offline)` };
  }
  const target = m.target(from, value);
  if (target?.type === 'AWS::EC2::PrefixList') {
    const entries = listOf(target.props.Entries).map(e => m.str(target, e?.Cidr)).filter((c): c is string => typeof c === 'string');
    const s3 = from.stack.region ? s3Ipv4Cidrs(from.stack.region) : undefined;
    const coversS3 = entries.some(e => e === '0.0.0.0/0' || (s3 ?? []).some(c => cidrContains(e, c)));
    return coversS3
      ? { kind: 's3', lookedUp: false, why: `customer-managed prefix list ${target.path} (its entries cover S3)` }
      : { kind: 'other', lookedUp: false, why: `customer-managed prefix list ${target.path}` };
  }
  if (target && target.type.startsWith('Custom::')) {
    const text = JSON.stringify(target.props);
    const s3 = /com\.amazonaws\.[^"\\]*\.s3[\\"]/.test(text) && /[Pp]refix[Ll]ist/.test(text);
    return { kind: s3 ? 's3' : 'maybe-s3', lookedUp: true, why: `an attribute of custom resource ${target.path}${s3 ? ' (an S3 prefix-list lookup)' : ''}` };
  }
  const s = m.str(from, value);
  return { kind: 'maybe-s3', lookedUp: false, why: isUnknown(s) ? s.what : s };
}

/** Whether one egress rule lets TCP 443 out, and where. */
export interface Egress443 {
  /** `yes`/`no`: the protocol and port range do (not) include TCP 443; `unknown`: unresolved values. */
  readonly port: 'yes' | 'no' | 'unknown';
  readonly what?: string;
}

/** Does the rule's protocol and port range include TCP 443? */
export function allows443(m: Model, from: ModelResource, raw: Record<string, any>): Egress443 {
  const proto = m.str(from, raw.IpProtocol);
  if (isUnknown(proto)) return { port: 'unknown', what: `the protocol of an egress rule of ${from.path} (${proto.what})` };
  const p = proto.toLowerCase();
  if (p === '-1' || p === 'all') return { port: 'yes' };
  if (p !== 'tcp' && p !== '6') return { port: 'no' };
  const from_ = m.num(from, raw.FromPort);
  const to = m.num(from, raw.ToPort);
  if (from_ === undefined && to === undefined) return { port: 'yes' };
  if (isUnknown(from_) || isUnknown(to)) return { port: 'unknown', what: `the port range of an egress rule of ${from.path}` };
  const lo = from_ ?? 0;
  const hi = to ?? 65535;
  return { port: (lo === -1 || (lo <= 443 && 443 <= hi)) ? 'yes' : 'no' };
}

/** A short text of an egress rule for messages, e.g. `tcp 443-443 to 10.0.0.0/8`. */
export function describeEgress(m: Model, e: RawEgress): string {
  const r = e.raw;
  const str = (v: any) => { const s = m.str(e.source, v); return isUnknown(s) ? '?' : s; };
  const dest = r.CidrIp !== undefined ? str(r.CidrIp)
    : r.CidrIpv6 !== undefined ? str(r.CidrIpv6)
      : r.DestinationPrefixListId !== undefined ? `prefix list ${str(r.DestinationPrefixListId)}`
        : r.DestinationSecurityGroupId !== undefined ? 'a security group' : '?';
  const proto = str(r.IpProtocol);
  const ports = proto === '-1' ? 'all' : `${str(r.FromPort ?? '')}-${str(r.ToPort ?? '')}`;
  return `${proto === '-1' ? 'all traffic' : `${proto} ${ports}`} to ${dest}`;
}

/**
 * The S3 CIDRs of a region that none of `cidrs` contains (an empty list: S3 is fully covered). `0.0.0.0/0` covers
 * S3 in any region.
 */
export function s3CidrsNotCovered(cidrs: readonly string[], s3Cidrs: readonly string[]): string[] {
  const valid = cidrs.filter(c => parseIpv4Cidr(c));
  if (valid.some(c => parseIpv4Cidr(c)!.prefixLength === 0)) return [];
  return s3Cidrs.filter(s3 => !valid.some(c => cidrContains(c, s3)));
}
