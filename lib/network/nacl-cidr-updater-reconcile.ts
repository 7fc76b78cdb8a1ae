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

/** One direction of entries that the updater owns. */
export interface NaclDirectionSpec {
  /** true for outbound entries. */
  readonly egress: boolean;
  /** The first rule number the updater owns in this direction. */
  readonly ruleNumberStart: number;
  /** How many rule numbers, from `ruleNumberStart`, the updater owns. */
  readonly maxEntries: number;
  /** The entries' TCP port range. */
  readonly fromPort: number;
  readonly toPort: number;
}

/** One API call to make. `cidrBlock` is set for create and replace. */
export interface NaclChange {
  readonly action: 'create' | 'replace' | 'delete';
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly cidrBlock?: string;
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
}

/**
 * The two directions the updater manages: outbound TCP 443 to S3, inbound TCP 1024-65535 (return traffic of
 * Lambda, Fargate and EC2 clients) from S3.
 */
export function naclDirectionSpecs(config: NaclUpdaterConfig): NaclDirectionSpec[] {
  return [
    { egress: true, ruleNumberStart: config.egressRuleNumberStart, maxEntries: config.maxEntriesPerDirection, fromPort: 443, toPort: 443 },
    { egress: false, ruleNumberStart: config.ingressRuleNumberStart, maxEntries: config.maxEntriesPerDirection, fromPort: 1024, toPort: 65535 },
  ];
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
 * `spec`'s ports), touching nothing outside the range. Entries already right keep their numbers; wrong or stale
 * entries are replaced with missing CIDRs first (so the ACL never has fewer allows than needed), then new numbers
 * are used, and leftovers are deleted last. With no CIDRs, or more CIDRs than the range holds, it plans nothing and
 * says why.
 */
export function planNaclEntryChanges(current: readonly NaclEntry[], desiredCidrs: readonly string[], spec: NaclDirectionSpec): NaclPlan {
  const start = spec.ruleNumberStart;
  const end = start + spec.maxEntries - 1;
  const direction = spec.egress ? 'outbound' : 'inbound';
  const desired = [...new Set(desiredCidrs)];
  if (desired.length === 0) {
    return { changes: [], error: `no S3 CIDRs to allow: left the ${direction} entries ${start}-${end} as they are` };
  }
  if (desired.length > spec.maxEntries) {
    return {
      changes: [],
      error: `${desired.length} S3 CIDRs do not fit in the ${spec.maxEntries} ${direction} rule numbers ${start}-${end}: `
        + 'left the entries as they are; raise maxEntriesPerDirection (and the network ACL rules-per-direction quota, 20 by default)',
    };
  }
  const inRange = naclEntriesInRange(current, spec.egress, start, spec.maxEntries);
  const kept = new Set<string>();
  const reusable: number[] = [];
  for (const entry of inRange) {
    const cidr = entry.CidrBlock ?? '';
    const right = entry.Protocol === '6' && entry.RuleAction === 'allow' && !entry.Ipv6CidrBlock
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
    changes.push(reuse !== undefined
      ? { action: 'replace', ruleNumber: reuse, egress: spec.egress, cidrBlock: cidr }
      : { action: 'create', ruleNumber: Number(free.shift()), egress: spec.egress, cidrBlock: cidr });
  }
  for (const ruleNumber of reusable) {
    changes.push({ action: 'delete', ruleNumber, egress: spec.egress });
  }
  return { changes };
}

/**
 * Why reconciling `spec`'s direction would take the ACL over `quota` rules: its entries outside the updater's range
 * (not counting the default `*` rules, 32767 and 32768, which cannot be removed) plus one per desired CIDR. Undefined
 * when they fit.
 */
export function naclQuotaError(current: readonly NaclEntry[], desiredCount: number, spec: NaclDirectionSpec, quota: number): string | undefined {
  const end = spec.ruleNumberStart + spec.maxEntries;
  const others = current.filter((e) => Boolean(e.Egress) === spec.egress && typeof e.RuleNumber === 'number'
    && e.RuleNumber < 32767 && (e.RuleNumber < spec.ruleNumberStart || e.RuleNumber >= end)).length;
  if (others + desiredCount <= quota) {
    return undefined;
  }
  const direction = spec.egress ? 'outbound' : 'inbound';
  return `${others + desiredCount} ${direction} entries (${others} other + ${desiredCount} for the S3 CIDRs) would exceed `
    + `the quota of ${quota} rules per network ACL direction: left the entries as they are; request a quota increase of `
    + '"Rules per network ACL" in Service Quotas and raise naclEntryQuota, or remove entries from the ACL';
}

/**
 * Plans deleting the entries of one direction in `[start, start + count)`, except those whose numbers also lie in
 * `keep` (the range that stays owned after a settings change).
 */
export function planNaclEntryRemoval(
  current: readonly NaclEntry[],
  egress: boolean,
  start: number,
  count: number,
  keep?: { readonly start: number; readonly count: number },
): NaclChange[] {
  return naclEntriesInRange(current, egress, start, count)
    .map((e) => Number(e.RuleNumber))
    .filter((n) => !keep || n < keep.start || n >= keep.start + keep.count)
    .map((ruleNumber) => ({ action: 'delete' as const, ruleNumber, egress }));
}
