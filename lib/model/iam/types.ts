/**
 * Types of the small IAM policy evaluator that the synth-time rules use.
 *
 * Policies arrive as plain JSON whose intrinsics `Model.symDoc` already turned into strings: references to the app's
 * resources stay symbolic (`arn:aws:s3:::{{Stack/Bucket1234}}/*`, `{{Stack/Endpoint5678}}`) and compare as literal
 * text, while values the model could not resolve (`{{?}}`, `{{AWS::AccountId}}`, `{{SomeParameter}}`: a `{{…}}` with
 * no `/` in it) are holes that make whatever depends on them `'unknown'`.
 *
 * Internal: not exported from the package's index.
 */

/** Three-valued logic: a definite answer, or `'unknown'` when it depends on a value that could not be resolved. */
export type Tri = boolean | 'unknown';

/** The outcome of evaluating one or more policies for a request. */
export type Decision = 'allow' | 'deny' | 'implicit-deny';

/** A `Principal` or `NotPrincipal` block in normalized form. */
export interface IamPrincipalBlock {
  /** `"*"` (or `{"AWS": "*"}`): every principal, including anonymous ones. */
  readonly wildcard: boolean;
  /** `AWS` entries other than `*`: account ids, account root ARNs, role/user/session ARNs (or symbolic references). */
  readonly aws: string[];
  /** `Service` entries, e.g. `lambda.amazonaws.com`. */
  readonly service: string[];
  /** `Federated` entries. */
  readonly federated: string[];
  /** `CanonicalUser` entries. */
  readonly canonicalUser: string[];
}

/** One condition of a statement: `{ Operator: { key: values } }` flattened. */
export interface IamCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key in lower case (condition keys are case-insensitive). */
  readonly key: string;
  /** The condition key as written. */
  readonly keyAsWritten: string;
  /** The policy values as strings (booleans and numbers written in JSON become their string form). */
  readonly values: string[];
}

/** A policy statement in normalized form: every list element is an array, absent elements are undefined. */
export interface IamStatement {
  /** The statement's `Sid`, if any. */
  readonly sid?: string;
  /** `Allow` or `Deny`; any other value makes the statement inert. */
  readonly effect: 'Allow' | 'Deny' | 'Invalid';
  readonly action?: string[];
  readonly notAction?: string[];
  readonly resource?: string[];
  readonly notResource?: string[];
  readonly principal?: IamPrincipalBlock;
  readonly notPrincipal?: IamPrincipalBlock;
  readonly conditions: IamCondition[];
  /** Whether policy variables (`${aws:username}`) are substituted: only in policies with `Version: 2012-10-17`. */
  readonly variables: boolean;
  /** Position of the statement in its policy (0-based). */
  readonly index: number;
  /** The statement as it was in the document. */
  readonly raw: any;
}

/** Who makes a request. */
export interface IamRequestPrincipal {
  /** The IAM principal's ARN: role, user, assumed-role session or a symbolic reference such as `{{Stack/Role.Arn}}`. */
  readonly arn?: string;
  /** The principal's account id (derived from `arn` when absent and the ARN names one). */
  readonly account?: string;
  /** A service principal such as `cloudformation.amazonaws.com`, for calls AWS services make themselves. */
  readonly service?: string;
}

/** A value of the request context: a string, a list of strings (multivalued keys), a boolean or a number. */
export type ContextValue = string | string[] | boolean | number | undefined;

/** The request a policy is evaluated against. */
export interface IamRequest {
  /** e.g. `s3:GetObject` (case-insensitive). */
  readonly action: string;
  /** The resource ARN, e.g. `arn:aws:s3:::{{Stack/Bucket1234}}/data/file.csv` (case-sensitive). */
  readonly resource: string;
  /** Who makes it; when absent, statements naming specific principals are `'unknown'`. */
  readonly principal?: IamRequestPrincipal;
  /** Shorthand for `principal: { arn }`. */
  readonly principalArn?: string;
  /**
   * Request context by condition key (looked up case-insensitively). When absent here they are derived from the
   * principal: `aws:PrincipalArn` (its ARN), `aws:PrincipalAccount` (its account), `aws:PrincipalIsAWSService`
   * (`true` for a service principal, `false` for an IAM one), `aws:PrincipalServiceName` (the service).
   */
  readonly context?: Record<string, ContextValue>;
}

/** What evaluating one policy (or a set of them, {@link evaluateAll}) decided. */
export interface EvaluationResult {
  /**
   * The decision, taken pessimistically: a statement whose applicability is `'unknown'` counts as applying when it
   * denies and as not applying when it allows, so `allow` is only returned when access is certain.
   */
  readonly decision: Decision;
  /** The decision taken optimistically (unknown denies ignored, unknown allows counted): the most access possible. */
  readonly optimisticDecision: Decision;
  /** Whether the outcome depends on unresolved values (`decision !== optimisticDecision`). */
  readonly uncertain: boolean;
  /** Allow statements that certainly apply. */
  readonly allowedBy: IamStatement[];
  /** Deny statements that certainly apply. */
  readonly deniedBy: IamStatement[];
  /** Statements whose applicability is `'unknown'`. */
  readonly unknownStatements: IamStatement[];
  /**
   * True when the only certain allows match the principal through its account (`"111111111111"`, `…:root`): such a
   * resource-policy grant delegates to the account's identity policies and does not grant on its own. For
   * {@link evaluateAll}: true when the resource policies allow only at account level.
   */
  readonly allowedForAccountOnly: boolean;
}

/** The policies that bear on one request, for {@link evaluateAll}. */
export interface PolicySet {
  /** Identity policies of the principal (no `Principal` element). */
  readonly identity?: any[];
  /** The resource's policy (e.g. the bucket policy). */
  readonly resource?: any[];
  /** VPC endpoint policies the request passes through; absent or empty means full access. */
  readonly endpoint?: any[];
  /** Whether the principal and the resource are in the same account. */
  readonly sameAccount: boolean;
  /**
   * The kind of endpoint the `endpoint` policies belong to: in a gateway endpoint's policy an account principal means
   * the account's root user only; in an interface endpoint's policy it means every principal of the account.
   *
   * @default 'gateway'
   */
  readonly endpointType?: 'gateway' | 'interface';
}

/** `a AND b` in three-valued logic. */
export function and3(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

/** `a OR b` in three-valued logic. */
export function or3(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return false;
}

/** `NOT a` in three-valued logic. */
export function not3(a: Tri): Tri {
  return a === 'unknown' ? 'unknown' : !a;
}

/** OR over a list (false for an empty list). */
export function any3<T>(items: readonly T[], f: (item: T) => Tri): Tri {
  let out: Tri = false;
  for (const item of items) {
    out = or3(out, f(item));
    if (out === true) return true;
  }
  return out;
}

/** AND over a list (true for an empty list). */
export function all3<T>(items: readonly T[], f: (item: T) => Tri): Tri {
  let out: Tri = true;
  for (const item of items) {
    out = and3(out, f(item));
    if (out === false) return false;
  }
  return out;
}
