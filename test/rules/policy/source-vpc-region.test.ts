import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { sourceVpcRegion } from '../../../lib/rules/policy/source-vpc-region';
import { findingsOf, summary } from '../../helpers/checks';

/** An app with a stack per region; the first holds a bucket whose Deny compares aws:SourceVpc under `conditions`. */
function app(regions: Array<string | undefined>, conditions: Record<string, any>) {
  const root = new App();
  const stacks = regions.map((region, i) => new Stack(root, `Stack${i}`, region ? { env: { account: '111111111111', region } } : {}));
  const bucket = new s3.Bucket(stacks[0], 'Data');
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'OnlyFromVpc',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions,
  }));
  return stacks[0];
}

const VPC_ONLY = { StringNotEquals: { 'aws:SourceVpc': ['vpc-0123456789abcdef0', 'vpc-0fedcba9876543210'] } };

describe('S3PA-SourceVpcRegion', () => {
  test('warns for aws:SourceVpc without a region guard in an app with stacks in two regions', () => {
    // GIVEN
    const stack = app(['eu-west-1', 'us-east-1'], VPC_ONLY);

    // WHEN
    const findings = findingsOf(stack, sourceVpcRegion);

    // THEN
    expect(summary(findings)).toEqual([{
      level: 'warning',
      path: 'Stack0/Data/Policy/Resource',
      message: 'bucket policy Stack0/Data/Policy/Resource (statement OnlyFromVpc) compares aws:SourceVpc (StringNotEquals) '
        + 'with no region guard, in an app with stacks in eu-west-1 and us-east-1: a VPC id names a VPC only within its region',
    }]);
    expect(findings[0].hop).toBe('bucket-policy');
  });

  test('is quiet for the clean twin that compares aws:SourceVpcArn as well', () => {
    // GIVEN
    const stack = app(['eu-west-1', 'us-east-1'], {
      StringNotEquals: { 'aws:SourceVpc': ['vpc-0123456789abcdef0'] },
      ArnNotLike: { 'aws:SourceVpcArn': 'arn:aws:ec2:eu-west-1:111111111111:vpc/*' },
    });

    // THEN
    expect(findingsOf(stack, sourceVpcRegion)).toEqual([]);
  });

  test('is quiet with aws:RequestedRegion as the guard', () => {
    // GIVEN
    const stack = app(['eu-west-1', 'us-east-1'], { ...VPC_ONLY, StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } });

    // THEN
    expect(findingsOf(stack, sourceVpcRegion)).toEqual([]);
  });

  test('is quiet in a single-region app', () => {
    // GIVEN
    const stack = app(['eu-west-1', 'eu-west-1'], VPC_ONLY);

    // THEN
    expect(findingsOf(stack, sourceVpcRegion)).toEqual([]);
  });

  test('cannot judge when a second stack\'s region is not resolved', () => {
    // GIVEN
    const stack = app(['eu-west-1', undefined], VPC_ONLY);

    // WHEN
    const findings = findingsOf(stack, sourceVpcRegion);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack0/Data/Policy/Resource' })]);
    expect(findings[0].cannotJudge).toBe(true);
    expect(findings[0].message).toBe('cannot judge: whether bucket policy Stack0/Data/Policy/Resource (statement OnlyFromVpc) needs '
      + 'a region guard on aws:SourceVpc: the region of stack Stack1 is not resolved, so the app may span regions');
  });
});
