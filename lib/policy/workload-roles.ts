import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantBucketAccess, validateGrant } from './grant-bucket-access';
import { InstanceRoleResult, WorkloadRoleOptions } from './workload-role-options';

/**
 * An EC2 instance role with the given bucket grants, and its instance profile, under a construct `scope/id`.
 *
 * No managed policies are attached (least privilege): add `AmazonSSMManagedInstanceCore` or others yourself when the
 * instances need them.
 */
export function createInstanceRole(scope: Construct, id: string, options: WorkloadRoleOptions): InstanceRoleResult {
  options.grants.forEach(validateGrant);
  const container = new Construct(scope, id);
  const role = new iam.Role(container, 'Role', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    roleName: options.roleName,
    description: options.description,
  });
  applyGrants(role, options);
  const instanceProfile = new iam.InstanceProfile(container, 'InstanceProfile', { role });
  return { role, instanceProfile };
}

/**
 * An ECS task role with the given bucket grants, under a construct `scope/id`.
 *
 * The trust policy limits `ecs-tasks.amazonaws.com` to tasks of this account (`aws:SourceAccount`) and of ECS in
 * this region and account (`aws:SourceArn`), against the confused-deputy problem, as the ECS developer guide
 * recommends for task roles.
 */
export function createTaskRole(scope: Construct, id: string, options: WorkloadRoleOptions): iam.IRole {
  options.grants.forEach(validateGrant);
  const stack = Stack.of(scope);
  const container = new Construct(scope, id);
  const role = new iam.Role(container, 'Role', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
      },
    }),
    roleName: options.roleName,
    description: options.description,
  });
  applyGrants(role, options);
  return role;
}

function applyGrants(role: iam.IRole, options: WorkloadRoleOptions): void {
  for (const grant of options.grants) {
    grantBucketAccess(role, grant);
  }
}
