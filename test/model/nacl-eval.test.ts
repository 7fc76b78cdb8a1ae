import { evaluateNacl, NaclQuery } from '../../lib/model/nacl-eval';
import { ModelResource, NetworkAclEntryNode, NetworkAclNode, unknown } from '../../lib/model/types';

const res = (id: string): ModelResource => ({
  key: `S/${id}`, stack: { id: 'S', region: 'eu-west-1', partition: 'aws' }, logicalId: id, type: 'AWS::EC2::NetworkAclEntry', path: `S/${id}`, props: {},
});

function entry(ruleNumber: number, ruleAction: string, cidrBlock: string, ports?: [number, number], protocol = '6'): NetworkAclEntryNode {
  return { res: res(`E${ruleNumber}`), egress: true, ruleNumber, ruleAction, protocol, cidrBlock, portFrom: ports?.[0], portTo: ports?.[1] };
}

function acl(...entries: NetworkAclEntryNode[]): NetworkAclNode {
  return { res: res('Acl'), vpc: unknown('vpc'), entries, subnets: [] };
}

const Q: NaclQuery = { egress: true, protocol: 6, fromPort: 443, toPort: 443, cidr: '52.218.0.0/17' };

describe('evaluateNacl', () => {
  test('the lowest rule number wins, whatever the order of definition', () => {
    // GIVEN an allow at 200 defined before a deny at 100
    const d = evaluateNacl(acl(entry(200, 'allow', '0.0.0.0/0', [443, 443]), entry(100, 'deny', '52.0.0.0/8', [0, 65535])), Q);

    // THEN
    expect(d).toMatchObject({ decision: 'deny', entry: { ruleNumber: 100 } });
  });

  test('a deny for part of the range denies the range', () => {
    // GIVEN a deny for half of the queried CIDR, then an allow for all
    const d = evaluateNacl(acl(entry(90, 'deny', '52.218.0.0/18', [443, 443]), entry(100, 'allow', '0.0.0.0/0', [443, 443])), Q);

    // THEN
    expect(d).toMatchObject({ decision: 'deny', partial: true });
  });

  test('allows for parts of the range that together cover it allow the range', () => {
    // GIVEN the two halves of the queried CIDR allowed by separate entries
    const halves = acl(entry(90, 'allow', '52.218.0.0/18', [443, 443]), entry(100, 'allow', '52.218.64.0/18', [443, 443]));

    // THEN
    expect(evaluateNacl(halves, Q)).toMatchObject({ decision: 'allow' });
  });

  test('allows for parts of the port range that together cover it allow the range', () => {
    // GIVEN 1024-30000 and 30001-65535 allowed separately, queried as 1024-65535
    const ports = acl(entry(90, 'allow', '0.0.0.0/0', [1024, 30000]), entry(100, 'allow', '0.0.0.0/0', [30001, 65535]));

    // THEN
    expect(evaluateNacl(ports, { ...Q, fromPort: 1024, toPort: 65535 })).toMatchObject({ decision: 'allow' });
  });

  test('a part of the range that no entry covers falls to the implicit deny', () => {
    // GIVEN only one half of the queried CIDR allowed
    const half = acl(entry(90, 'allow', '52.218.0.0/18', [443, 443]));

    // THEN
    expect(evaluateNacl(half, Q)).toEqual({ decision: 'deny', partial: true });
  });

  test('protocol -1 ignores ports, other protocols do not match TCP', () => {
    // GIVEN a UDP allow before an all-traffic allow
    const d = evaluateNacl(acl(entry(90, 'deny', '0.0.0.0/0', [0, 65535], '17'), entry(100, 'allow', '0.0.0.0/0', undefined, '-1')), Q);

    // THEN
    expect(d).toMatchObject({ decision: 'allow', entry: { ruleNumber: 100 } });
  });

  test('an unresolved CIDR on a matching entry makes the answer unknown', () => {
    // GIVEN
    const e = { ...entry(100, 'allow', '0.0.0.0/0', [443, 443]), cidrBlock: unknown('a parameter') };

    // THEN
    expect(evaluateNacl(acl(e), Q)).toMatchObject({ decision: 'unknown', what: expect.stringContaining('a parameter') });
  });
});
