import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess } from '../../lib/policy';
import { grantBucketAccess } from '../../lib/policy/grant-bucket-access';

function setup(bucketProps: s3.BucketProps = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Data', bucketProps);
  const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  return { stack, bucket, role };
}

function statementsOf(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('grantBucketAccess', () => {
  test('READ without prefix: list on the bucket ARN, GetObject on bucket/*', () => {
    // GIVEN
    const { stack, bucket, role } = setup();
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.READ });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: stack.resolve(bucket.bucketArn) },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: stack.resolve(bucket.arnForObjects('*')) },
        ],
      },
    });
  });

  test('READ with prefix: ListBucket conditioned on s3:prefix, objects under the prefix only', () => {
    // GIVEN
    const { stack, bucket, role } = setup();
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.READ, prefix: 'reports/' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: stack.resolve(bucket.bucketArn),
            Condition: { StringLike: { 's3:prefix': ['reports/', 'reports/*'] } },
          },
          { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: stack.resolve(bucket.bucketArn) },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: stack.resolve(bucket.arnForObjects('reports/*')) },
        ],
      },
    });
  });

  test('WRITE grants PutObject and AbortMultipartUpload only, and no list', () => {
    // GIVEN
    const { stack, bucket, role } = setup();
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.WRITE, prefix: 'in/' });
    // THEN
    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: stack.resolve(bucket.arnForObjects('in/*')) },
    ]);
  });

  test('DELETE grants DeleteObject only', () => {
    // GIVEN
    const { stack, bucket, role } = setup();
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.DELETE });
    // THEN
    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: stack.resolve(bucket.arnForObjects('*')) },
    ]);
  });

  test('never grants s3:* or a * resource, for any access level', () => {
    // GIVEN
    const { stack, bucket, role } = setup({ encryption: s3.BucketEncryption.KMS });
    // WHEN
    for (const access of [BucketAccess.READ, BucketAccess.WRITE, BucketAccess.READ_WRITE, BucketAccess.DELETE]) {
      grantBucketAccess(role, { bucket, access, prefix: 'p/' });
    }
    // THEN
    for (const statement of statementsOf(stack)) {
      expect([statement.Action].flat()).not.toContain('s3:*');
      expect([statement.Resource].flat()).not.toContain('*');
    }
  });

  test('does not grant PutObjectAcl by default', () => {
    // GIVEN
    const { stack, bucket, role } = setup();
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.READ_WRITE });
    // THEN
    expect(JSON.stringify(statementsOf(stack))).not.toContain('s3:PutObjectAcl');
  });

  test('grants PutObjectAcl when asked for on a bucket that keeps ACLs', () => {
    // GIVEN
    const { stack, bucket, role } = setup({ objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED });
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.WRITE, allowObjectAcl: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'] })] },
    });
  });

  test('rejects allowObjectAcl on a BucketOwnerEnforced bucket', () => {
    const { bucket, role } = setup({ objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    expect(() => grantBucketAccess(role, { bucket, access: BucketAccess.WRITE, allowObjectAcl: true }))
      .toThrow(/Stack\/Data, which has Object Ownership BucketOwnerEnforced/);
  });

  test('rejects allowObjectAcl on a bucket without OwnershipControls (S3 enforces bucket ownership by default)', () => {
    const { bucket, role } = setup();
    expect(() => grantBucketAccess(role, { bucket, access: BucketAccess.WRITE, allowObjectAcl: true }))
      .toThrow(/has no OwnershipControls, so S3 applies BucketOwnerEnforced/);
  });

  test('accepts allowObjectAcl on an imported bucket, whose settings are unknown', () => {
    // GIVEN
    const { stack, role } = setup();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'legacy-bucket');
    // WHEN
    grantBucketAccess(role, { bucket: imported, access: BucketAccess.WRITE, allowObjectAcl: true });
    // THEN
    expect(JSON.stringify(statementsOf(stack))).toContain('s3:PutObjectAcl');
  });

  test('grants kms:Decrypt on the bucket key for reads', () => {
    // GIVEN
    const { stack, bucket, role } = setup({ encryption: s3.BucketEncryption.KMS });
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.READ });
    // THEN
    expect(statementsOf(stack)).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve((bucket.encryptionKey as kms.IKey).keyArn) });
  });

  test('grants kms:GenerateDataKey and kms:Decrypt on the bucket key for writes', () => {
    // GIVEN
    const { stack, bucket, role } = setup({ encryption: s3.BucketEncryption.KMS });
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.WRITE });
    // THEN
    expect(statementsOf(stack)).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: stack.resolve((bucket.encryptionKey as kms.IKey).keyArn),
    });
  });

  test('grants no KMS action for an S3-managed encryption bucket', () => {
    // GIVEN
    const { stack, bucket, role } = setup({ encryption: s3.BucketEncryption.S3_MANAGED });
    // WHEN
    grantBucketAccess(role, { bucket, access: BucketAccess.READ_WRITE });
    // THEN
    expect(JSON.stringify(statementsOf(stack))).not.toContain('kms:');
  });

  test('puts the grant of a bucket in another account on the role only', () => {
    // GIVEN
    const { stack, role } = setup();
    const foreign = s3.Bucket.fromBucketAttributes(stack, 'Foreign', { bucketName: 'partner-data', account: '222222222222' });
    // WHEN
    grantBucketAccess(role, { bucket: foreign, access: BucketAccess.READ });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    expect(JSON.stringify(statementsOf(stack))).toContain(':s3:::partner-data/*');
  });

  test.each([
    ['/reports/', /starts with '\/'/],
    ['reports/*', /contains a wildcard/],
    ['rep?rts/', /contains a wildcard/],
    ['', /must not be empty/],
  ])('rejects prefix %j', (prefix, message) => {
    const { bucket, role } = setup();
    expect(() => grantBucketAccess(role, { bucket, access: BucketAccess.READ, prefix })).toThrow(message);
  });
});
