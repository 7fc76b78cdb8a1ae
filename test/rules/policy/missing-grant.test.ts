import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { missingGrant } from '../../../lib/rules/policy/missing-grant';
import { envStack, findingsOf, summary } from '../../helpers/checks';

const BUCKET = 'shared-data-222222222222';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/worker';

/** A data account (222…) holding the bucket and a workload account (111…) holding a VPC function. */
function accounts() {
  const app = new App();
  const data = new Stack(app, 'Data', { env: { account: '222222222222', region: 'eu-west-1' } });
  const work = new Stack(app, 'Work', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(data, 'Shared', { bucketName: BUCKET });
  const vpc = new ec2.Vpc(work, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const role = new iam.Role(work, 'Role', { roleName: 'worker', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new lambda.Function(work, 'Fn', {
    vpc, role, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  const imported = s3.Bucket.fromBucketName(work, 'Imported', BUCKET);
  return { data, work, bucket, role, imported };
}

describe('S3PA-MissingGrant', () => {
  test('fires when the bucket policy in the other account does not allow the granted role', () => {
    // GIVEN
    const { data, bucket, role, imported } = accounts();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('333333333333')], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [imported.arnForObjects('*')] }));

    // WHEN
    const findings = summary(findingsOf(data, missingGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Data/Shared/Policy/Resource' })]);
    expect(findings[0].message).toBe('role Work/Role/Resource (of Work/Fn/Resource) of account 111111111111 is granted s3:GetObject on '
      + `arn:aws:s3:::${BUCKET}/s3pa-probe on bucket Data/Shared/Resource (account 222222222222), but its bucket policy does not allow it: cross-account access needs both`);
  });

  test('fires when the bucket policy allows a role of the app whose identity policy grants nothing', () => {
    // GIVEN
    const { data, bucket } = accounts();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(ROLE_ARN)], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));

    // WHEN
    const findings = summary(findingsOf(data, missingGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Work/Role/Resource' })]);
    expect(findings[0].message).toContain('bucket policy Data/Shared/Policy/Resource of bucket Data/Shared/Resource (account 222222222222) allows '
      + 'role Work/Role/Resource of account 111111111111 s3:GetObject');
  });

  test('is quiet when both sides grant', () => {
    // GIVEN
    const { data, bucket, role, imported } = accounts();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(ROLE_ARN)], actions: ['s3:GetObject', 's3:ListBucket'], resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [imported.bucketArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [imported.arnForObjects('*')] }));

    // WHEN / THEN
    expect(findingsOf(data, missingGrant)).toEqual([]);
  });

  test('is quiet for a same-account grant without a bucket policy', () => {
    // GIVEN
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const fn = new lambda.Function(stack, 'Fn', {
      vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    new s3.Bucket(stack, 'Data').grantRead(fn);

    // WHEN / THEN
    expect(findingsOf(stack, missingGrant)).toEqual([]);
  });

  test('cannot judge a bucket of another account outside the app', () => {
    // GIVEN: the name carries the other account; its bucket policy is not in the app
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const fn = new lambda.Function(stack, 'Fn', {
      vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    s3.Bucket.fromBucketName(stack, 'Elsewhere', 'reports-444444444444-eu-west-1').grantRead(fn);

    // WHEN
    const findings = summary(findingsOf(stack, missingGrant));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Fn/ServiceRole/DefaultPolicy/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether the bucket policy of reports-444444444444-eu-west-1 \(account 444444444444, not in the app\)/);
  });
});
