import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';

/**
 * A construct-id fragment for a per-resource child (one route-table association, the entries of one network ACL)
 * that depends on the resource it is for, not on its position in a list: adding, removing or reordering the list
 * then leaves the other children's logical ids, and so their deployed state, alone.
 * A literal id is used as it is; a token by what it resolves to (`{ Ref: <logical id> }`), hashed when long.
 */
export function stableIdOf(stack: Stack, resourceId: string): string {
  const key = (Token.isUnresolved(resourceId) ? JSON.stringify(stack.resolve(resourceId)) : resourceId)
    .replace(/[^A-Za-z0-9]/g, '');
  return key.length <= 64 ? key : createHash('sha256').update(key).digest('hex').slice(0, 16);
}
