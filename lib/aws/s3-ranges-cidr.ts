/**
 * CIDR arithmetic and ip-ranges.json extraction for the S3 address ranges.
 *
 * Every function here is a self-contained `function` declaration that calls only other functions of this file and
 * JavaScript built-ins: the network-ACL updater ships some of them to Lambda as source text (`fn.toString()`), so
 * the synth-time code and the deployed code run the same logic. Keep it that way: no imports, no module-level
 * constants, no helpers from other files.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number, host bits cleared. */
  readonly network: number;
  /** The prefix length, 0 to 32. */
  readonly prefixLength: number;
}

/** A parsed CIDR block of either family. */
export interface IpCidr {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The network address, host bits cleared. */
  readonly network: bigint;
  /** The prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6). */
  readonly prefixLength: number;
}

/**
 * Parses `a.b.c.d/n`. Host bits set in the address are cleared (`10.0.0.1/8` reads as `10.0.0.0/8`).
 *
 * @returns undefined when the text is not an IPv4 CIDR
 */
export function parseIpv4Cidr(cidr: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(String(cidr).trim());
  if (!match) {
    return undefined;
  }
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) {
    return undefined;
  }
  const address = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
  return { network: address - (address % 2 ** (32 - prefixLength)), prefixLength };
}

/** Formats a network number and prefix length as `a.b.c.d/n`. */
export function formatIpv4Cidr(network: number, prefixLength: number): string {
  const octet = (shift: number): number => Math.floor(network / 2 ** shift) % 256;
  return `${octet(24)}.${octet(16)}.${octet(8)}.${octet(0)}/${prefixLength}`;
}

/**
 * Parses an IPv6 prefix such as `2600:1ff0:8000::/39` (hex groups with at most one `::`; no embedded IPv4).
 *
 * @returns undefined when the text is not an IPv6 CIDR
 */
export function parseIpv6Cidr(cidr: string): { network: bigint; prefixLength: number } | undefined {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(String(cidr).trim());
  if (!match) {
    return undefined;
  }
  const prefixLength = Number(match[2]);
  const halves = match[1].split('::');
  if (prefixLength > 128 || halves.length > 2) {
    return undefined;
  }
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return undefined;
  }
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
    return undefined;
  }
  const address = groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
  return { network: address - (address % 2n ** BigInt(128 - prefixLength)), prefixLength };
}

/**
 * Parses an IPv4 or IPv6 CIDR.
 *
 * @returns undefined when the text is neither
 */
export function parseCidr(cidr: string): IpCidr | undefined {
  const v4 = parseIpv4Cidr(cidr);
  if (v4) {
    return { family: 4, network: BigInt(v4.network), prefixLength: v4.prefixLength };
  }
  const v6 = parseIpv6Cidr(cidr);
  return v6 ? { family: 6, network: v6.network, prefixLength: v6.prefixLength } : undefined;
}

/** Parses a CIDR or throws an error that names the bad value. */
function parseCidrOrThrow(cidr: string): IpCidr {
  const parsed = parseCidr(cidr);
  if (!parsed) {
    throw new Error(`invalid cidr '${cidr}': use an IPv4 block such as 10.0.0.0/16 or an IPv6 prefix such as 2600:1f00::/40`);
  }
  return parsed;
}

/**
 * Whether every address of `inner` lies in `outer` (equal blocks contain each other; blocks of different families
 * never do). Host bits set in either address are ignored.
 *
 * @throws when either value is not a CIDR
 */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidrOrThrow(outer);
  const i = parseCidrOrThrow(inner);
  if (o.family !== i.family || o.prefixLength > i.prefixLength) {
    return false;
  }
  const blockSize = 2n ** BigInt((o.family === 4 ? 32 : 128) - o.prefixLength);
  return i.network / blockSize === o.network / blockSize;
}

/**
 * Whether two CIDR blocks share at least one address (for CIDRs this means one contains the other).
 *
 * @throws when either value is not a CIDR
 */
