import * as fc from 'fast-check';
import {
  cidrContains,
  cidrsOverlap,
  knownS3Regions,
  parseCidr,
  parseIpv4Cidr,
  parseIpv6Cidr,
  s3Ipv4Cidrs,
  s3Ipv6Cidrs,
  s3NaclIpv4Cidrs,
  S3_RANGES_SNAPSHOT,
  summarizeIpv4Cidrs,
} from '../../lib/aws/s3-ranges';
import { groupS3Prefixes } from '../../lib/aws/s3-ranges-cidr';
import { parseArgs, renderS3RangesModule } from '../../scripts/refresh-s3-ranges';

/** `a.b.c.d/p` for an unsigned 32-bit address (arithmetic, as the project forbids bitwise operators). */
function ipv4Text(address: number, prefixLength: number): string {
  const octet = (shift: number) => Math.floor(address / 2 ** shift) % 256;
  return `${octet(24)}.${octet(16)}.${octet(8)}.${octet(0)}/${prefixLength}`;
}

describe('bundled S3 ranges', () => {
  test('a known region returns its published IPv4 CIDRs', () => {
    // WHEN
    const cidrs = s3Ipv4Cidrs('us-east-1');
    // THEN
    expect(cidrs).toEqual(expect.arrayContaining(['52.216.0.0/15', '54.231.0.0/16', '3.5.0.0/19']));
    expect(cidrs!.every((c) => parseIpv4Cidr(c) !== undefined)).toBe(true);
  });

  test('a known region returns its published IPv6 CIDRs', () => {
    expect(s3Ipv6Cidrs('us-east-1')).toEqual(expect.arrayContaining(['2600:1ff0:8000::/39', '2600:1fa0:8000::/39']));
  });

  test('an unknown region returns undefined for both families', () => {
    expect(s3Ipv4Cidrs('xx-nowhere-1')).toBeUndefined();
    expect(s3Ipv6Cidrs('xx-nowhere-1')).toBeUndefined();
  });

  test('an inherited object key is not a region', () => {
    expect(s3Ipv4Cidrs('constructor')).toBeUndefined();
  });

  test('a region with IPv4 ranges only returns an empty IPv6 list', () => {
    // GIVEN ap-southeast-5 has no IPv6 prefix in the snapshot
    expect(s3Ipv4Cidrs('ap-southeast-5')!.length).toBeGreaterThan(0);
    expect(s3Ipv6Cidrs('ap-southeast-5')).toEqual([]);
  });

  test('callers get a copy they may change', () => {
    s3Ipv4Cidrs('eu-west-1')!.push('10.0.0.0/8');
    expect(s3Ipv4Cidrs('eu-west-1')).not.toContain('10.0.0.0/8');
  });

  test('known regions are sorted, include the main partitions and exclude GLOBAL', () => {
    const regions = knownS3Regions();
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1', 'cn-north-1', 'us-gov-west-1']));
    expect(regions).not.toContain('GLOBAL');
  });

  test('every bundled CIDR is canonical (no host bits set)', () => {
    for (const region of knownS3Regions()) {
      for (const cidr of s3Ipv4Cidrs(region)!) {
        const p = parseIpv4Cidr(cidr)!;
        expect(`${cidr} ${p.network % 2 ** (32 - p.prefixLength)}`).toBe(`${cidr} 0`);
      }
      for (const cidr of s3Ipv6Cidrs(region)!) {
        const p = parseIpv6Cidr(cidr)!;
        expect(parseCidr(cidr)!.network).toBe(p.network);
      }
    }
  });

  test('the snapshot names its source, date and token', () => {
    expect(S3_RANGES_SNAPSHOT.source).toMatch(/ip-ranges/);
    expect(typeof S3_RANGES_SNAPSHOT.createDate).toBe('string');
    expect(typeof S3_RANGES_SNAPSHOT.syncToken).toBe('string');
  });

  test('network-ACL CIDRs cover exactly the published ranges with no more entries', () => {
    // GIVEN us-east-2 publishes adjacent blocks (52.219.142.0/24 and 52.219.143.0/24)
    const published = s3Ipv4Cidrs('us-east-2')!;
    // WHEN
    const nacl = s3NaclIpv4Cidrs('us-east-2')!;
    // THEN
    expect(nacl).toContain('52.219.142.0/23');
    expect(nacl.length).toBeLessThan(published.length);
    for (const cidr of published) {
      expect(nacl.some((n) => cidrContains(n, cidr))).toBe(true);
    }
    expect(s3NaclIpv4Cidrs('xx-nowhere-1')).toBeUndefined();
  });
});

