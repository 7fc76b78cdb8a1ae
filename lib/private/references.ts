import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The stacks whose resources a string token refers to (`Ref` / `Fn::GetAtt` of a resource, as `endpoint.vpcEndpointId`
 * or `vpc.vpcId` are): using the value in another stack makes that stack depend on these. A literal refers to none;
 * pseudo parameters and values composed by intrinsic functions are not looked into.
 */
export function stacksReferencedBy(value: string): Stack[] {
  if (!Token.isUnresolved(value)) {
    return [];
  }
  const stacks = new Set<Stack>();
  for (const token of Tokenization.reverseString(value).tokens) {
    // duck-typed, not instanceof: CDK's Reference (CfnReference) carries the construct it points at as `target`
    const target = (token as { readonly target?: unknown }).target;
    if (target !== undefined && Construct.isConstruct(target)) {
      stacks.add(Stack.of(target));
    }
  }
  return [...stacks];
}
