import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
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
  test('the object wildcards of the grants (IAM5 on bucket/prefix* and bucket/*) come acknowledged, with a reason', () => {
    // GIVEN
    const { stack, data, instance, task } = build();
    // WHEN the user's own pack instance checks the stack
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    // THEN
    expect(report.violations).toEqual([]);
    // aws-cdk-lib 2.262.1 and later prefix every id with 'Annotation::', as cdk-nag expects
    const acks = (scope: IConstruct) => Object.fromEntries(scope.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => [id.replace(/^annotation::/i, ''), reason]));
    expect(acks(instance.role)).toEqual({ [objectWildcardFinding(data, 'reports/*')]: expect.stringMatching(/^object actions granted by cdk-s3-private-access apply to the keys under reports\/: /) });
    expect(acks(task)).toEqual({ [objectWildcardFinding(data, '*')]: expect.stringMatching(/apply to the keys of the bucket: /) });
  });

  test('an acknowledgement covers the grant\'s own ARN only: a wildcard the user adds to the same role is still reported', () => {
    // GIVEN
    const { stack, data, instance } = build();
    // WHEN
    instance.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [data.arnForObjects('other/*')] }));
    // THEN
    const violations = new AwsSolutionsChecks(stack).validateScope(stack).violations;
    expect(violations.map((v) => v.ruleName)).toEqual([objectWildcardFinding(data, 'other/*')]);
  });
});