describe('cidrContains', () => {
  test.each([
    ['0.0.0.0/0 contains any IPv4 block', '0.0.0.0/0', '52.216.0.0/15', true],
    ['0.0.0.0/0 contains itself', '0.0.0.0/0', '0.0.0.0/0', true],
    ['a /32 contains itself', '52.216.1.1/32', '52.216.1.1/32', true],
    ['a /32 does not contain its neighbour', '52.216.1.1/32', '52.216.1.2/32', false],
    ['a block contains a /32 inside it', '52.216.0.0/15', '52.217.255.255/32', true],
    ['equal blocks contain each other', '54.231.0.0/16', '54.231.0.0/16', true],
    ['a longer prefix does not contain a shorter one', '54.231.0.0/17', '54.231.0.0/16', false],
    ['disjoint blocks', '10.0.0.0/8', '54.231.0.0/16', false],
    ['adjacent blocks', '52.216.0.0/16', '52.217.0.0/16', false],
    ['host bits in the outer address are ignored', '52.216.7.9/15', '52.217.0.0/16', true],
    ['IPv6 /0 contains an IPv6 prefix', '::/0', '2600:1ff0:8000::/39', true],
    ['IPv6 prefix contains a longer one inside it', '2600:1ff0:8000::/39', '2600:1ff0:8100::/40', true],
    ['IPv6 prefix does not contain a sibling of its parent', '2600:1ff0:8000::/39', '2600:1ff0:9000::/40', false],
    ['IPv6 disjoint prefixes', '2600:1ff0:8000::/39', '2600:1fa0:8000::/39', false],
    ['different families never contain each other', '0.0.0.0/0', '::/0', false],
  ])('%s', (_name, outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });

  test('an invalid CIDR throws an error naming it', () => {
    expect(() => cidrContains('10.0.0.0/33', '10.0.0.0/8')).toThrow(/invalid cidr '10.0.0.0\/33'/);
    expect(() => cidrContains('10.0.0.0/8', 'pl-1234')).toThrow(/invalid cidr 'pl-1234'/);
  });

  test('overlap is symmetric and false for disjoint blocks', () => {
    expect(cidrsOverlap('52.216.0.0/15', '52.217.3.0/24')).toBe(true);
    expect(cidrsOverlap('52.217.3.0/24', '52.216.0.0/15')).toBe(true);
    expect(cidrsOverlap('52.216.0.0/16', '52.217.0.0/16')).toBe(false);
  });

  test('containment matches address arithmetic for random IPv4 blocks', () => {
    const block = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }));
    const text = ([n, p]: [number, number]) => ipv4Text(n, p);
    fc.assert(fc.property(block, block, (a, b) => {
      const start = (x: [number, number]) => x[0] - (x[0] % 2 ** (32 - x[1]));
      const end = (x: [number, number]) => start(x) + 2 ** (32 - x[1]) - 1;
      const expected = start(b) >= start(a) && end(b) <= end(a);
      return cidrContains(text(a), text(b)) === expected;
    }));
  });
});

describe('CIDR parsing', () => {
  test.each(['10.0.0.0', '10.0.0.0/', '256.0.0.0/8', '10.0.0/8', '10.0.0.0/33', ' ', 'a.b.c.d/8'])('rejects IPv4 %p', (bad) => {
    expect(parseIpv4Cidr(bad)).toBeUndefined();
  });

  test.each(['2600::1ff0::/40', '2600:1ff0/40', '2600:1ff0:8000::/129', '1:2:3:4:5:6:7:8:9/64', 'g::/8'])('rejects IPv6 %p', (bad) => {
    expect(parseIpv6Cidr(bad)).toBeUndefined();
  });

  test('parses a full IPv6 address and clears host bits', () => {
    expect(parseIpv6Cidr('2600:1ff0:8001:0:0:0:0:1/39')).toEqual(parseIpv6Cidr('2600:1ff0:8000::/39'));
  });
});

describe('summarizeIpv4Cidrs', () => {
  test('merges siblings, drops contained and duplicate blocks, keeps others', () => {
    expect(summarizeIpv4Cidrs(['10.0.1.0/24', '10.0.0.0/24', '10.0.0.128/25', '10.0.0.0/24', '192.168.0.0/16']))
      .toEqual(['10.0.0.0/23', '192.168.0.0/16']);
  });

  test('does not widen adjacent blocks that are not siblings', () => {
    expect(summarizeIpv4Cidrs(['10.0.1.0/24', '10.0.2.0/24'])).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
  });

  test('handles the whole address space and empty input', () => {
    expect(summarizeIpv4Cidrs(['0.0.0.0/1', '128.0.0.0/1'])).toEqual(['0.0.0.0/0']);
    expect(summarizeIpv4Cidrs([])).toEqual([]);
  });

  test('an invalid CIDR throws an error naming it', () => {
    expect(() => summarizeIpv4Cidrs(['10.0.0.0/8', 'nope'])).toThrow(/invalid IPv4 cidr 'nope'/);
  });

  test('covers exactly the same addresses for random inputs', () => {
    const block = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 32 }))
      .map(([n, p]) => ipv4Text(n, p));
    fc.assert(fc.property(fc.array(block, { maxLength: 8 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (cidrs, probe) => {
      const summary = summarizeIpv4Cidrs(cidrs);
      const host = ipv4Text(probe, 32);
      const inInput = cidrs.some((c) => cidrContains(c, host));
      const inSummary = summary.some((c) => cidrContains(c, host));
      return inInput === inSummary && summary.length <= Math.max(cidrs.length, 0)
        && cidrs.every((c) => summary.some((s) => cidrContains(s, c)));
    }));
  });
});

