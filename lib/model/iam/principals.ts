import { hasUnresolved } from './patterns';
import { normalizePrincipal } from './statements';
import { IamPrincipalBlock, IamRequest, IamRequestPrincipal, Tri } from './types';

/**
 * Matching a statement's `Principal` block against the requesting principal.
 *
 * A principal entry never uses wildcards except `"*"`. An account entry (`"111111111111"`, `arn:aws:iam::…:root`)
 * matches every principal of that account, at "account level": in a resource policy such a grant delegates to the
 * account's identity policies. A role ARN also matches that role's assumed-role sessions. A symbolic reference
 * (`{{Stack/Role.Arn}}`) equals only the same reference: it is never taken for a literal ARN.
 */

/** How a principal block matches: `direct` (names the principal), `account` (names its account), or not. */
export type PrincipalMatch = 'direct' | 'account' | false | 'unknown';

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::([^:]+):root$/;
const ARN_ACCOUNT = /^arn:[^:]+:(?:iam|sts)::([^:]+):/;

/** The requesting principal of a request (`principal`, or `principalArn`), undefined when not given. */
export function requestPrincipal(request: Pick<IamRequest, 'principal' | 'principalArn'>): IamRequestPrincipal | undefined {
  if (request.principal) return request.principal;
  return request.principalArn !== undefined ? { arn: request.principalArn } : undefined;
}

/** The account of a principal: its `account`, or the account its IAM/STS ARN names. */
export function accountOf(principal: IamRequestPrincipal | undefined): string | undefined {
  if (!principal) return undefined;
  if (principal.account !== undefined) return principal.account;
  return principal.arn ? ARN_ACCOUNT.exec(principal.arn)?.[1] : undefined;
}

function isSessionOfRole(roleArn: string, sessionArn: string): boolean {
  const role = /^arn:([^:]+):iam::([^:]+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const session = /^arn:([^:]+):sts::([^:]+):assumed-role\/([^/]+)\/[^/]+$/.exec(sessionArn);
  return !!role && !!session && role[1] === session[1] && role[2] === session[2] && role[3] === session[3];
}

function matchAwsEntry(entry: string, p: IamRequestPrincipal | undefined): PrincipalMatch {
  if (hasUnresolved(entry)) return 'unknown';
  const accountEntry = ACCOUNT_ID.test(entry) ? entry : ROOT_ARN.exec(entry)?.[1];
  if (!p) return 'unknown';
  if (accountEntry !== undefined) {
    const account = accountOf(p);
    if (account === undefined) return p.service !== undefined && p.arn === undefined ? false : 'unknown';
    if (hasUnresolved(account)) return 'unknown';
    return account === accountEntry ? 'account' : false;
  }
  if (p.arn === undefined) return p.service !== undefined || p.account !== undefined ? false : 'unknown';
  if (hasUnresolved(p.arn)) return 'unknown';
  return p.arn === entry || isSessionOfRole(entry, p.arn) ? 'direct' : false;
}

function matchExact(entry: string, actual: string | undefined, p: IamRequestPrincipal | undefined, ignoreCase: boolean): PrincipalMatch {
  if (hasUnresolved(entry) || !p) return 'unknown';
  if (actual === undefined) return false;
  if (hasUnresolved(actual)) return 'unknown';
  return (ignoreCase ? entry.toLowerCase() === actual.toLowerCase() : entry === actual) ? 'direct' : false;
}

const RANK: Record<string, number> = { direct: 3, account: 2, unknown: 1, false: 0 };

/** How a (normalized or raw) principal block matches the requesting principal. */
export function principalMatchLevel(block: IamPrincipalBlock | unknown, principal: IamRequestPrincipal | undefined): PrincipalMatch {
  const b = isBlock(block) ? block : normalizePrincipal(block);
  if (b.wildcard) return 'direct';
  let best: PrincipalMatch = false;
  const consider = (m: PrincipalMatch) => {
    if (RANK[String(m)] > RANK[String(best)]) best = m;
  };
  for (const e of b.aws) consider(matchAwsEntry(e, principal));
  for (const e of b.service) consider(matchExact(e, principal?.service, principal, true));
  for (const e of [...b.federated, ...b.canonicalUser]) consider(matchExact(e, principal?.arn, principal, false));
  return best;
}

/**
 * Whether a `Principal` block (normalized, or as written in the policy) covers the request's principal: true for a
 * direct or account-level match, `'unknown'` when it depends on an unresolved value or the request names no
 * principal while the block names specific ones.
 */
export function principalMatches(block: IamPrincipalBlock | unknown, request: Pick<IamRequest, 'principal' | 'principalArn'>): Tri {
  const m = principalMatchLevel(block, requestPrincipal(request));
  return m === 'unknown' ? 'unknown' : m !== false;
}

function isBlock(v: unknown): v is IamPrincipalBlock {
  return typeof v === 'object' && v !== null && typeof (v as IamPrincipalBlock).wildcard === 'boolean'
    && Array.isArray((v as IamPrincipalBlock).aws);
}
