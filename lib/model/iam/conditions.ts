import { hasUnresolved, matchArn, matchText, normalizeContext } from './patterns';
import { all3, any3, ContextValue, not3, Tri } from './types';
import { parseCidr } from '../../aws/s3-ranges-cidr';

/**
 * Condition operators, with the semantics of the IAM guide ("Condition operators", "...IfExists", "Single-valued vs.
 * multivalued context keys"):
 * - a key missing from the request: positive operators are false, negated ones (`StringNotEquals`, `ArnNotLike`,
 *   `NotIpAddress`...) true; `...IfExists` is true; `ForAllValues:` true; `ForAnyValue:` false (even with `IfExists`);
 *   `Null` tests presence;
 * - several policy values for one key: OR for positive operators, AND ("none of them") for negated ones;
 * - a multivalued request value without a set operator behaves as `ForAnyValue:` for positive operators and as
 *   "none of the request values matches" for negated ones.
 */

type Family = 'string' | 'arn' | 'bool' | 'numeric' | 'date' | 'ip' | 'binary' | 'null';

interface BaseOperator {
  readonly family: Family;
  readonly negated: boolean;
  /** Compares one request value with one policy value (the positive form). */
  readonly compare?: (requestValue: string, policyValue: string, ctx: ReadonlyMap<string, ContextValue>, variables: boolean) => Tri;
}

const strictText = (wildcards: boolean, ignoreCase: boolean) =>
  (v: string, p: string, context: ReadonlyMap<string, ContextValue>, variables: boolean) =>
    matchText(p, v, { wildcards, ignoreCase, variables, context });

const arnText = (v: string, p: string, context: ReadonlyMap<string, ContextValue>, variables: boolean) =>
  matchArn(p, v, { wildcards: true, variables, context });

const numeric = (test: (a: number, b: number) => boolean) => (v: string, p: string): Tri => {
  if (hasUnresolved(v) || hasUnresolved(p)) return 'unknown';
  const a = Number(v);
  const b = Number(p);
  return v.trim() !== '' && p.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && test(a, b);
};

const date = (test: (a: number, b: number) => boolean) => (v: string, p: string): Tri => {
  if (hasUnresolved(v) || hasUnresolved(p)) return 'unknown';
  const a = parseDate(v);
  const b = parseDate(p);
  return a !== undefined && b !== undefined && test(a, b);
};

/** An ISO 8601 date/time or epoch seconds, as milliseconds. */
function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function bool(v: string, p: string): Tri {
  if (hasUnresolved(v) || hasUnresolved(p)) return 'unknown';
  return v.toLowerCase() === p.toLowerCase();
}

function ipInCidr(v: string, p: string): Tri {
  if (hasUnresolved(v) || hasUnresolved(p)) return 'unknown';
  const address = parseAddress(v);
  const block = parseAddress(p);
  if (!address || !block || address.family !== block.family) return false;
  const size = 2n ** BigInt((block.family === 4 ? 32 : 128) - block.prefixLength);
  return address.network / size === block.network / size;
}

/** An address or CIDR; a bare address reads as a /32 (IPv4) or /128 (IPv6). */
function parseAddress(text: string): ReturnType<typeof parseCidr> {
  const t = text.trim();
  if (t.includes('/')) return parseCidr(t);
  return parseCidr(`${t}/32`) ?? parseCidr(`${t}/128`);
}

const eq = (a: number, b: number) => a === b;
const OPERATORS: Record<string, BaseOperator> = {
  stringequals: { family: 'string', negated: false, compare: strictText(false, false) },
  stringnotequals: { family: 'string', negated: true, compare: strictText(false, false) },
  stringequalsignorecase: { family: 'string', negated: false, compare: strictText(false, true) },
  stringnotequalsignorecase: { family: 'string', negated: true, compare: strictText(false, true) },
  stringlike: { family: 'string', negated: false, compare: strictText(true, false) },
  stringnotlike: { family: 'string', negated: true, compare: strictText(true, false) },
  arnequals: { family: 'arn', negated: false, compare: arnText },
  arnnotequals: { family: 'arn', negated: true, compare: arnText },
  arnlike: { family: 'arn', negated: false, compare: arnText },
  arnnotlike: { family: 'arn', negated: true, compare: arnText },
  bool: { family: 'bool', negated: false, compare: bool },
  ipaddress: { family: 'ip', negated: false, compare: ipInCidr },
  notipaddress: { family: 'ip', negated: true, compare: ipInCidr },
  numericequals: { family: 'numeric', negated: false, compare: numeric(eq) },
  numericnotequals: { family: 'numeric', negated: true, compare: numeric(eq) },
  numericlessthan: { family: 'numeric', negated: false, compare: numeric((a, b) => a < b) },
  numericlessthanequals: { family: 'numeric', negated: false, compare: numeric((a, b) => a <= b) },
  numericgreaterthan: { family: 'numeric', negated: false, compare: numeric((a, b) => a > b) },
  numericgreaterthanequals: { family: 'numeric', negated: false, compare: numeric((a, b) => a >= b) },
  dateequals: { family: 'date', negated: false, compare: date(eq) },
  datenotequals: { family: 'date', negated: true, compare: date(eq) },
  datelessthan: { family: 'date', negated: false, compare: date((a, b) => a < b) },
  datelessthanequals: { family: 'date', negated: false, compare: date((a, b) => a <= b) },
  dategreaterthan: { family: 'date', negated: false, compare: date((a, b) => a > b) },
  dategreaterthanequals: { family: 'date', negated: false, compare: date((a, b) => a >= b) },
  binaryequals: { family: 'binary', negated: false, compare: strictText(false, false) },
  null: { family: 'null', negated: false },
};

