/**
 * Property tests: random single-condition policies and contexts, judged by the evaluator and by @cloud-copilot/iam-simulate
 * (AGPL-3.0, dev dependency, tests only), plus algebraic laws the operators must keep.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import * as fc from 'fast-check';
import { evaluateCondition, evaluatePolicy } from '../../../lib/model/iam';

const ROLE = 'arn:aws:iam::111111111111:role/App';
const OBJ = 'arn:aws:s3:::data-bucket/k';

/** Short values from a small alphabet, so that equal and like-matching values actually occur. */
const value = fc.stringMatching(/^[ab]{0,3}$/);
const pattern = fc.stringMatching(/^[ab*?]{0,3}$/);

const stringOps = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'];
const operator = fc.tuple(
  fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'),
  fc.constantFrom(...stringOps),
  fc.boolean(),
).map(([set, op, ifExists]) => `${set}${op}${ifExists ? 'IfExists' : ''}`);

async function oracle(op: string, values: string[], ctx: string | string[] | undefined, key = 'aws:PrincipalTag/team'): Promise<boolean> {
  const result = await runSimulation({
    request: {
      principal: ROLE,
      action: 's3:GetObject',
      resource: { resource: OBJ, accountId: '111111111111' },
      contextVariables: ctx === undefined ? {} : { [key]: ctx },
    },
    identityPolicies: [{
      name: 'p',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ, Condition: { [op]: { [key]: values } } }] },
    }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult === 'Allowed';
}

describe('string conditions agree with iam-simulate', () => {
  test('on random operators, values and contexts (single-valued keys)', async () => {
    // aws:PrincipalTag/<key> is single-valued: no set operator, one context value
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...stringOps).chain(op => fc.tuple(fc.constant(op), fc.boolean())).map(([op, ie]) => `${op}${ie ? 'IfExists' : ''}`),
      fc.array(pattern, { minLength: 1, maxLength: 2 }),
      fc.oneof(fc.constant(undefined), value),
      async (op, values, ctx) => {
        const mine = evaluatePolicy(
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ, Condition: { [op]: { 'aws:PrincipalTag/team': values } } }] },
          { action: 's3:GetObject', resource: OBJ, principal: { arn: ROLE }, context: { 'aws:PrincipalTag/team': ctx } },
        ).decision === 'allow';
        expect(mine).toBe(await oracle(op, values, ctx));
      },
    ), { numRuns: 150, seed: 20240501 });
  });
});

describe('address conditions agree with iam-simulate', () => {
  /** Addresses from a few small ranges, so that containment is sometimes true and sometimes false. */
  const octet = fc.constantFrom(0, 10, 128, 255);
  const address = fc.tuple(fc.constantFrom(10, 172, 192), octet, octet, octet).map(o => o.join('.'));
  const cidr = fc.tuple(address, fc.constantFrom(8, 12, 16, 24, 32)).map(([a, n]) => `${a}/${n}`);

  test('on random IpAddress/NotIpAddress conditions and source addresses', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('IpAddress', 'NotIpAddress', 'IpAddressIfExists', 'NotIpAddressIfExists'),
      fc.array(cidr, { minLength: 1, maxLength: 2 }),
      fc.oneof(fc.constant(undefined), address),
      async (op, values, ip) => {
        const mine = evaluatePolicy(
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ, Condition: { [op]: { 'aws:SourceIp': values } } }] },
          { action: 's3:GetObject', resource: OBJ, principal: { arn: ROLE }, context: { 'aws:SourceIp': ip } },
        ).decision === 'allow';
        expect(mine).toBe(await oracle(op, values, ip, 'aws:SourceIp'));
      },
    ), { numRuns: 150, seed: 20240503 });
  });
});

