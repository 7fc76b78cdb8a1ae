import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { inputError } from '../private/errors';

/**
 * Checks a key prefix used in grants and bucket policies: no leading `/` (S3 keys do not start with one, so the grant
 * would match nothing) and no `*` or `?` (the library appends the wildcard itself). Tokens are skipped.
 */
export function validatePrefix(prefix: string | undefined, scope?: IConstruct): void {
  if (prefix === undefined || Token.isUnresolved(prefix)) {
    return;
  }
  if (prefix.length === 0) {
    throw inputError("prefix '' must not be empty: omit prefix to grant access to the whole bucket", scope);
  }
  if (prefix.startsWith('/')) {
    throw inputError(`prefix '${prefix}' starts with '/': S3 keys have no leading slash, use '${prefix.replace(/^\/+/, '')}'`, scope);
  }
  if (/[*?]/.test(prefix)) {
    throw inputError(`prefix '${prefix}' contains a wildcard: pass a literal key prefix, the grant appends '*' itself`, scope);
  }
}

/**
 * Checks an IAM principal ARN used as an exemption or as a grantee: no `*`, no `arn:*`, no wildcard in the partition,
 * service or account position, and no name that covers every principal of a type (`role/*`). Tokens are skipped.
 *
 * @param what how the error names the value, for example 'exempt principal'
 * @param allowNameWildcards whether `*`/`?` may appear in the name after a literal start (`role/admin-*`): true for
 * `aws:PrincipalArn` conditions, false for a `Principal` element (which accepts no wildcard)
 * @param scope the construct whose input this is, named by the error; none for a static factory
 */
export function validatePrincipalArn(arn: string, what: string, allowNameWildcards: boolean, scope?: IConstruct): void {
  if (Token.isUnresolved(arn)) {
    return;
  }
  const usage = 'use arn:<partition>:iam::<account-id>:role/<name>';
  const parts = arn.split(':');
  const wildcard = /[*?]/;
  if (arn.trim() === '*' || arn.startsWith('arn:*')) {
    throw inputError(`${what} '${arn}' matches any principal: ${usage}`, scope);
  }
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw inputError(`${what} '${arn}' is not an IAM principal ARN: ${usage}`, scope);
  }
  const [, partition, service, , account] = parts;
  const resource = parts.slice(5).join(':');
  if (wildcard.test(partition) || wildcard.test(service) || wildcard.test(account)) {
    throw inputError(`${what} '${arn}' has a wildcard in the partition, service or account: name one account, for example arn:aws:iam::111122223333:role/admin`, scope);
  }
  if (service !== 'iam' && service !== 'sts') {
    throw inputError(`${what} '${arn}' is not an IAM principal ARN: ${usage}`, scope);
  }
  if (!/^\d{12}$/.test(account)) {
    throw inputError(`${what} '${arn}' has no 12-digit account id: ${usage}`, scope);
  }
  const name = resource.slice(resource.indexOf('/') + 1);
  if (resource.length === 0 || wildcard.test(resource.split('/')[0]) || (resource.includes('/') && /^[*?]/.test(name))) {
    throw inputError(`${what} '${arn}' matches every principal of the account or of a type: name a role or user, for example role/admin`, scope);
  }
  if (!allowNameWildcards && wildcard.test(resource)) {
    throw inputError(`${what} '${arn}' contains a wildcard: a Principal element accepts exact ARNs only, name each role`, scope);
  }
}

/** Throws unless `id` looks like an id with the given prefix (`vpce`, `vpc`). Tokens are skipped. */
export function validateResourceId(id: string, prefix: 'vpce' | 'vpc', what: string, scope?: IConstruct): void {
  if (Token.isUnresolved(id)) {
    return;
  }
  if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) {
    throw inputError(`${what} '${id}' is not a ${prefix} id: pass ${prefix}- followed by 8 or 17 hex digits`, scope);
  }
}

/** Throws unless `id` is an AWS Organizations id (`o-` and 10 to 32 lowercase letters or digits). Tokens are skipped. */
export function validateOrganizationId(id: string, what: string, scope?: IConstruct): void {
  if (Token.isUnresolved(id)) {
    return;
  }
  if (!/^o-[a-z0-9]{10,32}$/.test(id)) {
    throw inputError(`${what} '${id}' is not an organization id: pass o- followed by 10 to 32 lowercase letters or digits ` +
      '(the Id of `aws organizations describe-organization`)', scope);
  }
}

/** Throws unless `id` is a 12-digit AWS account id. Tokens are skipped. */
export function validateAccountId(id: string, what: string, scope?: IConstruct): void {
  if (Token.isUnresolved(id)) {
    return;
  }
  if (!/^\d{12}$/.test(id)) {
    throw inputError(`${what} '${id}' is not an account id: pass the 12 digits of the account, for example '111122223333'`, scope);
  }
}
