import { Stack } from 'aws-cdk-lib';

/**
 * Values for the references a test template uses: logical id (for `Ref`), `logicalId.Attr` (for `Fn::GetAtt`), or a
 * pseudo parameter such as `AWS::Partition`.
 */
export type IntrinsicValues = Record<string, string>;

/**
 * Resolves a value through the stack, then replaces `Ref`, `Fn::GetAtt` and `Fn::Join` with literals, so a policy can be
 * handed to an IAM evaluator. Throws on a reference it has no value for, so a test cannot pass by accident.
 */
export function toLiteral(stack: Stack, value: unknown, values: IntrinsicValues): any {
  const pseudo: IntrinsicValues = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', ...values };
  const walk = (v: unknown): any => {
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v === null || typeof v !== 'object') {
      return v;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return lookup(String(obj.Ref));
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      return lookup(`${id}.${attr}`);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map(walk).join(sep);
    }
    return Object.fromEntries(keys.map((k) => [k, walk(obj[k])]));
  };
  const lookup = (name: string): string => {
    if (!(name in pseudo)) {
      throw new Error(`no literal for ${name}`);
    }
    return pseudo[name];
  };
  return walk(stack.resolve(value));
}
