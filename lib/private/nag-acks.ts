import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag findings on the resources this library writes, so a user's own `AwsSolutionsChecks`
 * reports nothing unacknowledged on them. They are construct metadata of aws-cdk-lib (`Validations`), which cdk-nag 3
 * reads: no cdk-nag import is needed, and apps without cdk-nag carry the metadata harmlessly.
 */

/** Acknowledges the finding `id` (with its `[…]` detail, if any) on `scope` and everything under it. */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length > 2) {
    // Validations.acknowledge() rejects ids with more than one '::', which cdk-nag's finding ids for managed
    // policies and partition placeholders contain (`[Policy::arn:<AWS::Partition>:…]`): cdk-nag reads the same
    // metadata entry, so record it directly
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  } else {
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/** The construct id aws-cdk-lib gives the singleton Lambda function of `AwsCustomResource` in a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Acknowledges the findings on aws-cdk-lib's `AwsCustomResource` provider function of the stack (one per stack, created
 * with the first `AwsCustomResource`): its AWS-managed basic execution policy and the Node.js runtime aws-cdk-lib pins.
 * Call after creating an `AwsCustomResource`.
 */
export function acknowledgeAwsCustomResourceProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
  if (!provider || provider.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    && Object.keys(m.data ?? {}).some((k) => k.endsWith('AwsSolutions-L1')))) {
    return;
  }
  acknowledgeFinding(provider,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'aws-cdk-lib\'s AwsCustomResource provider, which cdk-s3-private-access uses for ec2:ModifyVpcEndpoint and ' +
    'ec2:DescribePrefixLists calls, writes its logs with the AWS-managed basic execution policy; aws-cdk-lib sets it up');
  acknowledgeFinding(provider, 'AwsSolutions-L1',
    'the Node.js runtime of aws-cdk-lib\'s AwsCustomResource provider is chosen by aws-cdk-lib, and follows its upgrades');
}

/**
 * The id cdk-nag gives an IAM5 finding for a resource, from the value as it resolves in the policy's stack:
 * `AwsSolutions-IAM5[Resource::<Bucket.Arn>/reports/*]` (cdk-nag's `flattenCfnReference`).
 */
export function iam5ResourceFinding(resolved: unknown): string {
  return `AwsSolutions-IAM5[Resource::${flatten(resolved)}]`;
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, any>;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as unknown[]).map(flatten).join(value['Fn::Join'][0]);
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) return `<${flatten(value['Fn::GetAtt'][0])}.${flatten(value['Fn::GetAtt'][1])}>`;
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
