import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Marks the one-shot stand-in this module puts on a stack for synthesis to take the lent template from. */
const LENT = Symbol.for('cdk-s3-private-access.lentTemplate');

interface Renderable {
  _toCloudFormation(): any;
  resolve(value: any): any;
}

/**
 * A stack's resolved template, as synthesis renders it (`Stack._toCloudFormation`).
 *
 * With `lend`, the render is lent to synthesis: the stack's next render (the one its synthesizer makes to write the
 * template file) returns this one instead of resolving every token of the stack again, with only the elements added
 * since (the bootstrap-version parameter and rule a synthesizer adds as it synthesizes) rendered and merged in the
 * way `_toCloudFormation` merges them; the stack's own renderer is back in place after it. So a check that runs in
 * the validation phase, after the last change to what the elements render, costs synthesis one render fewer.
 *
 * Stacks whose elements render differently at synthesis are not lent: a nested stack, and a stack that holds nested
 * stacks (their template URLs are known only once the nested stacks are synthesized). A later render before
 * synthesis (a second check) takes the lent template and lends it again.
 */
export function renderTemplate(stack: Stack, lend: boolean): any {
  const s = stack as unknown as Renderable & { [LENT]?: true };
  const own = Object.prototype.hasOwnProperty.call(s, '_toCloudFormation') ? s._toCloudFormation : undefined;
  const template = s._toCloudFormation();
  if (!lend || !lendable(stack)) return template;
  const original = own !== undefined && !(own as any)[LENT] ? own : undefined;
  const rendered = new Set(cfnElements(stack));
  const standIn = function (): any {
    if (original) s._toCloudFormation = original;
    else delete (s as Partial<Renderable>)._toCloudFormation;
    for (const element of cfnElements(stack)) {
      if (!rendered.has(element)) merge(template, s.resolve((element as any)._toCloudFormation()));
    }
    return template;
  };
  (standIn as any)[LENT] = true;
  s._toCloudFormation = standIn;
  return template;
}

/** Whether synthesis renders the stack's elements as a check in the validation phase does. */
export function lendable(stack: Stack): boolean {
  if (stack.nestedStackParent !== undefined) return false;
  return !stack.node.findAll().some(c => c !== stack && Stack.isStack(c) && c.nestedStackParent === stack);
}

/** The stack's elements in the order `_toCloudFormation` renders them (depth first, nested stacks left out). */
function cfnElements(node: IConstruct, into: IConstruct[] = []): IConstruct[] {
  if (CfnElement.isCfnElement(node)) into.push(node);
  for (const child of node.node.children) if (!Stack.isStack(child)) cfnElements(child, into);
  return into;
}

/** Merges an element's fragment into a template as `_toCloudFormation` does (sections in order, no duplicates). */
function merge(template: any, fragment: any): void {
  for (const [section, src] of Object.entries<any>(fragment ?? {})) {
    const dest = template[section];
    if (dest === undefined) {
      template[section] = src;
    } else if (section === 'Description') {
      template[section] = `${dest}\n${src}`;
    } else if (section === 'Transform' || section === 'AWSTemplateFormatVersion') {
      // never added at synthesis by aws-cdk-lib's synthesizers: keep the render's value
    } else {
      for (const [id, value] of Object.entries(src)) {
        if (id in dest) throw new Error(`section '${section}' already contains '${id}'`);
        dest[id] = value;
      }
    }
  }
}