describe('refresh-s3-ranges script', () => {
  const fixture = {
    syncToken: '1700000000',
    createDate: '2023-11-14-22-13-20',
    prefixes: [
      { ip_prefix: '52.95.0.0/24', region: 'eu-west-1', service: 'S3', network_border_group: 'eu-west-1' },
      { ip_prefix: '3.5.64.0/21', region: 'eu-west-1', service: 'S3', network_border_group: 'eu-west-1' },
      { ip_prefix: '3.5.64.0/21', region: 'eu-west-1', service: 'AMAZON', network_border_group: 'eu-west-1' },
      { ip_prefix: '13.34.0.0/24', region: 'eu-west-1', service: 'EC2', network_border_group: 'eu-west-1' },
      { ip_prefix: '76.223.95.0/24', region: 'GLOBAL', service: 'S3', network_border_group: 'GLOBAL' },
    ],
    ipv6_prefixes: [
      { ipv6_prefix: '2a05:d07a:8000::/40', region: 'eu-west-1', service: 'S3', network_border_group: 'eu-west-1' },
      { ipv6_prefix: '2a05:d034:8000::/40', region: 'eu-west-1', service: 'S3', network_border_group: 'eu-west-1' },
    ],
  };

  test('renders the S3 entries of a document as the data module', () => {
    // WHEN
    const text = renderS3RangesModule(fixture, { source: 'fixture' });
    // THEN
    expect(text).toBe([
      '// Generated by scripts/refresh-s3-ranges.ts from the published AWS IP address ranges: do not edit by hand.',
      '// To refresh:',
      '//   curl -o /tmp/ip-ranges.json https://ip-ranges.amazonaws.com/ip-ranges.json',
      '//   npx ts-node scripts/refresh-s3-ranges.ts /tmp/ip-ranges.json',
      '',
      '/** Where the snapshot comes from: the published file\'s `createDate` and `syncToken`, and its source. */',
      'export const S3_RANGES_DATA_INFO = {',
      '  createDate: \'2023-11-14-22-13-20\',',
      '  syncToken: \'1700000000\',',
      '  source: \'fixture\',',
      '};',
      '',
      '/** IPv4 CIDRs of the S3 service by region (`GLOBAL`: prefixes not tied to a region), sorted by address. */',
      'export const S3_IPV4_CIDRS: Readonly<Record<string, readonly string[]>> = {',
      '  \'GLOBAL\': [',
      '    \'76.223.95.0/24\',',
      '  ],',
      '  \'eu-west-1\': [',
      '    \'3.5.64.0/21\', \'52.95.0.0/24\',',
      '  ],',
      '};',
      '',
      '/** IPv6 CIDRs of the S3 service by region (`GLOBAL`: prefixes not tied to a region), sorted by address. */',
      'export const S3_IPV6_CIDRS: Readonly<Record<string, readonly string[]>> = {',
      '  \'eu-west-1\': [',
      '    \'2a05:d034:8000::/40\', \'2a05:d07a:8000::/40\',',
      '  ],',
      '};',
      '',
    ].join('\n'));
  });

  test('a document without createDate needs the flags', () => {
    const { createDate: _d, syncToken: _t, ...bare } = fixture;
    expect(() => renderS3RangesModule(bare, { source: 'x' })).toThrow(/no createDate or syncToken/);
    expect(renderS3RangesModule(bare, { source: 'x', createDate: 'd', syncToken: 't' })).toContain('createDate: \'d\'');
  });

  test('a document that is not ip-ranges.json is rejected', () => {
    expect(() => groupS3Prefixes({ hello: 1 })).toThrow(/no prefixes array/);
  });

  test('reads the input path and flags from the command line', () => {
    const args = parseArgs(['/tmp/ip-ranges.json', '--out', '/tmp/out.ts', '--sync-token', '1']);
    expect(args).toEqual({
      input: '/tmp/ip-ranges.json',
      out: '/tmp/out.ts',
      options: { source: 'https://ip-ranges.amazonaws.com/ip-ranges.json', createDate: undefined, syncToken: '1' },
    });
    expect(() => parseArgs([])).toThrow(/usage: refresh-s3-ranges/);
    expect(() => parseArgs(['a.json', '--bogus', 'x'])).toThrow(/unknown: bogus/);
  });
});
