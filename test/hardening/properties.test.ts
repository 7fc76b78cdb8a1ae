import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { nagAcknowledgements } from './helpers/nag-acks';
import { build, buildableArb, Built, reasonsToThrow, scenarioArb, Scenario } from './helpers/scenario';
import { templatesOfScope } from '../../lib/input/scope';
import { validateExemptions } from '../../lib/policy/lockout-safe-deny';
import { validatePrefix } from '../../lib/policy/validation';
import { ALL_RULES } from '../../lib/rules/all';
import { runRules } from '../../lib/rules/run';
import { modelOf } from '../helpers/checks';
import { unacknowledgedFindings } from '../helpers/nag';

/*
 * Property-based tests over S3PrivateAccess's props (fast-check, fixed seed). For any generated props the construct
 * either builds an app that passes every rule of the catalog (and cdk-nag's AwsSolutions pack, on a sample), or
 * throws the library's Error with a well-formed message; and no bucket policy it writes can lock anyone out.
 *
 * Budget on a shared 2-core machine: building a VPC app and running the 31 rules takes ~25 ms, cdk-nag ~150 ms more,
 * so cdk-nag runs on its own property of 100 runs while the catalog runs on every run of the other properties.
 */

const SEED = 20240601;

type Outcome = { built: Built } | { error: unknown };

function attempt(s: Scenario): Outcome {
  try {
    return { built: build(s) };
  } catch (error) {
    return { error };
  }
}

/** Why a thrown value is not a well-formed library error; empty when it is. */
function badError(error: unknown): string[] {
  if (!(error instanceof Error)) return [`threw a non-Error: ${String(error)}`];
  const m = error.message;
  return [
    // a plain Error, or the construct's error that names its construct (aws-cdk-lib's ValidationError)
    ...(error.constructor !== Error && error.name !== 'S3PrivateAccessValidation' ? [`${error.constructor.name}: ${m}`] : []),
    ...(/^[a-z]/.test(m) ? [] : [`not lowercase-first: ${m}`]),
    ...(/undefined|\[object Object\]/.test(m) ? [`shows undefined or [object Object]: ${m}`] : []),
    ...(/\.\s*$/.test(m) ? [`ends with a period: ${m}`] : []),
  ];
}

/** The catalog's findings that break the property: errors, and warnings other than "cannot judge". */
function catalogViolations(built: Built): string[] {
  const findings = runRules(modelOf(built.stack), ALL_RULES);
  return findings
    .filter((f) => f.level === 'error' || !f.cannotJudge)
    .map((f) => `${f.level} ${f.ruleId} at ${f.resource.path}: ${f.message}`);
}

/** Deny statements conditioned on the network that lack an exemption; empty when every one has them all. */
function lockoutGaps(stack: Stack): string[] {
  const template = templatesOfScope(stack).stacks[0].template as { Resources: Record<string, any> };
  const gaps: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::S3::BucketPolicy') continue;
    for (const st of r.Properties.PolicyDocument.Statement) {
      const c = st.Condition ?? {};
      const network = JSON.stringify(c).match(/aws:SourceVpce?"/);
      if (st.Effect !== 'Deny' || !network) continue;
      const exempt = JSON.stringify(c.ArnNotLike?.['aws:PrincipalArn'] ?? '');
      if (!exempt.includes('cdk-hnb659fds-cfn-exec-role')) gaps.push(`${id}: no deploy-role exemption`);
      if (c.BoolIfExists?.['aws:PrincipalIsAWSService'] !== 'false') gaps.push(`${id}: no aws:PrincipalIsAWSService exemption`);
      if (c.BoolIfExists?.['aws:ViaAWSService'] !== 'false') gaps.push(`${id}: no aws:ViaAWSService exemption`);
    }
  }
  return gaps;
}

/**
 * Route tables that would get an S3 route from more than one place: S3 gateway endpoints of the template (their
 * RouteTableIds) and associations of adopted endpoints (Custom::S3GatewayEndpointRouteTable). A route table holds one
 * route per prefix list, so CloudFormation could not deploy such a template.
 */
function sharedRouteTables(stack: Stack): string[] {
  const resources = templatesOfScope(stack).stacks[0].template.Resources as Record<string, any>;
  const routes = new Map<string, string[]>();
  const add = (table: unknown, from: string) => {
    const key = JSON.stringify(table);
    routes.set(key, [...(routes.get(key) ?? []), from]);
  };
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::EC2::VPCEndpoint' && /\.s3"?\]?\]?\}?$/.test(JSON.stringify(r.Properties.ServiceName))) {
      (r.Properties.RouteTableIds ?? []).forEach((table: unknown) => add(table, id));
    }
    if (r.Type === 'Custom::S3GatewayEndpointRouteTable') {
      const create = JSON.stringify(r.Properties.Create);
      add(/"Ref":"([A-Za-z0-9]+)"/.exec(create)?.[1] ?? /rtb-[0-9a-f]+/.exec(create)?.[0], id);
    }
  }
  return [...routes.entries()].filter(([, from]) => from.length > 1).map(([table, from]) => `${table}: ${from.join(', ')}`);
}

