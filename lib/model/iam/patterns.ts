import { ContextValue, Tri } from './types';

/**
 * Text matching for IAM: wildcards (`*`, `?`), policy variables (`${aws:username}`) and unresolved holes.
 *
 * A hole is a `{{…}}` without a `/` in it (`{{?}}`, `{{AWS::AccountId}}`, `{{SomeParameter}}`): a value the model
 * could not resolve. Symbolic references to the app's resources (`{{Stack/Bucket1234}}`, `{{Stack/Role.Arn}}`)
 * always contain a `/` and compare as literal text.
 */

/** The part of a pattern after tokenizing. */
type Token =
  | { readonly kind: 'lit'; readonly text: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'one' }
  | { readonly kind: 'hole' };

const HOLE_AT = /\{\{(?:\?|[^{}/]*)\}\}/y;
const HOLE_ANY = /\{\{(?:\?|[^{}/]*)\}\}/;

/** Options of {@link matchText}. */
export interface MatchOptions {
  /** Whether `*` and `?` in the pattern are wildcards (they are literal for `StringEquals`). */
  readonly wildcards: boolean;
  /** Whether comparison ignores case (actions, `…IgnoreCase` operators). */
  readonly ignoreCase?: boolean;
  /** Whether `${…}` policy variables are substituted (policies with `Version: 2012-10-17`). */
  readonly variables?: boolean;
  /** Lower-cased request context, for policy variables. */
  readonly context?: ReadonlyMap<string, ContextValue>;
}

/** Whether the text contains a value the model could not resolve (`{{?}}`, `{{AWS::AccountId}}`, ...). */
export function hasUnresolved(text: string): boolean {
  return HOLE_ANY.test(text);
}

/** Whether the text contains a policy variable `${…}`. */
export function hasVariable(text: string): boolean {
  return text.includes('${');
}

function tokenize(pattern: string, opts: MatchOptions): Token[] {
  const out: Token[] = [];
  let lit = '';
  const flush = () => {
    if (lit) out.push({ kind: 'lit', text: lit });
    lit = '';
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '{' && pattern[i + 1] === '{') {
      HOLE_AT.lastIndex = i;
      const m = HOLE_AT.exec(pattern);
      if (m) {
        flush();
        out.push({ kind: 'hole' });
        i += m[0].length;
        continue;
      }
    }
    if (opts.variables && c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const value = variableValue(pattern.slice(i + 2, end), opts.context);
        if (value === undefined) {
          flush();
          out.push({ kind: 'hole' });
        } else {
          lit += value;
        }
        i = end + 1;
        continue;
      }
    }
    if (opts.wildcards && (c === '*' || c === '?')) {
      flush();
      out.push({ kind: c === '*' ? 'star' : 'one' });
    } else {
      lit += c;
    }
    i++;
  }
  flush();
  return out;
}

/** The value of `${name}` or `${name, 'default'}`; undefined when the context does not have it. */
function variableValue(body: string, context: ReadonlyMap<string, ContextValue> | undefined): string | undefined {
  if (body === '*' || body === '?' || body === '$') return body;
  const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(body);
  if (!m) return undefined;
  const v = context?.get(m[1].toLowerCase());
  if (typeof v === 'string' && !hasUnresolved(v)) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === undefined ? m[2] : undefined;
}

const regexCache = new Map<string, RegExp>();

