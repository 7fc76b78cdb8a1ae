import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BucketAccess, BucketEndpointRestriction, BucketOwnerPolicy } from '../../lib/policy';
import { createInstanceRole, createTaskRole } from '../../lib/policy/workload-roles';

function build() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const logs = new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const data = new s3.Bucket(stack, 'Data', {
    enforceSSL: true,
    encryption: s3.BucketEncryption.KMS,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'data/',
  });
  const instance = createInstanceRole(stack, 'App', { grants: [{ bucket: data, access: BucketAccess.READ_WRITE, prefix: 'reports/' }] });
  const task = createTaskRole(stack, 'Task', { grants: [{ bucket: data, access: BucketAccess.READ }] });
  BucketEndpointRestriction.of(data).allowEndpoint('vpce-0123456789abcdef0');
  BucketOwnerPolicy.applyTo(logs, { vpcIds: ['vpc-0123456789abcdef0'], workloadRoleArns: ['arn:aws:iam::222222222222:role/reader'] });
  return { app, stack, logs, data, instance, task };
}

/** The id cdk-nag gives an IAM5 finding for object actions on `bucket/<key>`. */
function objectWildcardFinding(bucket: s3.Bucket, key: string): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${key}]`;
}

describe('cdk-nag AwsSolutions over the policy building blocks', () => {
  test('finds only the object wildcards that least privilege needs (IAM5 on bucket/prefix* and bucket/*)', () => {
    // GIVEN
    const { stack, data } = build();
    // WHEN
    const violations = new AwsSolutionsChecks(stack).validateScope(stack).violations;
    // THEN
    expect(violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]).sort()).toEqual([
      [objectWildcardFinding(data, '*'), ['Stack/Task/Role/DefaultPolicy/Resource']],
      [objectWildcardFinding(data, 'reports/*'), ['Stack/App/Role/DefaultPolicy/Resource']],
    ]);
  });

  test('leaves no unacknowledged violation once the reasons are written down for those exact findings', () => {
    // GIVEN
    const { stack, data, instance, task } = build();
    const reason = 'object actions must name object ARNs; bucket/prefix* (or bucket/*) is the narrowest resource that covers the objects a workload creates and reads';
    Validations.of(instance.role).acknowledge({ id: objectWildcardFinding(data, 'reports/*'), reason });
    Validations.of(task).acknowledge({ id: objectWildcardFinding(data, '*'), reason });
    // WHEN
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    // THEN
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });
});