describe('ARN conditions agree with iam-simulate', () => {
  const arnPattern = fc.tuple(
    fc.constantFrom('aws', '*'), fc.constantFrom('iam', '*', 'i?m'), fc.constantFrom('', '*'),
    fc.constantFrom('111111111111', '*', '1*'), fc.constantFrom('role/App', 'role/*', 'role/A?p', '*', 'role/x:y', 'role/*:y'),
  ).map(parts => `arn:${parts.join(':')}`);
  const principalArn = fc.tuple(fc.constantFrom('111111111111', '222222222222'), fc.constantFrom('role/App', 'role/Other', 'role/x:y'))
    .map(([account, name]) => `arn:aws:iam::${account}:${name}`);

  test('on random ArnLike/ArnEquals conditions and principal ARNs', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals', 'ArnLikeIfExists', 'ArnNotLikeIfExists'),
      // well-formed patterns only: iam-simulate makes even ArnNotLike false for a malformed one (an invalid policy)
      fc.array(arnPattern, { minLength: 1, maxLength: 2 }),
      fc.oneof(fc.constant(undefined), principalArn),
      async (op, values, arn) => {
        const mine = evaluatePolicy(
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ, Condition: { [op]: { 'aws:PrincipalArn': values } } }] },
          { action: 's3:GetObject', resource: OBJ, context: { 'aws:PrincipalArn': arn } },
        ).decision === 'allow';
        expect(mine).toBe(await oracle(op, values, arn, 'aws:PrincipalArn'));
      },
    ), { numRuns: 200, seed: 20240504 });
  });
});

describe('set operators agree with iam-simulate', () => {
  test('on random operators, values and lists (multivalued aws:TagKeys)', async () => {
    await fc.assert(fc.asyncProperty(
      operator.filter(op => op.startsWith('For')),
      fc.array(pattern, { minLength: 1, maxLength: 2 }),
      fc.oneof(fc.constant(undefined), fc.array(value, { minLength: 1, maxLength: 3 })),
      async (op, values, list) => {
        const mine = evaluatePolicy(
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ, Condition: { [op]: { 'aws:TagKeys': values } } }] },
          { action: 's3:GetObject', resource: OBJ, principal: { arn: ROLE }, context: { 'aws:TagKeys': list } },
        ).decision === 'allow';
        expect(mine).toBe(await oracle(op, values, list, 'aws:TagKeys'));
      },
    ), { numRuns: 150, seed: 20240502 });
  });
});

describe('operator laws', () => {
  test('with the key present, a negated operator is the negation of its positive form', () => {
    fc.assert(fc.property(
      fc.constantFrom(['StringEquals', 'StringNotEquals'], ['StringLike', 'StringNotLike'], ['ArnLike', 'ArnNotLike'], ['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']),
      fc.array(pattern, { minLength: 1, maxLength: 3 }),
      value,
      ([positive, negated], values, v) => {
        const ctx = { 'aws:PrincipalTag/team': v };
        expect(evaluateCondition(negated, 'aws:PrincipalTag/team', values, ctx)).toBe(!evaluateCondition(positive, 'aws:PrincipalTag/team', values, ctx));
      },
    ));
  });

  test('with the key missing, ForAllValues holds, ForAnyValue does not, then IfExists holds, else only negated operators', () => {
    fc.assert(fc.property(operator, fc.array(pattern, { minLength: 1, maxLength: 2 }), (op, values) => {
      const result = evaluateCondition(op, 'aws:TagKeys', values, {});
      const expected = op.startsWith('ForAllValues:') ? true
        : op.startsWith('ForAnyValue:') ? false
          : op.endsWith('IfExists') || op.includes('Not');
      expect(result).toBe(expected);
    }));
  });

  test('ForAnyValue over a list is the OR of the single-value results; ForAllValues the AND', () => {
    fc.assert(fc.property(
      fc.constantFrom(...stringOps),
      fc.array(pattern, { minLength: 1, maxLength: 2 }),
      fc.array(value, { minLength: 1, maxLength: 3 }),
      (op, values, list) => {
        const single = list.map(v => evaluateCondition(op, 'aws:TagKeys', values, { 'aws:TagKeys': v }));
        expect(evaluateCondition(`ForAnyValue:${op}`, 'aws:TagKeys', values, { 'aws:TagKeys': list })).toBe(single.some(x => x === true));
        expect(evaluateCondition(`ForAllValues:${op}`, 'aws:TagKeys', values, { 'aws:TagKeys': list })).toBe(single.every(x => x === true));
      },
    ));
  });

  test('an unresolved policy value never yields a definite match', () => {
    fc.assert(fc.property(fc.constantFrom(...stringOps), value, (op, v) => {
      const result = evaluateCondition(op, 'aws:PrincipalTag/team', '{{?}}', { 'aws:PrincipalTag/team': v });
      expect(result).toBe('unknown');
    }));
  });
});
