/**
 * Pure planning for the network-ACL updater: current ACL entries + the S3 CIDRs that should be allowed → the
 * Create/Replace/Delete calls that make the entries in the updater's rule-number ranges match.
 *
 * The updater's Lambda runs this exact code: its inline source is assembled from these functions' text
 * (see nacl-cidr-updater-code.ts). So every function here is a self-contained `function` declaration that calls only
 * functions of this file and JavaScript built-ins: no imports, no module-level constants.
 */

/** A network-ACL entry as `DescribeNetworkAcls` returns it (AWS SDK v3 shape). */
export interface NaclEntry {
  readonly RuleNumber?: number;
  readonly Egress?: boolean;
  readonly Protocol?: string;
  readonly RuleAction?: string;
  readonly CidrBlock?: string;
  readonly Ipv6CidrBlock?: string;
  readonly PortRange?: { readonly From?: number; readonly To?: number };
}

/** One direction of one address family of entries that the updater owns. */
export interface NaclDirectionSpec {
  /** true for outbound entries. */
  readonly egress: boolean;
  /**
   * true for IPv6 entries (`Ipv6CidrBlock`), absent or false for IPv4 ones (`CidrBlock`). IPv4 and IPv6 entries share
   * the rule numbers of a direction, so the ranges of the two families must not overlap.
   */
  readonly ipv6?: boolean;
  /** The first rule number the updater owns in this direction. */
  readonly ruleNumberStart: number;
  /** How many rule numbers, from `ruleNumberStart`, the updater owns. */
  readonly maxEntries: number;
  /** The entries' TCP port range. */
  readonly fromPort: number;
  readonly toPort: number;
}

/** One API call to make. For create and replace, `cidrBlock` (IPv4) or `ipv6CidrBlock` (IPv6) is set. */
export interface NaclChange {
  readonly action: 'create' | 'replace' | 'delete';
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly cidrBlock?: string;
  readonly ipv6CidrBlock?: string;
}

/** What to do in one direction of one ACL; with `error`, nothing (the ACL stays as it is). */
export interface NaclPlan {
  readonly changes: NaclChange[];
  readonly error?: string;
}

/** The updater's settings, as the construct passes them to the Lambda. */
export interface NaclUpdaterConfig {
  readonly networkAclIds: string[];
  /** The region whose S3 CIDRs the entries allow. */
  readonly region: string;
  readonly egressRuleNumberStart: number;
  readonly ingressRuleNumberStart: number;
  readonly maxEntriesPerDirection: number;
  /**
   * The account's quota of rules per network-ACL direction: a reconciliation that would take an ACL over it (with the
   * ACL's other entries, which the app may not know) changes nothing and says why. Absent: only the range is checked.
   */
  readonly entryQuota?: number;
  /**
   * The rule-number ranges of the IPv6 entries (the same ports, for S3's IPv6 CIDRs of the region), apart from the
   * IPv4 ones in each direction. Absent: IPv4 entries only (the settings of deployments before IPv6 was supported).
   */
  readonly ipv6?: NaclUpdaterIpv6Config;
}

/** The rule-number ranges of the updater's IPv6 entries. */
export interface NaclUpdaterIpv6Config {
  readonly egressRuleNumberStart: number;
  readonly ingressRuleNumberStart: number;
  readonly maxEntriesPerDirection: number;
}

/**
 * The directions the updater manages: outbound TCP 443 to S3, inbound TCP 1024-65535 (return traffic of Lambda,
 * Fargate and EC2 clients) from S3; IPv4, then IPv6 when `config.ipv6` is set.
 */
