import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackInfo } from './types';
import { partitionOf, StackTemplate } from './values';

/** A stack's template as the model reads it, plus the CfnResource construct behind each logical id. */
export interface ScopeTemplates {
  readonly stacks: StackTemplate[];
  /** `<stackId>/<logicalId>` → the construct, so front ends can annotate it. */
  readonly constructs: Map<string, CfnResource>;
}

/**
 * Renders every stack under `scope` (or the stack containing it) to its resolved template, the way synthesis does.
 * Call it late (from a validation): after aspects and cross-stack reference resolution.
 */
export function templatesOfScope(scope: IConstruct): ScopeTemplates {
  const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  if (stacks.length === 0) stacks.push(Stack.of(scope));
  const out: StackTemplate[] = [];
  const constructs = new Map<string, CfnResource>();
  for (const stack of stacks) {
    const info = stackInfo(stack);
    const template = (stack as any)._toCloudFormation();
    const paths: Record<string, string> = {};
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const logicalId = stack.resolve(c.logicalId);
      paths[logicalId] = c.node.path;
      constructs.set(`${info.id}/${logicalId}`, c);
    }
    out.push({ info, template, paths });
  }
  return { stacks: out, constructs };
}

/** The stack's environment, with env-agnostic parts left undefined. */
export function stackInfo(stack: Stack): StackInfo {
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  return { id: stack.artifactId, region, account, partition: partitionOf(region) };
}