function toRegExp(tokens: readonly Token[], ignoreCase: boolean): RegExp {
  const source = tokens.map(t => {
    switch (t.kind) {
      case 'lit': return t.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      case 'one': return '.';
      default: return '.*';
    }
  }).join('');
  const key = `${ignoreCase ? 'i' : ''}|${source}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** The literal text a pattern starts with (before any wildcard or hole). */
function leadingLiteral(tokens: readonly Token[]): string {
  return tokens[0]?.kind === 'lit' ? tokens[0].text : '';
}

/** The literal text a pattern ends with (after the last wildcard or hole). */
function trailingLiteral(tokens: readonly Token[]): string {
  const last = tokens[tokens.length - 1];
  return last?.kind === 'lit' ? last.text : '';
}

function compatible(a: string, b: string, atStart: boolean, ignoreCase: boolean): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  return atStart ? x.startsWith(y) || y.startsWith(x) : x.endsWith(y) || y.endsWith(x);
}

/**
 * Whether `value` matches `pattern`. `'unknown'` when the answer depends on a hole (in either) or on a policy
 * variable the context does not supply; `false` when the literal parts already rule a match out.
 */
export function matchText(pattern: string, value: string, opts: MatchOptions): Tri {
  return memoized(textMatchCache, matchTextUncached, pattern, value, opts);
}

/** Answers of {@link matchText} without policy variables. */
const textMatchCache = new Map<string, Tri>();

/**
 * A match answer from `cache` unless a policy variable in the pattern is substituted: otherwise it depends on the two
 * texts and two flags only (the context is read for variables alone), and the same pair recurs for every workload,
 * route and principal a request is judged for.
 */
function memoized(
  cache: Map<string, Tri>, match: (pattern: string, value: string, opts: MatchOptions) => Tri,
  pattern: string, value: string, opts: MatchOptions,
): Tri {
  if (opts.variables && hasVariable(pattern)) return match(pattern, value, opts);
  const key = `${opts.wildcards ? 'w' : ''}${opts.ignoreCase ? 'i' : ''}\u0000${pattern}\u0000${value}`;
  let out = cache.get(key);
  if (out === undefined) {
    out = match(pattern, value, opts);
    if (cache.size > 20000) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** Characters that may make a pattern more than its literal text: wildcards, holes, policy variables. */
const PATTERN_SYNTAX = /[*?{$]/;
const ASCII = /^[\x00-\x7f]*$/;

function matchTextUncached(pattern: string, value: string, opts: MatchOptions): Tri {
  // the same text is the same value, holes included (a reference to the same resource in the same stack), unless a
  // hole is `{{?}}` (any unresolved value) or a policy variable stands in the pattern
  if (pattern === value && !value.includes('{{?}}') && !(opts.variables && hasVariable(pattern))) return true;
  const ignoreCase = opts.ignoreCase ?? false;
  // plain literal text against plain text (no wildcard, hole or variable on either side): equal or not, as the regular
  // expression below would say (case folded only for ASCII, where lower-casing and the `i` flag agree)
  if (!PATTERN_SYNTAX.test(pattern) && !value.includes('{{') && (!ignoreCase || (ASCII.test(pattern) && ASCII.test(value)))) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const tokens = tokenize(pattern, opts);
  const valueTokens = tokenize(value, { wildcards: false });
  if (valueTokens.some(t => t.kind === 'hole')) {
    if (tokens.length > 0 && tokens.every(t => t.kind === 'star')) return true;
    if (!compatible(leadingLiteral(tokens), leadingLiteral(valueTokens), true, ignoreCase)) return false;
    if (!compatible(trailingLiteral(tokens), trailingLiteral(valueTokens), false, ignoreCase)) return false;
    return 'unknown';
  }
  const matches = toRegExp(tokens, ignoreCase).test(value);
  if (!matches) return false;
  return tokens.some(t => t.kind === 'hole') ? 'unknown' : true;
}

const PROTECTED = /\{\{[^{}]*\}\}|\$\{[^}]*\}/g;

/**
 * The six colon-delimited parts of an ARN (`arn`, partition, service, region, account, resource; the resource keeps
 * its own colons). `{{…}}` references and `${…}` variables stay whole. Undefined when the text is not an ARN.
 */
export function splitArn(text: string): readonly string[] | undefined {
  let parts = arnParts.get(text);
  if (parts === undefined) {
    parts = splitArnUncached(text) ?? null;
    if (arnParts.size > 20000) arnParts.clear();
    arnParts.set(text, parts);
  }
  return parts ?? undefined;
}

/** {@link splitArn}'s answers by text (null: not an ARN); callers do not change the parts. */
const arnParts = new Map<string, string[] | null>();

function splitArnUncached(text: string): string[] | undefined {
  const kept: string[] = [];
  const masked = text.replace(PROTECTED, m => `\u0000${kept.push(m) - 1}\u0001`);
  const parts = masked.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const restore = (part: string) => part.replace(/\u0000(\d+)\u0001/g, (_m, i: string) => kept[Number(i)]);
  return [...parts.slice(0, 5), parts.slice(5).join(':')].map(restore);
}

/**
 * ARN matching as `ArnLike` and the `Resource` element do it: each of the six parts separately, wildcards never
 * crossing a part; a pattern with fewer than six parts (`arn:aws:iam::*`) matches nothing. When either side is not
 * an ARN (`*`, a symbolic `{{Stack/Role.Arn}}`), the whole texts are matched.
 */
export function matchArn(pattern: string, value: string, opts: MatchOptions): Tri {
  return memoized(arnMatchCache, matchArnUncached, pattern, value, opts);
}

/** Answers of {@link matchArn} without policy variables. */
const arnMatchCache = new Map<string, Tri>();

function matchArnUncached(pattern: string, value: string, opts: MatchOptions): Tri {
  const p = splitArn(pattern);
  const v = splitArn(value);
  // A pattern that starts like an ARN but lacks parts (`arn:aws:iam::*`) is not a valid ARN and matches nothing.
  if (!p && pattern.startsWith('arn:') && !hasUnresolved(pattern)) return false;
  if (!p || !v) return matchText(pattern, value, opts);
  let out: Tri = true;
  for (let i = 0; i < 6 && out !== false; i++) {
    const part = matchText(p[i], v[i], opts);
    out = part === false ? false : part === 'unknown' ? 'unknown' : out;
  }
  return out;
}

/**
 * Whether an IAM action pattern (`s3:Get*`, `s3:*`, `*`) covers an action: case-insensitive, `*` and `?` wildcards.
 * Definite answer only: a pattern with an unresolved value does not match.
 */
export function actionMatches(pattern: string, action: string): boolean {
  return actionMatchesOrUnknown(pattern, action) === true;
}

/** {@link actionMatches} in three-valued form: `'unknown'` when the pattern or the action holds an unresolved value. */
export function actionMatchesOrUnknown(pattern: string, action: string): Tri {
  return matchText(pattern, action, { wildcards: true, ignoreCase: true });
}

/**
 * Whether a resource pattern (`arn:aws:s3:::bucket/*`, `*`) covers an ARN: case-sensitive, `*` and `?` wildcards
 * (spanning `/` but not the ARN's part separators, see {@link matchArn}). Definite answer only: `false` when it
 * depends on an unresolved value.
 */
export function resourceMatches(pattern: string, arn: string): boolean {
  return resourceMatchesOrUnknown(pattern, arn) === true;
}

/**
 * {@link resourceMatches} in three-valued form, with optional policy-variable substitution from a lower-cased context.
 */
export function resourceMatchesOrUnknown(
  pattern: string, arn: string, context?: ReadonlyMap<string, ContextValue>, variables = false,
): Tri {
  return matchArn(pattern, arn, { wildcards: true, variables, context });
}

/** The request context with lower-cased keys (condition keys are case-insensitive). */
export function normalizeContext(context: Record<string, ContextValue> | ReadonlyMap<string, ContextValue> | undefined): Map<string, ContextValue> {
  const out = new Map<string, ContextValue>();
  if (!context) return out;
  const entries = context instanceof Map ? [...context.entries()] : Object.entries(context);
  for (const [k, v] of entries) {
    if (v !== undefined) out.set(k.toLowerCase(), v);
  }
  return out;
}