export function naclDirectionSpecs(config: NaclUpdaterConfig): NaclDirectionSpec[] {
  // one family's ranges (the IPv4 fields of the config, or its `ipv6`) as its outbound and inbound specs
  function directions(ranges: NaclUpdaterIpv6Config, ipv6: boolean): NaclDirectionSpec[] {
    const common = { ...(ipv6 ? { ipv6: true } : {}), maxEntries: ranges.maxEntriesPerDirection };
    return [
      { egress: true, ...common, ruleNumberStart: ranges.egressRuleNumberStart, fromPort: 443, toPort: 443 },
      { egress: false, ...common, ruleNumberStart: ranges.ingressRuleNumberStart, fromPort: 1024, toPort: 65535 },
    ];
  }
  return [...directions(config, false), ...(config.ipv6 ? directions(config.ipv6, true) : [])];
}

/**
 * The text by which CIDRs are compared: IPv6 with its groups written out in lowercase without leading zeros
 * (`2A05:D07A:8000::/40` and `2a05:d07a:8000:0:0:0:0:0/40` compare equal); IPv4, and text that is not a CIDR, as
 * given (trimmed).
 */
export function naclCidrKey(cidr: string): string {
  const text = String(cidr).trim();
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!match || !text.includes(':')) {
    return text;
  }
  const halves = match[1].split('::');
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const missing = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (halves.length > 2 || missing < 0) {
    return text;
  }
  const groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  return `${groups.map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}/${Number(match[2])}`;
}

/** How messages name a spec's direction and family: `outbound`, `IPv6 inbound`. */
export function naclDirectionLabel(spec: NaclDirectionSpec): string {
  return `${spec.ipv6 ? 'IPv6 ' : ''}${spec.egress ? 'outbound' : 'inbound'}`;
}

/** The entries of one direction whose rule numbers lie in `[start, start + count)`, by rule number. */
export function naclEntriesInRange(entries: readonly NaclEntry[], egress: boolean, start: number, count: number): NaclEntry[] {
  return entries
    .filter((e) => Boolean(e.Egress) === egress && typeof e.RuleNumber === 'number'
      && e.RuleNumber >= start && e.RuleNumber < start + count)
    .sort((a, b) => Number(a.RuleNumber) - Number(b.RuleNumber));
}

/**
 * Plans the calls that make the entries in `spec`'s rule-number range allow exactly `desiredCidrs` (TCP, allow,
 * `spec`'s ports, `spec`'s address family), touching nothing outside the range. Entries already right keep their
 * numbers; wrong or stale entries (an entry of the other family among them) are replaced with missing CIDRs first (so
 * the ACL never has fewer allows than needed), then new numbers are used, and leftovers are deleted last. With no
 * CIDRs, or more CIDRs than the range holds, it plans nothing and says why.
 */
export function planNaclEntryChanges(current: readonly NaclEntry[], desiredCidrs: readonly string[], spec: NaclDirectionSpec): NaclPlan {
  const start = spec.ruleNumberStart;
  const end = start + spec.maxEntries - 1;
  const family = spec.ipv6 ? 'IPv6 ' : '';
  const direction = naclDirectionLabel(spec);
  // compared by key, sent as published
  const published = new Map<string, string>();
  for (const c of desiredCidrs) {
    if (!published.has(naclCidrKey(c))) {
      published.set(naclCidrKey(c), String(c).trim());
    }
  }
  const desired = [...published.keys()];
  if (desired.length === 0) {
    return { changes: [], error: `no S3 ${family}CIDRs to allow: left the ${direction} entries ${start}-${end} as they are` };
  }
  if (desired.length > spec.maxEntries) {
    return {
      changes: [],
      error: `${desired.length} S3 ${family}CIDRs do not fit in the ${spec.maxEntries} ${direction} rule numbers ${start}-${end}: `
        + `left the entries as they are; raise ${spec.ipv6 ? 'ipv6.' : ''}maxEntriesPerDirection (and the network ACL rules-per-direction quota, 20 by default)`,
    };
  }
  const inRange = naclEntriesInRange(current, spec.egress, start, spec.maxEntries);
  const kept = new Set<string>();
  const reusable: number[] = [];
  for (const entry of inRange) {
    const cidr = naclCidrKey((spec.ipv6 ? entry.Ipv6CidrBlock : entry.CidrBlock) ?? '');
    const otherFamily = spec.ipv6 ? entry.CidrBlock : entry.Ipv6CidrBlock;
    const right = entry.Protocol === '6' && entry.RuleAction === 'allow' && !otherFamily
      && entry.PortRange?.From === spec.fromPort && entry.PortRange?.To === spec.toPort
      && desired.includes(cidr) && !kept.has(cidr);
    if (right) {
      kept.add(cidr);
    } else {
      reusable.push(Number(entry.RuleNumber));
    }
  }
  const used = new Set(inRange.map((e) => Number(e.RuleNumber)));
  const free: number[] = [];
  for (let n = start; n <= end; n++) {
    if (!used.has(n)) {
      free.push(n);
    }
  }
  const changes: NaclChange[] = [];
  for (const cidr of desired.filter((c) => !kept.has(c))) {
    const reuse = reusable.shift();
    const block = spec.ipv6 ? { ipv6CidrBlock: published.get(cidr) } : { cidrBlock: published.get(cidr) };
    changes.push(reuse !== undefined
      ? { action: 'replace', ruleNumber: reuse, egress: spec.egress, ...block }
      : { action: 'create', ruleNumber: Number(free.shift()), egress: spec.egress, ...block });
  }
  for (const ruleNumber of reusable) {
    changes.push({ action: 'delete', ruleNumber, egress: spec.egress });
  }
  return { changes };
}

