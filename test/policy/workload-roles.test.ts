import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess } from '../../lib/policy';
import { createInstanceRole, createTaskRole } from '../../lib/policy/workload-roles';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Data');
  return { stack, bucket };
}

describe('createInstanceRole', () => {
  test('creates a role assumed by ec2.amazonaws.com and an instance profile for it', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const result = createInstanceRole(stack, 'App', { grants: [{ bucket, access: BucketAccess.READ }], roleName: 'app-instance', description: 'app instances' });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'app-instance',
      Description: 'app instances',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [stack.resolve(result.role.roleName)] });
  });

  test('attaches no managed policy', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    createInstanceRole(stack, 'App', { grants: [{ bucket, access: BucketAccess.READ }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('applies the grants to the role', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const { role } = createInstanceRole(stack, 'App', { grants: [{ bucket, access: BucketAccess.WRITE, prefix: 'uploads/' }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(role.roleName)],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: stack.resolve(bucket.arnForObjects('uploads/*')) }] },
    });
  });

  test('rejects a bad grant before creating anything', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN / THEN
    expect(() => createInstanceRole(stack, 'App', { grants: [{ bucket, access: BucketAccess.READ, prefix: '/x' }] })).toThrow(/starts with '\/'/);
    expect(stack.node.tryFindChild('App')).toBeUndefined();
  });
});

describe('createTaskRole', () => {
  test('creates a role assumed by ecs-tasks.amazonaws.com for this account only', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    createTaskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.READ }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:111111111111:*']] } },
          },
        }],
      },
    });
  });

  test('in an env-agnostic stack, conditions on the deploying account', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    createTaskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.READ }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) })] },
    });
  });

  test('applies the grants to the role', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const role = createTaskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.DELETE }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(role.roleName)],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: stack.resolve(bucket.arnForObjects('*')) }] },
    });
  });

  test('rejects allowObjectAcl on a BucketOwnerEnforced bucket', () => {
    const { stack, bucket } = setup();
    expect(() => createTaskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.WRITE, allowObjectAcl: true }] }))
      .toThrow(/allowObjectAcl is set for bucket Stack\/Data/);
  });
});
