/**
 * A small IAM policy evaluator over plain JSON policies (run `Model.symDoc` first), for the synth-time rules.
 * Internal: not exported from the package's index.
 */
export { evaluateCondition, parseOperator } from './conditions';
export type { ParsedOperator } from './conditions';
export { evaluateAll, evaluatePolicy, requestContext, statementsCached } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export {
  actionMatches, actionMatchesOrUnknown, hasUnresolved, hasVariable, matchArn, matchText, normalizeContext, resourceMatches,
  resourceMatchesOrUnknown, splitArn,
} from './patterns';
export type { MatchOptions } from './patterns';
export { accountOf, principalMatches, principalMatchLevel, requestPrincipal } from './principals';
export type { PrincipalMatch } from './principals';
export { normalizePrincipal, normalizeStatements, statementsOf, stringList } from './statements';
export { all3, and3, any3, not3, or3 } from './types';
export type {
  ContextValue, Decision, EvaluationResult, IamCondition, IamPrincipalBlock, IamRequest, IamRequestPrincipal, IamStatement,
  PolicySet, Tri,
} from './types';