/**
 * Why reconciling `spec`'s direction would take the ACL over `quota` rules of `spec`'s address family (AWS enforces
 * the quota for IPv4 and IPv6 rules separately): the ACL's entries of that family and direction outside the updater's
 * ranges (`spec`'s and those of `owned`, the updater's other specs, whose entries it rewrites; not counting the
 * default `*` rules, 32767 and 32768, which cannot be removed) plus one per desired CIDR. Undefined when they fit.
 */
export function naclQuotaError(
  current: readonly NaclEntry[],
  desiredCount: number,
  spec: NaclDirectionSpec,
  quota: number,
  owned?: readonly NaclDirectionSpec[],
): string | undefined {
  const ranges = [spec, ...(owned ?? [])].filter((s) => s.egress === spec.egress);
  const others = current.filter((e) => Boolean(e.Egress) === spec.egress && typeof e.RuleNumber === 'number'
    && e.RuleNumber < 32767 && Boolean(e.Ipv6CidrBlock) === Boolean(spec.ipv6)
    && !ranges.some((r) => Number(e.RuleNumber) >= r.ruleNumberStart && Number(e.RuleNumber) < r.ruleNumberStart + r.maxEntries)).length;
  if (others + desiredCount <= quota) {
    return undefined;
  }
  const family = spec.ipv6 ? 'IPv6 ' : '';
  const direction = naclDirectionLabel(spec);
  return `${others + desiredCount} ${direction} entries (${others} other + ${desiredCount} for the S3 ${family}CIDRs) would exceed `
    + `the quota of ${quota} ${family}rules per network ACL direction: left the entries as they are; request a quota increase of `
    + '"Rules per network ACL" in Service Quotas and raise naclEntryQuota, or remove entries from the ACL';
}

/**
 * Plans deleting the entries of one direction in `[start, start + count)`, whatever their address family, except
 * those whose numbers also lie in one of `keep` (the ranges of that direction that stay owned after a settings
 * change).
 */
export function planNaclEntryRemoval(
  current: readonly NaclEntry[],
  egress: boolean,
  start: number,
  count: number,
  keep?: ReadonlyArray<{ readonly start: number; readonly count: number }>,
): NaclChange[] {
  return naclEntriesInRange(current, egress, start, count)
    .map((e) => Number(e.RuleNumber))
    .filter((n) => !(keep ?? []).some((k) => n >= k.start && n < k.start + k.count))
    .map((ruleNumber) => ({ action: 'delete' as const, ruleNumber, egress }));
}