export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Orders IPv4 CIDR strings by network address, then by prefix length; unparsable values sort last. */
export function compareIpv4Cidrs(a: string, b: string): number {
  const pa = parseIpv4Cidr(a);
  const pb = parseIpv4Cidr(b);
  if (!pa || !pb) {
    return pa ? -1 : pb ? 1 : a.localeCompare(b);
  }
  return pa.network - pb.network || pa.prefixLength - pb.prefixLength;
}

/**
 * The smallest list of IPv4 CIDRs that covers exactly the same addresses as `cidrs` (contained and duplicate blocks
 * dropped, adjacent blocks merged), sorted by address. Useful to fit network-ACL entry quotas.
 *
 * @throws when a value is not an IPv4 CIDR
 */
export function summarizeIpv4Cidrs(cidrs: readonly string[]): string[] {
  const ranges = cidrs.map((cidr) => {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed) {
      throw new Error(`invalid IPv4 cidr '${cidr}': use a block such as 10.0.0.0/16`);
    }
    return [parsed.network, parsed.network + 2 ** (32 - parsed.prefixLength) - 1];
  }).sort((x, y) => x[0] - y[0]);
  const merged: number[][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) {
      last[1] = Math.max(last[1], range[1]);
    } else {
      merged.push([range[0], range[1]]);
    }
  }
  const result: string[] = [];
  for (const [first, last] of merged) {
    let start = first;
    while (start <= last) {
      let size = 2 ** 32;
      while (start % size !== 0 || size > last - start + 1) {
        size /= 2;
      }
      result.push(formatIpv4Cidr(start, 32 - Math.log2(size)));
      start += size;
    }
  }
  return result;
}

/** The S3 prefixes of an ip-ranges.json document, grouped by region (`GLOBAL` for those without one). */
export interface S3PrefixesByRegion {
  /** IPv4 CIDRs by region, deduplicated and sorted by address. */
  readonly ipv4: Record<string, string[]>;
  /** IPv6 CIDRs by region, deduplicated and sorted by address. */
  readonly ipv6: Record<string, string[]>;
}

/**
 * Picks the `service: "S3"` entries of a parsed ip-ranges.json document and groups them by region.
 *
 * @throws when the document has no `prefixes` array
 */
export function groupS3Prefixes(doc: unknown): S3PrefixesByRegion {
  const d = doc as { prefixes?: unknown; ipv6_prefixes?: unknown };
  if (!d || !Array.isArray(d.prefixes)) {
    throw new Error('invalid ip-ranges document: no prefixes array; pass the file from https://ip-ranges.amazonaws.com/ip-ranges.json');
  }
  const collect = (entries: unknown, key: string): Record<string, string[]> => {
    const byRegion: Record<string, string[]> = {};
    for (const entry of Array.isArray(entries) ? entries : []) {
      const cidr = entry && entry.service === 'S3' ? entry[key] : undefined;
      if (typeof cidr === 'string' && typeof entry.region === 'string') {
        const list = byRegion[entry.region] ?? (byRegion[entry.region] = []);
        if (!list.includes(cidr)) {
          list.push(cidr);
        }
      }
    }
    return byRegion;
  };
  const ipv4 = collect(d.prefixes, 'ip_prefix');
  for (const region of Object.keys(ipv4)) {
    ipv4[region].sort(compareIpv4Cidrs);
  }
  const ipv6 = collect(d.ipv6_prefixes, 'ipv6_prefix');
  const ipv6Key = (cidr: string): bigint => parseIpv6Cidr(cidr)?.network ?? 0n;
  for (const region of Object.keys(ipv6)) {
    ipv6[region].sort((a, b) => (ipv6Key(a) < ipv6Key(b) ? -1 : ipv6Key(a) > ipv6Key(b) ? 1 : a.localeCompare(b)));
  }
  return { ipv4, ipv6 };
}
