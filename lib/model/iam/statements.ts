import { IamCondition, IamPrincipalBlock, IamStatement } from './types';

/**
 * Normalizing policy documents: `Statement` as an object or an array, list elements as a string or an array,
 * `Principal` in all its forms. Never throws: malformed parts are read as what they most plausibly mean, and values
 * that are not strings become the unresolved marker `{{?}}`.
 */

/** A JSON value as a list of strings (`"a"` → `["a"]`; numbers and booleans as text; objects as `{{?}}`). */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map(asText);
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '{{?}}';
}

/**
 * A `Principal`/`NotPrincipal` value in normalized form: `"*"`, `{ AWS: ... }`, `{ Service: ... }`,
 * `{ Federated: ... }`, `{ CanonicalUser: ... }` (keys case-insensitive), or a bare ARN string.
 */
export function normalizePrincipal(value: unknown): IamPrincipalBlock {
  const block = { wildcard: false, aws: [] as string[], service: [] as string[], federated: [] as string[], canonicalUser: [] as string[] };
  if (typeof value === 'string') {
    if (value === '*') block.wildcard = true;
    else block.aws.push(value);
    return block;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    block.aws.push('{{?}}');
    return block;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const values = stringList(v);
    switch (k.toLowerCase()) {
      case 'aws':
        for (const a of values) {
          if (a === '*') block.wildcard = true;
          else block.aws.push(a);
        }
        break;
      case 'service': block.service.push(...values); break;
      case 'federated': block.federated.push(...values); break;
      case 'canonicaluser': block.canonicalUser.push(...values); break;
      default: block.aws.push('{{?}}');
    }
  }
  return block;
}

function conditionsOf(value: unknown): IamCondition[] {
  const out: IamCondition[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (value !== undefined && value !== null) out.push({ operator: '{{?}}', key: '{{?}}', keyAsWritten: '{{?}}', values: [] });
    return out;
  }
  for (const [operator, block] of Object.entries(value as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      out.push({ operator, key: '{{?}}', keyAsWritten: '{{?}}', values: [] });
      continue;
    }
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      out.push({ operator, key: key.toLowerCase(), keyAsWritten: key, values: stringList(values) });
    }
  }
  return out;
}

function effectOf(value: unknown): IamStatement['effect'] {
  if (typeof value !== 'string') return 'Invalid';
  const e = value.toLowerCase();
  return e === 'allow' ? 'Allow' : e === 'deny' ? 'Deny' : 'Invalid';
}

function optionalList(stmt: Record<string, unknown>, key: string): string[] | undefined {
  return key in stmt ? stringList(stmt[key]) : undefined;
}

/**
 * The statements of a policy document (`{ Version, Statement }`), or of a bare statement list, in normalized form.
 * Anything that is not a statement object is skipped.
 */
export function normalizeStatements(doc: unknown): IamStatement[] {
  if (doc === null || doc === undefined || typeof doc !== 'object') return [];
  let raw: unknown;
  let version: unknown;
  if (Array.isArray(doc)) {
    raw = doc;
    version = '2012-10-17';
  } else {
    const d = doc as Record<string, unknown>;
    raw = 'Statement' in d ? d.Statement : ('Effect' in d ? d : undefined);
    version = d.Version;
  }
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const variables = version === '2012-10-17';
  const out: IamStatement[] = [];
  list.forEach((s, index) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
    const stmt = s as Record<string, unknown>;
    out.push({
      sid: typeof stmt.Sid === 'string' ? stmt.Sid : undefined,
      effect: effectOf(stmt.Effect),
      action: optionalList(stmt, 'Action'),
      notAction: optionalList(stmt, 'NotAction'),
      resource: optionalList(stmt, 'Resource'),
      notResource: optionalList(stmt, 'NotResource'),
      principal: 'Principal' in stmt ? normalizePrincipal(stmt.Principal) : undefined,
      notPrincipal: 'NotPrincipal' in stmt ? normalizePrincipal(stmt.NotPrincipal) : undefined,
      conditions: conditionsOf(stmt.Condition),
      variables,
      index,
      raw: s,
    });
  });
  return out;
}

/** Alias of {@link normalizeStatements}. */
export const statementsOf = normalizeStatements;