describe('properties of S3PrivateAccess over its props', () => {
  test('builds an app that passes every catalog rule, or throws a well-formed error exactly when the input is bad', () => {
    let built = 0;
    let refused = 0;
    fc.assert(fc.property(scenarioArb, (s) => {
      const reasons = reasonsToThrow(s);
      const outcome = attempt(s);
      if ('error' in outcome) {
        refused++;
        expect({ reasons: reasons.length > 0 ? 'some' : 'none', problems: badError(outcome.error) })
          .toEqual({ reasons: 'some', problems: [] });
      } else {
        built++;
        const stack = outcome.built.stack;
        expect({ reasons, violations: catalogViolations(outcome.built), lockoutGaps: lockoutGaps(stack), shared: sharedRouteTables(stack) })
          .toEqual({ reasons: [], violations: [], lockoutGaps: [], shared: [] });
      }
    }), { seed: SEED, numRuns: 600 });
    // the generator reaches both outcomes
    expect({ built: built > 100, refused: refused > 100 }).toEqual({ built: true, refused: true });
  });

  test('every bucket policy Deny conditioned on the network exempts the deploy role, AWS services and calls via AWS services', () => {
    const buildable = buildableArb.filter((s) => s.restriction !== 'none' && s.buckets.some((b) => !b.imported));
    fc.assert(fc.property(buildable, (s) => {
      const { stack } = build(s);
      expect(lockoutGaps(stack)).toEqual([]);
    }), { seed: SEED + 1, numRuns: 200 });
  });

  test('no two S3 gateway endpoints share a route table, also when the VPC already has one (200 buildable apps)', () => {
    let withExisting = 0;
    fc.assert(fc.property(buildableArb.filter((s) => s.vpc === 'created'), (s) => {
      const { stack } = build(s);
      if (s.vpc === 'created' && s.vpcEndpoint !== 'none') withExisting++;
      expect(sharedRouteTables(stack)).toEqual([]);
    }), { seed: SEED + 5, numRuns: 200 });
    expect(withExisting).toBeGreaterThan(50);
  });

  test('cdk-nag AwsSolutions finds nothing beyond the reasoned acknowledgements (sample of 100 buildable apps)', () => {
    fc.assert(fc.property(buildableArb, (s) => {
      const b = build(s);
      expect(unacknowledgedFindings(b.app, b.stack, nagAcknowledgements(b))).toEqual([]);
    }), { seed: SEED + 2, numRuns: 100 });
  });

  test('exemptions: wildcards in the partition, service, account or whole name throw, literal and name-suffix wildcards pass', () => {
    const part = (wild: boolean, literal: fc.Arbitrary<string>) => wild ? fc.constantFrom('*', '?', 'a*') : literal;
    const arn = fc.record({
      wildPartition: fc.boolean(),
      wildAccount: fc.boolean(),
      wildName: fc.boolean(),
      suffixWild: fc.boolean(),
      type: fc.constantFrom('role', 'user'),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    }).chain((p) => fc.tuple(fc.constant(p), part(p.wildPartition, fc.constantFrom('aws', 'aws-cn')), part(p.wildAccount, fc.constantFrom('111111111111', '222222222222'))));
    fc.assert(fc.property(arn, ([p, partition, account]) => {
      const name = p.wildName ? '*' : `${p.name}${p.suffixWild ? '*' : ''}`;
      const value = `arn:${partition}:iam::${account}:${p.type}/${name}`;
      const mustThrow = p.wildPartition || p.wildAccount || p.wildName;
      let error: unknown;
      try {
        validateExemptions([value]);
      } catch (e) {
        error = e;
      }
      expect({ threw: error !== undefined, problems: error ? badError(error) : [], shows: error ? (error as Error).message.includes(value) : true })
        .toEqual({ threw: mustThrow, problems: [], shows: true });
    }), { seed: SEED + 3, numRuns: 200 });
  });

  test('prefixes: a leading slash or a wildcard throws with the prefix in the message, other prefixes pass', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '/', '*', '?', '-', '.', '_'), minLength: 1, maxLength: 12 }), (prefix) => {
      const mustThrow = prefix.startsWith('/') || /[*?]/.test(prefix);
      let error: unknown;
      try {
        validatePrefix(prefix);
      } catch (e) {
        error = e;
      }
      expect({ threw: error !== undefined, problems: error ? badError(error) : [], shows: error ? (error as Error).message.includes(prefix) : true })
        .toEqual({ threw: mustThrow, problems: [], shows: true });
    }), { seed: SEED + 4, numRuns: 200 });
  });
});
