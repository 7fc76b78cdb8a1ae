import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderTemplate } from './render';
import { StackInfo } from '../model/types';
import { partitionOf, StackTemplate } from '../model/values';

/** A stack's template as the model reads it, plus the CfnResource construct behind each logical id. */
export interface ScopeTemplates {
  readonly stacks: StackTemplate[];
  /** `<stackId>/<logicalId>` → the construct, so front ends can annotate it. */
  readonly constructs: Map<string, CfnResource>;
}

/** How {@link templatesOfScope} renders. */
export interface ScopeRenderOptions {
  /**
   * Lend each render to synthesis, so the stack's synthesizer does not render it again (see `renderTemplate`): for a
   * check that runs in the validation phase of the same synthesis.
   * @default false
   */
  readonly lendToSynthesis?: boolean;
}

/**
 * Renders every stack under `scope` (or the stack containing it) to its resolved template, the way synthesis does.
 * Call it late (from a validation): after aspects and cross-stack reference resolution.
 */
export function templatesOfScope(scope: IConstruct, options: ScopeRenderOptions = {}): ScopeTemplates {
  const out: StackTemplate[] = [];
  const constructs = new Map<string, CfnResource>();
  const templates = new Map<Stack, any>();
  for (const stack of stacksOfScope(scope)) {
    const template = renderTemplate(stack, options.lendToSynthesis === true);
    templates.set(stack, template);
    out.push(stackTemplateOf(stack, template, constructs, parentOf(stack, templates)));
  }
  return { stacks: out, constructs };
}

/** The stacks under `scope` (nested stacks after their parents), or the stack containing it. */
export function stacksOfScope(scope: IConstruct): Stack[] {
  const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  if (stacks.length === 0) stacks.push(Stack.of(scope));
  return stacks;
}

/**
 * A stack's template as the model reads it, recording the CfnResource construct behind each of its logical ids in
 * `constructs` (`<stackId>/<logicalId>`).
 */
export function stackTemplateOf(
  stack: Stack, template: any, constructs: Map<string, CfnResource>, parent?: StackTemplate['parent'],
): StackTemplate {
  const info = stackInfo(stack);
  const paths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
    const logicalId = stack.resolve(c.logicalId);
    paths[logicalId] = c.node.path;
    constructs.set(`${info.id}/${logicalId}`, c);
  }
  return { info, template, paths, parent };
}

/**
 * A nested stack's parent and the parameter values it passes (the `Parameters` of the nested stack's
 * `AWS::CloudFormation::Stack` resource in the parent's template; parents render before their nested stacks).
 */
function parentOf(stack: Stack, templates: Map<Stack, any>): StackTemplate['parent'] {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (!parent || !resource) return undefined;
  const parameters = templates.get(parent)?.Resources?.[parent.resolve(resource.logicalId)]?.Properties?.Parameters;
  return { stackId: parent.artifactId, parameters: parameters ?? {} };
}

/** The stack's environment, with env-agnostic parts left undefined. */
export function stackInfo(stack: Stack): StackInfo {
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  return { id: stack.artifactId, region, account, partition: partitionOf(region), prefixListLookups: prefixListLookups(stack, account, region) };
}

/**
 * The answers of `PrefixList.fromLookup` (cloud-control lookups of `AWS::EC2::PrefixList`) in the stack's context,
 * for the stack's account and region: id → list name. Lookups write only the answered id into the template, so this
 * is the one way to tell a looked-up id from a hard-coded one.
 */
function prefixListLookups(stack: Stack, account?: string, region?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!account || !region) return out;
  const context: Record<string, unknown> = stack.node.getAllContext() ?? {};
  for (const [key, value] of Object.entries(context)) {
    if (!key.startsWith('cc-api-provider:') || !key.includes('PrefixList') || !Array.isArray(value)) continue;
    const name = /propertyMatch\.PrefixListName=([^:]+)/.exec(key)?.[1];
    if (!name || /:account=([^:]+)/.exec(key)?.[1] !== account || /:region=([^:]+)/.exec(key)?.[1] !== region) continue;
    for (const item of value) {
      const id = (item as any)?.PrefixListId;
      if (typeof id === 'string') out[id] = name;
    }
  }
  return out;
}
