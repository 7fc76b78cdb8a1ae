import { conditionHolds } from './conditions';
import { actionMatchesOrUnknown, normalizeContext, resourceMatchesOrUnknown } from './patterns';
import { accountOf, principalMatchLevel, PrincipalMatch, requestPrincipal } from './principals';
import { normalizeStatements } from './statements';
import { all3, and3, any3, ContextValue, Decision, EvaluationResult, IamRequest, IamStatement, not3, PolicySet, Tri } from './types';

/**
 * Policy evaluation: one policy ({@link evaluatePolicy}) and the combination of identity, resource and VPC endpoint
 * policies for one request ({@link evaluateAll}), following the IAM guide's "Policy evaluation logic" and
 * "Cross-account policy evaluation logic".
 */

/** How one statement applies to a request. */
interface StatementOutcome {
  readonly statement: IamStatement;
  readonly applies: Tri;
  /** How the principal matched, when the statement has a `Principal`. */
  readonly level?: PrincipalMatch;
}

/** The request context with lower-cased keys, plus the principal keys derived from `request.principal`. */
export function requestContext(request: IamRequest): Map<string, ContextValue> {
  const ctx = normalizeContext(request.context);
  const p = requestPrincipal(request);
  if (!p) return ctx;
  const derive = (key: string, value: ContextValue) => {
    if (value !== undefined && !ctx.has(key)) ctx.set(key, value);
  };
  derive('aws:principalarn', p.arn);
  derive('aws:principalaccount', accountOf(p));
  derive('aws:principalisawsservice', p.service !== undefined ? 'true' : (p.arn ?? p.account) !== undefined ? 'false' : undefined);
  derive('aws:principalservicename', p.service);
  return ctx;
}

/** How to read a policy. */
export interface EvaluateOptions {
  /**
   * Read the policy as a gateway endpoint's policy: there an account principal (`"111111111111"`,
   * `arn:aws:iam::111111111111:root`) means the account's root user only, not its users and roles (AWS PrivateLink
   * guide, "Control access to VPC endpoints using endpoint policies", principals for gateway endpoints).
   *
   * @default false
   */
  readonly gatewayEndpoint?: boolean;
}

const ROOT_USER = /^arn:[^:]+:iam::[^:]+:root$/;

function statementOutcome(
  s: IamStatement, request: IamRequest, ctx: ReadonlyMap<string, ContextValue>, options: EvaluateOptions,
): StatementOutcome {
  if (s.effect === 'Invalid') return { statement: s, applies: false };
  let applies: Tri;
  if (s.action) applies = any3(s.action, p => actionMatchesOrUnknown(p, request.action));
  else if (s.notAction) applies = not3(any3(s.notAction, p => actionMatchesOrUnknown(p, request.action)));
  else applies = false;
  if (applies === false) return { statement: s, applies };

  if (s.resource) {
    applies = and3(applies, any3(s.resource, p => resourceMatchesOrUnknown(p, request.resource, ctx, s.variables)));
  } else if (s.notResource) {
    applies = and3(applies, not3(any3(s.notResource, p => resourceMatchesOrUnknown(p, request.resource, ctx, s.variables))));
  }
  if (applies === false) return { statement: s, applies };

  let level: PrincipalMatch | undefined;
  const principal = requestPrincipal(request);
  if (s.principal) {
    level = principalMatchLevel(s.principal, principal);
    if (level === 'account' && options.gatewayEndpoint && !ROOT_USER.test(principal?.arn ?? '')) level = false;
    applies = and3(applies, level === 'unknown' ? 'unknown' : level !== false);
  } else if (s.notPrincipal) {
    const m = principalMatchLevel(s.notPrincipal, principal);
    applies = and3(applies, m === 'unknown' ? 'unknown' : m === false);
  }
  if (applies === false) return { statement: s, applies, level };

  applies = and3(applies, all3(s.conditions, c => conditionHolds(c.operator, c.key, c.values, ctx, s.variables)));
  return { statement: s, applies, level };
}

/** Everything one policy decided, in both readings. */
interface PolicyOutcome {
  readonly result: EvaluationResult;
  /** Whether the optimistic allow rests only on account-level principal matches. */
  readonly optimisticAccountOnly: boolean;
}

function decide(outcomes: readonly StatementOutcome[]): PolicyOutcome {
  const of = (effect: string, applies: Tri) => outcomes.filter(o => o.statement.effect === effect && o.applies === applies);
  const deniedBy = of('Deny', true);
  const maybeDenied = of('Deny', 'unknown');
  const allowed = of('Allow', true);
  const maybeAllowed = of('Allow', 'unknown');
  const decision: Decision = deniedBy.length + maybeDenied.length > 0 ? 'deny' : allowed.length > 0 ? 'allow' : 'implicit-deny';
  const optimisticDecision: Decision = deniedBy.length > 0 ? 'deny' : allowed.length + maybeAllowed.length > 0 ? 'allow' : 'implicit-deny';
  const accountOnly = (list: readonly StatementOutcome[]) => list.length > 0 && list.every(o => o.level === 'account');
  return {
    result: {
      decision,
      optimisticDecision,
      uncertain: decision !== optimisticDecision,
      allowedBy: allowed.map(o => o.statement),
      deniedBy: deniedBy.map(o => o.statement),
      unknownStatements: outcomes.filter(o => o.applies === 'unknown').map(o => o.statement),
      allowedForAccountOnly: accountOnly(allowed),
    },
    optimisticAccountOnly: accountOnly([...allowed, ...maybeAllowed]),
  };
}

