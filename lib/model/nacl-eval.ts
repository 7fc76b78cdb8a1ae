/**
 * Network-ACL evaluation as AWS does it: entries of one direction in rule-number order (lowest first), the first entry
 * that matches decides, and the implicit `*` entry denies what none matched. Used by S3PA-NaclOutbound and
 * S3PA-NaclEphemeral.
 *
 * A query is a range, not one packet: an IPv4 CIDR and a TCP port range. The answer is `allow` only when every address
 * and port of the range is allowed: an entry that covers part of the range and denies makes the answer `deny`; one
 * that covers part and allows lets evaluation go on for the rest.
 *
 * Internal: not exported from the package's index.
 */
import type { Model } from './model';
import { cidrContains, cidrsOverlap, parseIpv4Cidr, s3NaclIpv4Cidrs } from './s3-ranges';
import { formatIpv4Cidr } from './s3-ranges-cidr';
import { s3UseOf } from './s3-use';
import { isUnknown, NetworkAclEntryNode, NetworkAclNode, WorkloadNode } from './types';

export interface NaclQuery {
  /** Outbound (`true`) or inbound. */
  readonly egress: boolean;
  /** IANA protocol number: 6 for TCP. */
  readonly protocol: number;
  readonly fromPort: number;
  readonly toPort: number;
  /** The remote IPv4 range. */
  readonly cidr: string;
}

export interface NaclDecision {
  readonly decision: 'allow' | 'deny' | 'unknown';
  /** The entry that decided (undefined for the implicit deny). */
  readonly entry?: NetworkAclEntryNode;
  /** True when the deciding entry covers only part of the queried range. */
  readonly partial?: boolean;
  /** For `unknown`: what could not be resolved. */
  readonly what?: string;
}

type Match = 'full' | 'partial' | 'none' | { unknown: string };

/** Evaluates one query against an ACL's entries. */
export function evaluateNacl(acl: NetworkAclNode, q: NaclQuery): NaclDecision {
  const entries = acl.entries.filter(e => e.egress === q.egress);
  const unnumbered = entries.find(e => isUnknown(e.ruleNumber));
  if (unnumbered) return { decision: 'unknown', what: `the rule number of ${unnumbered.res.path}` };
  const sorted = [...entries].sort((a, b) => (a.ruleNumber as number) - (b.ruleNumber as number));
  return evaluateFrom(sorted, 0, q, false);
}

/**
 * First-match evaluation of the range from entry `start` on. An allow for part of the range hands the rest of the
 * range (the addresses, or the ports, it did not cover) to the entries after it.
 */
function evaluateFrom(sorted: NetworkAclEntryNode[], start: number, q: NaclQuery, partial: boolean): NaclDecision {
  for (let i = start; i < sorted.length; i++) {
    const entry = sorted[i];
    const match = matches(entry, q);
    if (match === 'none') continue;
    if (typeof match === 'object') return { decision: 'unknown', entry, what: match.unknown };
    const action = entry.ruleAction;
    if (isUnknown(action)) return { decision: 'unknown', entry, what: `the action of ${entry.res.path}` };
    const allow = action.toLowerCase() === 'allow';
    if (match === 'full') return { decision: allow ? 'allow' : 'deny', entry, partial: partial || undefined };
    if (!allow) return { decision: 'deny', entry, partial: true };
    let last: NaclDecision | undefined;
    for (const rest of remainder(entry, q)) {
      const d = evaluateFrom(sorted, i + 1, rest, true);
      if (d.decision !== 'allow') return d;
      last = d;
    }
    return last ?? { decision: 'allow', entry };
  }
  return { decision: 'deny', partial: partial || undefined };
}

/** The parts of the query that a partly matching entry does not cover. */
function remainder(e: NetworkAclEntryNode, q: NaclQuery): NaclQuery[] {
  const entryCidr = e.cidrBlock as string;
  const inside = cidrContains(entryCidr, q.cidr) ? q.cidr : entryCidr;
  const out: NaclQuery[] = subtractCidr(q.cidr, inside).map(cidr => ({ ...q, cidr }));
  if (Number(e.protocol) !== -1 && e.portFrom !== undefined && e.portTo !== undefined && !isUnknown(e.portFrom) && !isUnknown(e.portTo)) {
    if (e.portFrom > q.fromPort) out.push({ ...q, cidr: inside, toPort: e.portFrom - 1 });
    if (e.portTo < q.toPort) out.push({ ...q, cidr: inside, fromPort: e.portTo + 1 });
  }
  return out;
}

/** `outer` minus `inner` (a CIDR inside it) as a list of CIDRs. */
function subtractCidr(outer: string, inner: string): string[] {
  const o = parseIpv4Cidr(outer)!;
  const n = parseIpv4Cidr(inner)!;
  const out: string[] = [];
  for (let len = o.prefixLength + 1; len <= n.prefixLength; len++) {
    const size = 2 ** (32 - len);
    const innerHalf = Math.floor(n.network / size) * size;
    const sibling = Math.floor(n.network / size) % 2 === 0 ? innerHalf + size : innerHalf - size;
    out.push(formatIpv4Cidr(sibling, len));
  }
  return out;
}

