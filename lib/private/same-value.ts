import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether two values name the same thing: the same string (a token's string is stable per value), or, when one is a
 * token and both constructs are in one stack, the same resolved reference. Values of different stacks compare as
 * strings only.
 */
export function sameValue(a: IConstruct, valueA: unknown, b: IConstruct, valueB: unknown): boolean {
  if (valueA === valueB) {
    return true;
  }
  const stack = Stack.of(a);
  if (Stack.of(b) !== stack || (!Token.isUnresolved(valueA) && !Token.isUnresolved(valueB))) {
    return false;
  }
  return JSON.stringify(stack.resolve(valueA)) === JSON.stringify(stack.resolve(valueB));
}