/** A parsed operator name: set qualifier, base operator and `IfExists`. */
export interface ParsedOperator {
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly base: string;
  readonly ifExists: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined for an operator this evaluator does not know. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator.trim();
  let set: ParsedOperator['set'];
  const m = /^(ForAnyValue|ForAllValues):(.*)$/i.exec(rest);
  if (m) {
    set = m[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    rest = m[2];
  }
  let base = rest.toLowerCase();
  let ifExists = false;
  if (base.endsWith('ifexists') && base !== 'null') {
    ifExists = true;
    base = base.slice(0, -'ifexists'.length);
  }
  return OPERATORS[base] ? { set, base, ifExists } : undefined;
}

/** A context value as a list of strings; undefined when the key is absent (or an empty list). */
function requestValues(value: ContextValue): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(String);
  return [String(value)];
}

/**
 * Evaluates one condition (`operator`, `key`, policy `values`) against a request context.
 *
 * @param operator e.g. `StringNotEquals`, `ForAnyValue:StringLike`, `BoolIfExists`, `Null`
 * @param key the condition key (case-insensitive)
 * @param values the policy values (a string is read as a one-element list)
 * @param context the request context by key (keys case-insensitive)
 * @param variables whether `${…}` policy variables in the values are substituted from the context (policy version
 *   `2012-10-17`); an unsupplied variable makes the comparison `'unknown'`
 * @returns true/false, or `'unknown'` when the answer depends on an unresolved value (`{{?}}`) or the operator is
 *   not one this evaluator knows
 */
export function evaluateCondition(
  operator: string,
  key: string,
  values: string | readonly string[],
  context: Record<string, ContextValue> | ReadonlyMap<string, ContextValue> | undefined,
  variables = true,
): Tri {
  return conditionHolds(operator, key, values, normalizeContext(context), variables);
}

/** {@link evaluateCondition} over a context whose keys are already lower-cased. */
export function conditionHolds(
  operator: string, key: string, values: string | readonly string[], ctx: ReadonlyMap<string, ContextValue>, variables: boolean,
): Tri {
  const parsed = parseOperator(operator);
  if (!parsed || hasUnresolved(key)) return 'unknown';
  const policyValues = typeof values === 'string' ? [values] : values;
  const op = OPERATORS[parsed.base];
  const present = requestValues(ctx.get(key.toLowerCase()));

  if (op.family === 'null') {
    // Null: "true" means the key must be absent, "false" that it must be present.
    return any3(policyValues, p => hasUnresolved(p) ? 'unknown' : (p.toLowerCase() === 'true') === (present === undefined));
  }
  if (present === undefined) {
    // The set qualifier decides before IfExists: ForAnyValue:StringEqualsIfExists on a missing key is false (as AWS
    // answers, see re:Post "ForAnyValue:StringEqualsIfExists behaving unexpectedly"; iam-simulate agrees).
    if (parsed.set === 'ForAllValues') return true;
    if (parsed.set === 'ForAnyValue') return false;
    return parsed.ifExists || op.negated;
  }
  const compare = op.compare!;
  // One request value against all policy values: OR of matches for positive operators, "matches none" for negated.
  const positive = (v: string): Tri => any3(policyValues, p => compare(v, p, ctx, variables));
  const one = (v: string): Tri => op.negated ? not3(positive(v)) : positive(v);
  if (parsed.set === 'ForAllValues') return all3(present, one);
  if (parsed.set === 'ForAnyValue') return any3(present, one);
  return op.negated ? all3(present, one) : any3(present, one);
}
