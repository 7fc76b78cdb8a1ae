import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { duplicateBucketPolicy } from '../../../lib/rules/policy/duplicate-bucket-policy';
import { envStack, findingsOf, summary } from '../../helpers/checks';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function rawPolicy(scope: Stack, id: string, bucket: string): s3.CfnBucketPolicy {
  return new s3.CfnBucketPolicy(scope, id, {
    bucket,
    policyDocument: {
      Statement: [{
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      }],
    },
  });
}

describe('S3PA-DuplicateBucketPolicy', () => {
  test('GIVEN a bucket with an L2 policy and a CfnBucketPolicy on its Ref WHEN checked THEN error on both naming the other', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    rawPolicy(stack, 'Extra', bucket.bucketName);
    // WHEN
    const found = summary(findingsOf(stack, duplicateBucketPolicy));
    // THEN
    expect(found.map(f => [f.level, f.path])).toEqual([
      ['error', 'Stack/Bucket/Policy/Resource'],
      ['error', 'Stack/Extra'],
    ]);
    expect(found[0].message).toContain('bucket Stack/Bucket/Resource has 2 bucket policies: Stack/Bucket/Policy/Resource and Stack/Extra');
  });

  test('GIVEN two policies on the same literal bucket name in different stacks WHEN checked THEN error', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    rawPolicy(a, 'Policy', 'shared-data');
    rawPolicy(b, 'Policy', 'shared-data');
    const found = summary(findingsOf(a, duplicateBucketPolicy));
    expect(found.map(f => [f.level, f.path])).toEqual([['error', 'A/Policy'], ['error', 'B/Policy']]);
    expect(found[0].message).toContain('bucket shared-data has 2 bucket policies');
  });

  test('GIVEN a policy in another stack naming a bucket of the app by its literal name WHEN the bucket has its own policy THEN error', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: ENV });
    const bucket = new s3.Bucket(data, 'Bucket', { bucketName: 'named-data' });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    const other = new Stack(app, 'Other', { env: ENV });
    rawPolicy(other, 'Policy', 'named-data');
    const found = summary(findingsOf(data, duplicateBucketPolicy));
    expect(found.map(f => f.path)).toEqual(['Data/Bucket/Policy/Resource', 'Other/Policy']);
  });

  test('GIVEN one policy per bucket WHEN checked THEN no finding', () => {
    const stack = envStack();
    for (const id of ['One', 'Two']) {
      const bucket = new s3.Bucket(stack, id);
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
      }));
    }
    rawPolicy(stack, 'Partner', 'partner-bucket');
    expect(findingsOf(stack, duplicateBucketPolicy)).toEqual([]);
  });

  test('GIVEN the same parameter used for two policies WHEN checked THEN error (same reference)', () => {
    const stack = envStack();
    const name = new CfnParameter(stack, 'BucketName').valueAsString;
    rawPolicy(stack, 'First', name);
    rawPolicy(stack, 'Second', name);
    const found = summary(findingsOf(stack, duplicateBucketPolicy));
    expect(found.map(f => [f.level, f.path])).toEqual([['error', 'Stack/First'], ['error', 'Stack/Second']]);
  });

  test('GIVEN policies on a parameter and on an import WHEN checked THEN cannot judge, no error', () => {
    const stack = envStack();
    rawPolicy(stack, 'FromParam', new CfnParameter(stack, 'BucketName').valueAsString);
    rawPolicy(stack, 'FromImport', Fn.importValue('data-bucket-name'));
    const found = findingsOf(stack, duplicateBucketPolicy);
    expect(found.map(f => [f.level, f.cannotJudge, f.resource.path])).toEqual([
      ['warning', true, 'Stack/FromParam'],
      ['warning', true, 'Stack/FromImport'],
    ]);
    expect(found[0].message).toContain('targets the same bucket as Stack/FromImport');
  });
});
