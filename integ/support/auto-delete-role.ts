import { CustomResourceProviderBase, Stack } from 'aws-cdk-lib';
import { IBucket } from 'aws-cdk-lib/aws-s3';

/** The construct id aws-cdk-lib gives the stack-wide provider behind `autoDeleteObjects: true`. */
const AUTO_DELETE_PROVIDER_ID = 'Custom::S3AutoDeleteObjectsCustomResourceProvider';

/**
 * The ARN of the role of the Lambda function that empties buckets created with `autoDeleteObjects: true`.
 *
 * That function runs outside any VPC, so a bucket policy limited to the gateway endpoint denies it unless its role is
 * exempt: without the exemption, `cdk destroy` fails on a bucket that still holds objects. Call this after creating
 * the bucket (the provider is created with the first such bucket of the stack).
 */
export function autoDeleteObjectsRoleArn(bucket: IBucket): string {
  const provider = Stack.of(bucket).node.tryFindChild(AUTO_DELETE_PROVIDER_ID);
  if (!(provider instanceof CustomResourceProviderBase)) {
    throw new Error(`bucket ${bucket.node.path} has no auto-delete provider in its stack: create it with autoDeleteObjects: true first`);
  }
  return provider.roleArn;
}
