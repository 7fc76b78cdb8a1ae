/**
 * AWS managed policies that workloads commonly carry, by whether they allow S3 actions (from each policy's published
 * document in the AWS Managed Policy Reference Guide). A policy in neither list is unknown: it may grant S3.
 *
 * Facts only: this file imports nothing.
 */

/** Managed policies (the part after `arn:<partition>:iam::aws:policy/`) that allow no S3 action. */
export const MANAGED_POLICIES_WITHOUT_S3: ReadonlySet<string> = new Set([
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AWSLambdaSQSQueueExecutionRole',
  'service-role/AWSLambdaDynamoDBExecutionRole',
  'service-role/AWSLambdaKinesisExecutionRole',
  'service-role/AmazonECSTaskExecutionRolePolicy',
  'service-role/AmazonEC2ContainerServiceforEC2Role',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonSSMManagedInstanceCore',
  'CloudWatchAgentServerPolicy',
  'AWSXRayDaemonWriteAccess',
]);

/** Managed policies that allow S3 actions on any bucket. */
export const MANAGED_POLICIES_WITH_S3: ReadonlySet<string> = new Set([
  'AmazonS3FullAccess',
  'AmazonS3ReadOnlyAccess',
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'AWSLambdaExecute',
  'service-role/AmazonEC2RoleforSSM',
]);

/** The managed policy's name (`service-role/AWSLambdaBasicExecutionRole`) when the ARN is an AWS managed policy's. */
export function awsManagedPolicyName(arn: string): string | undefined {
  return /^arn:(?:[a-z-]+|\{\{AWS::Partition\}\}):iam::aws:policy\/(.+)$/.exec(arn)?.[1];
}