function matches(e: NetworkAclEntryNode, q: NaclQuery): Match {
  if (e.ipv6CidrBlock !== undefined && e.cidrBlock === undefined) return 'none';
  if (isUnknown(e.protocol)) return { unknown: `the protocol of ${e.res.path}` };
  const proto = Number(e.protocol);
  if (proto !== -1 && proto !== q.protocol) return 'none';

  let portMatch: 'full' | 'partial' = 'full';
  if (proto !== -1 && (q.protocol === 6 || q.protocol === 17)) {
    if (isUnknown(e.portFrom) || isUnknown(e.portTo)) return { unknown: `the port range of ${e.res.path}` };
    if (e.portFrom === undefined || e.portTo === undefined) return 'none';
    if (e.portTo < q.fromPort || e.portFrom > q.toPort) return 'none';
    if (!(e.portFrom <= q.fromPort && q.toPort <= e.portTo)) portMatch = 'partial';
  }

  if (e.cidrBlock === undefined) return 'none';
  if (isUnknown(e.cidrBlock)) return { unknown: `the CIDR of ${e.res.path} (${e.cidrBlock.what})` };
  if (!parseIpv4Cidr(e.cidrBlock)) return { unknown: `the CIDR of ${e.res.path} (${e.cidrBlock})` };
  if (cidrContains(e.cidrBlock, q.cidr)) return portMatch;
  return cidrsOverlap(e.cidrBlock, q.cidr) ? 'partial' : 'none';
}

/** A short text of a decision for messages: `denied by rule 100 (…path)` or `denied by the implicit * rule`. */
export function describeDecision(d: NaclDecision): string {
  if (!d.entry) return `${d.decision === 'deny' ? 'denied' : d.decision} by the implicit * rule`;
  const verb = d.decision === 'deny' ? 'denied' : d.decision === 'allow' ? 'allowed' : 'unresolved';
  return `${verb} by rule ${String(d.entry.ruleNumber)}${d.partial ? ' (for part of the range)' : ''} (${d.entry.res.path})`;
}

/** The custom ACLs on the subnets of workloads that use S3, each with the subnets and workloads it applies to. */
export interface WorkloadAcl {
  readonly acl: NetworkAclNode;
  /** Construct paths of the subnets. */
  readonly subnets: Set<string>;
  /** Keys of the subnets. */
  readonly subnetKeys: Set<string>;
  readonly workloads: WorkloadNode[];
  /** Whether one of the workloads surely uses S3 (the others may): a blocked path is then an error. */
  readonly definite: boolean;
}

/**
 * Groups the workloads that use (or may use) S3 by the custom network ACLs of their subnets (subnets on the VPC
 * default ACL are left out, and so are workloads that do not use S3).
 */
export function workloadAcls(m: Model): WorkloadAcl[] {
  const out = new Map<string, { acl: NetworkAclNode; subnets: Set<string>; subnetKeys: Set<string>; workloads: WorkloadNode[]; definite: boolean }>();
  for (const w of m.workloads) {
    const use = s3UseOf(m, w).level;
    if (use === 'no') continue;
    for (const s of w.subnets) {
      if (isUnknown(s) || !s.networkAcl) continue;
      const entry = out.get(s.networkAcl.res.key)
        ?? { acl: s.networkAcl, subnets: new Set<string>(), subnetKeys: new Set<string>(), workloads: [], definite: false };
      entry.subnets.add(s.res.path);
      entry.subnetKeys.add(s.res.key);
      if (!entry.workloads.includes(w)) entry.workloads.push(w);
      entry.definite = entry.definite || use === 'yes';
      out.set(s.networkAcl.res.key, entry);
    }
  }
  return [...out.values()];
}

/** The outcome of a query over every S3 range of the ACL's region. */
export type S3AclResult =
  | { kind: 'allowed' }
  | { kind: 'denied'; region: string; total: number; denied: Array<{ cidr: string; decision: NaclDecision }> }
  | { kind: 'unknown'; what: string };

/**
 * Evaluates a TCP port range to (egress) or from (ingress) every S3 range of the ACL's region. When the region or its
 * ranges are unknown, the whole IPv4 space stands in: allowed there means allowed for S3 too.
 */
export function evaluateS3(acl: NetworkAclNode, egress: boolean, fromPort: number, toPort: number): S3AclResult {
  const region = acl.res.stack.region;
  const cidrs = region ? s3NaclIpv4Cidrs(region) : undefined;
  if (!region || !cidrs) {
    const any = evaluateNacl(acl, { egress, protocol: 6, fromPort, toPort, cidr: '0.0.0.0/0' });
    if (any.decision === 'allow') return { kind: 'allowed' };
    return { kind: 'unknown', what: region ? `the S3 ranges of ${region} (not in the bundled snapshot)` : `the S3 ranges of environment-agnostic stack ${acl.res.stack.id}` };
  }
  const denied: Array<{ cidr: string; decision: NaclDecision }> = [];
  for (const cidr of cidrs) {
    const d = evaluateNacl(acl, { egress, protocol: 6, fromPort, toPort, cidr });
    if (d.decision === 'unknown') return { kind: 'unknown', what: d.what ?? `an entry of ${acl.res.path}` };
    if (d.decision === 'deny') denied.push({ cidr, decision: d });
  }
  return denied.length === 0 ? { kind: 'allowed' } : { kind: 'denied', region, total: cidrs.length, denied };
}

/** The subjects of a finding on a workload ACL: the ACL, its subnets and the workloads. */
export function aclSubjects(wa: WorkloadAcl): { networkAcls: string[]; subnets: string[]; workloads: string[] } {
  return { networkAcls: [wa.acl.res.key], subnets: [...wa.subnetKeys], workloads: wa.workloads.map(w => w.res.key) };
}