/** Normalized statements by document: rules evaluate one policy for many requests. Documents are never mutated. */
const statementCache = new WeakMap<object, IamStatement[]>();

/** A document's normalized statements, parsed once per document object. */
export function statementsCached(doc: unknown): IamStatement[] {
  if (doc === null || typeof doc !== 'object') return normalizeStatements(doc);
  let statements = statementCache.get(doc);
  if (!statements) {
    statements = normalizeStatements(doc);
    statementCache.set(doc, statements);
  }
  return statements;
}

function evaluateOne(doc: unknown, request: IamRequest, ctx: ReadonlyMap<string, ContextValue>, options: EvaluateOptions = {}): PolicyOutcome {
  return decide(statementsCached(doc).map(s => statementOutcome(s, request, ctx, options)));
}

/**
 * Evaluates one policy document for a request.
 *
 * Statements apply when action (or not-action), resource (or not-resource), principal (only when the statement has
 * `Principal`/`NotPrincipal`: resource and endpoint policies) and every condition match. An explicit deny wins over
 * any allow; without an applicable statement the result is `implicit-deny`.
 *
 * Unresolved values: a statement whose applicability is `'unknown'` is listed in `unknownStatements`; `decision`
 * reads it pessimistically (an unknown Deny denies, an unknown Allow does not allow), `optimisticDecision` the other
 * way, and `uncertain` is set when the two differ. A rule asking "is this allowed?" should trust `allow` only when
 * `!uncertain`; a rule asking "is this denied?" should look at `optimisticDecision`.
 */
export function evaluatePolicy(doc: unknown, request: IamRequest, options: EvaluateOptions = {}): EvaluationResult {
  return evaluateOne(doc, request, requestContext(request), options).result;
}

/**
 * Evaluates the identity, resource and VPC endpoint policies that bear on one request together:
 * - an explicit deny in any of them denies;
 * - same account: an allow in the identity policies or in the resource policy grants (a resource-policy allow that
 *   names only the principal's account delegates to the identity policies and does not grant on its own);
 * - cross account: both the identity policies and the resource policy must allow;
 * - a service principal (`principal.service` without an ARN) has no identity policies: the resource policy decides;
 * - each endpoint policy given must allow (no endpoint policy means the endpoint's default full access); an
 *   account principal in a gateway endpoint's policy means the root user only (see {@link EvaluateOptions}).
 *
 * `decision` combines the pessimistic readings of the policies, `optimisticDecision` the optimistic ones.
 */
export function evaluateAll(policies: PolicySet, request: IamRequest): EvaluationResult {
  const ctx = requestContext(request);
  const identity = (policies.identity ?? []).map(d => evaluateOne(d, request, ctx));
  const resource = (policies.resource ?? []).map(d => evaluateOne(d, request, ctx));
  const gatewayEndpoint = (policies.endpointType ?? 'gateway') === 'gateway';
  const endpoint = (policies.endpoint ?? []).map(d => evaluateOne(d, request, ctx, { gatewayEndpoint }));

  const principal = requestPrincipal(request);
  const servicePrincipal = principal?.service !== undefined && principal.arn === undefined;
  const resourceDecidesAlone = policies.sameAccount || servicePrincipal;
  const combine = (optimistic: boolean): Decision => {
    const pick = (o: PolicyOutcome) => optimistic ? o.result.optimisticDecision : o.result.decision;
    const accountOnly = (o: PolicyOutcome) => optimistic ? o.optimisticAccountOnly : o.result.allowedForAccountOnly;
    if ([...identity, ...resource, ...endpoint].some(o => pick(o) === 'deny')) return 'deny';
    const endpointAllows = endpoint.every(o => pick(o) === 'allow');
    const identityAllows = identity.some(o => pick(o) === 'allow');
    const resourceAllows = resource.some(o => pick(o) === 'allow');
    const resourceGrantsAlone = resource.some(o => pick(o) === 'allow' && !accountOnly(o));
    const granted = resourceDecidesAlone ? identityAllows || resourceGrantsAlone : identityAllows && resourceAllows;
    return granted && endpointAllows ? 'allow' : 'implicit-deny';
  };

  const all = [...identity, ...resource, ...endpoint].map(o => o.result);
  const decision = combine(false);
  const optimisticDecision = combine(true);
  const allowedBy = all.flatMap(r => r.allowedBy);
  return {
    decision,
    optimisticDecision,
    uncertain: decision !== optimisticDecision,
    allowedBy,
    deniedBy: all.flatMap(r => r.deniedBy),
    unknownStatements: all.flatMap(r => r.unknownStatements),
    allowedForAccountOnly: resource.length > 0 && resource.every(o => o.result.allowedBy.length === 0 || o.result.allowedForAccountOnly)
      && resource.some(o => o.result.allowedForAccountOnly),
  };
}
