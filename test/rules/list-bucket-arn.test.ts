import { CfnParameter } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { listBucketArn } from '../../lib/rules/list-bucket-arn';
import { envStack, findingsOf, summary } from '../helpers/checks';

function roleWith(stack: ReturnType<typeof envStack>, ...statements: iam.PolicyStatement[]): iam.Role {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  for (const s of statements) role.addToPolicy(s);
  return role;
}

describe('S3PA-ListBucketArn', () => {
  test('fires when s3:ListBucket is granted only on the object ARN', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    roleWith(stack, new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetObject'], resources: [bucket.arnForObjects('*')] }));

    // WHEN
    const findings = summary(findingsOf(stack, listBucketArn));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Role/DefaultPolicy/Resource' })]);
    expect(findings[0].message).toMatch(/role Stack\/Role\/Resource grants s3:ListBucket on bucket Stack\/Data\/Resource only on object ARN arn:aws:s3:::\{\{.*\}\}\/\*/);
  });

  test('fires when s3:GetObject is granted only on the bucket ARN', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    roleWith(stack, new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetObject'], resources: [bucket.bucketArn] }));

    // WHEN
    const findings = summary(findingsOf(stack, listBucketArn));

    // THEN
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'error', path: 'Stack/Role/DefaultPolicy/Resource' });
    expect(findings[0].message).toContain('grants s3:GetObject on bucket Stack/Data/Resource only on the bucket ARN');
  });

  test('is quiet for object actions on arn:aws:s3:::prefix* and arn:aws:s3:::* (IAM\'s * matches across /)', () => {
    // GIVEN object actions on patterns without a / : they cover the objects of every matching bucket
    const stack = envStack();
    new s3.Bucket(stack, 'Data', { bucketName: 'reports-data-eu' });
    roleWith(stack,
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::reports-*'] }),
      new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::*'] }));

    // THEN
    expect(findingsOf(stack, listBucketArn)).toEqual([]);
  });

  test('warns, not fails, for another S3 action named literally on the wrong resource type', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    roleWith(stack, new iam.PolicyStatement({ actions: ['s3:PutObjectTagging'], resources: [bucket.bucketArn] }));

    expect(summary(findingsOf(stack, listBucketArn)).map(f => f.level)).toEqual(['warning']);
  });

  test('fires for an external bucket named in a bucket policy of the app', () => {
    // GIVEN
    const stack = envStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'shared-data-bucket');
    new s3.CfnBucketPolicy(stack, 'Policy', {
      bucket: bucket.bucketName,
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          actions: ['s3:ListBucket'], resources: [bucket.arnForObjects('*')], principals: [new iam.AccountPrincipal('222222222222')],
        })],
      }),
    });

    // WHEN
    const findings = summary(findingsOf(stack, listBucketArn));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Policy' })]);
    expect(findings[0].message).toContain('bucket policy Stack/Policy grants s3:ListBucket on bucket shared-data-bucket only on object ARN arn:aws:s3:::shared-data-bucket/*');
  });

  test('is quiet for split statements, as grantRead writes them', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const role = roleWith(stack,
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects('data/*')] }));
    bucket.grantReadWrite(role);

    // WHEN / THEN
    expect(findingsOf(stack, listBucketArn)).toEqual([]);
  });

  test('is quiet for wildcard actions on one resource type', () => {
    // GIVEN: s3:Get* on the bucket ARN grants GetBucketLocation; it is not a misplaced GetObject
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    roleWith(stack,
      new iam.PolicyStatement({ actions: ['s3:Get*', 's3:List*'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:List*'], resources: [bucket.arnForObjects('*')] }));

    // WHEN / THEN
    expect(findingsOf(stack, listBucketArn)).toEqual([]);
  });

  test('cannot judge a resource that is a parameter', () => {
    // GIVEN
    const stack = envStack();
    const arn = new CfnParameter(stack, 'BucketArn');
    roleWith(stack, new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [arn.valueAsString] }));

    // WHEN
    const findings = summary(findingsOf(stack, listBucketArn));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Role/DefaultPolicy/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether resource \{\{BucketArn\}\} .* as s3:ListBucket needs/);
  });
});
