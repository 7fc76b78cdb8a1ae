/**
 * The read-only AWS API calls that `--live` makes, and the IAM action each one needs. The README's minimal policy is
 * {@link LIVE_READ_ONLY_ACTIONS}; a test records every command the readers send and checks it against this table.
 *
 * Internal: not exported from the package's index.
 */

/** The SDK clients `--live` uses, by the service prefix of their IAM actions. */
export type LiveService = 'ec2' | 's3' | 'iam' | 'lambda' | 'ecs' | 's3control';

/** `<service>:<CommandClassName>` → the IAM action the call needs (S3's names differ from its API's). */
export const LIVE_COMMAND_ACTIONS: Readonly<Record<string, string>> = {
  'ec2:DescribeVpcsCommand': 'ec2:DescribeVpcs',
  'ec2:DescribeVpcAttributeCommand': 'ec2:DescribeVpcAttribute',
  'ec2:DescribeDhcpOptionsCommand': 'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnetsCommand': 'ec2:DescribeSubnets',
  'ec2:DescribeRouteTablesCommand': 'ec2:DescribeRouteTables',
  'ec2:DescribeVpcEndpointsCommand': 'ec2:DescribeVpcEndpoints',
  'ec2:DescribeSecurityGroupsCommand': 'ec2:DescribeSecurityGroups',
  'ec2:DescribeNetworkAclsCommand': 'ec2:DescribeNetworkAcls',
  'ec2:DescribePrefixListsCommand': 'ec2:DescribePrefixLists',
  'ec2:DescribeManagedPrefixListsCommand': 'ec2:DescribeManagedPrefixLists',
  'ec2:GetManagedPrefixListEntriesCommand': 'ec2:GetManagedPrefixListEntries',
  'ec2:DescribeInstancesCommand': 'ec2:DescribeInstances',
  'ec2:DescribeInstanceAttributeCommand': 'ec2:DescribeInstanceAttribute',
  's3:GetBucketLocationCommand': 's3:GetBucketLocation',
  's3:GetBucketPolicyCommand': 's3:GetBucketPolicy',
  's3:GetBucketOwnershipControlsCommand': 's3:GetBucketOwnershipControls',
  's3:GetBucketEncryptionCommand': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlockCommand': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketCorsCommand': 's3:GetBucketCORS',
  's3control:ListAccessPointsCommand': 's3:ListAccessPoints',
  'iam:GetRoleCommand': 'iam:GetRole',
  'iam:ListRolePoliciesCommand': 'iam:ListRolePolicies',
  'iam:GetRolePolicyCommand': 'iam:GetRolePolicy',
  'iam:ListAttachedRolePoliciesCommand': 'iam:ListAttachedRolePolicies',
  'iam:GetPolicyCommand': 'iam:GetPolicy',
  'iam:GetPolicyVersionCommand': 'iam:GetPolicyVersion',
  'iam:GetInstanceProfileCommand': 'iam:GetInstanceProfile',
  'lambda:GetFunctionConfigurationCommand': 'lambda:GetFunctionConfiguration',
  'ecs:DescribeServicesCommand': 'ecs:DescribeServices',
  'ecs:DescribeTaskDefinitionCommand': 'ecs:DescribeTaskDefinition',
};

/** Every IAM action `--live` needs, all read-only: the minimal policy for the command. */
export const LIVE_READ_ONLY_ACTIONS: readonly string[] = [...new Set(Object.values(LIVE_COMMAND_ACTIONS))].sort();

/** The IAM action of a command a reader sends (falls back to `<service>:<name without Command>`). */
export function actionOf(service: LiveService, command: unknown): string {
  const name = commandName(command);
  return LIVE_COMMAND_ACTIONS[`${service}:${name}`] ?? `${service}:${name.replace(/Command$/, '')}`;
}

/** The class name of an SDK command object. */
export function commandName(command: unknown): string {
  const ctor = (command as { constructor?: { name?: string } } | undefined)?.constructor;
  return typeof ctor?.name === 'string' ? ctor.name : 'UnknownCommand';
}

/** Actions on no resource in particular (S3's account-level listing of access points): granted on `*`. */
const ACCOUNT_LEVEL: readonly string[] = ['s3:ListAccessPoints'];

/**
 * The minimal read-only IAM policy for `--live`. EC2, ECS and Lambda describe calls and S3's ListAccessPoints take no
 * resource-level scoping here (`*`); S3 is scoped to the given buckets (every bucket when none is given), IAM to roles, policies and instance
 * profiles.
 */
export function liveReadOnlyPolicy(bucketNames: readonly string[] = [], partition = 'aws'): {
  Version: string; Statement: Array<Record<string, unknown>>;
} {
  const of = (prefix: string) => LIVE_READ_ONLY_ACTIONS.filter(a => a.startsWith(`${prefix}:`) && !ACCOUNT_LEVEL.includes(a));
  const buckets = bucketNames.length > 0 ? bucketNames.map(b => `arn:${partition}:s3:::${b}`) : [`arn:${partition}:s3:::*`];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DescribeNetworkAndWorkloads',
        Effect: 'Allow',
        Action: [...of('ec2'), ...of('ecs'), ...of('lambda'), ...ACCOUNT_LEVEL].sort(),
        Resource: '*',
      },
      { Sid: 'ReadBuckets', Effect: 'Allow', Action: of('s3'), Resource: buckets },
      {
        Sid: 'ReadRoles',
        Effect: 'Allow',
        Action: of('iam'),
        Resource: [
          // `*` in the account field also covers AWS managed policies (`arn:aws:iam::aws:policy/...`)
          `arn:${partition}:iam::*:role/*`, `arn:${partition}:iam::*:policy/*`, `arn:${partition}:iam::*:instance-profile/*`,
        ],
      },
    ],
  };
}
