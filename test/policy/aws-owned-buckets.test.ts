import { App, Aws, Stack } from 'aws-cdk-lib';
import { AwsOwnedBuckets } from '../../lib/policy';

describe('AwsOwnedBuckets', () => {
  test('ECR_LAYERS names the starport layer bucket of the region', () => {
    // WHEN
    const arns = AwsOwnedBuckets.ECR_LAYERS.objectArns('eu-west-1', 'aws');
    // THEN
    expect(arns).toEqual(['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*']);
  });

  test('AMAZON_LINUX_REPOS names the AL2023 and AL2 repository buckets of the region', () => {
    // WHEN
    const arns = AwsOwnedBuckets.AMAZON_LINUX_REPOS.objectArns('us-east-2', 'aws');
    // THEN
    expect(arns).toEqual([
      'arn:aws:s3:::al2023-repos-us-east-2-de612dc2/*',
      'arn:aws:s3:::amazonlinux.us-east-2.amazonaws.com/*',
      'arn:aws:s3:::amazonlinux-2-repos-us-east-2/*',
    ]);
  });

  test('SSM names the SSM Agent buckets of the region', () => {
    // WHEN
    const arns = AwsOwnedBuckets.SSM.objectArns('ap-southeast-2', 'aws');
    // THEN
    expect(arns).toEqual(expect.arrayContaining([
      'arn:aws:s3:::aws-ssm-ap-southeast-2/*',
      'arn:aws:s3:::amazon-ssm-packages-ap-southeast-2/*',
      'arn:aws:s3:::ap-southeast-2-birdwatcher-prod/*',
      'arn:aws:s3:::patch-baseline-snapshot-ap-southeast-2/*',
    ]));
    expect(arns.every((arn) => arn.endsWith('/*') && arn.includes('ap-southeast-2'))).toBe(true);
  });

  test('objectArns builds token-safe ARNs for an env-agnostic stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    // WHEN
    const arns = AwsOwnedBuckets.ECR_LAYERS.objectArns(Aws.REGION, Aws.PARTITION);
    // THEN
    expect(stack.resolve(arns[0])).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']],
    });
  });

  test('of() fills placeholders in custom patterns', () => {
    // GIVEN
    const codeDeploy = AwsOwnedBuckets.of('codedeploy', ['arn:{partition}:s3:::aws-codedeploy-{region}/*']);
    // WHEN
    const arns = codeDeploy.objectArns('eu-central-1', 'aws');
    // THEN
    expect(codeDeploy.name).toBe('codedeploy');
    expect(arns).toEqual(['arn:aws:s3:::aws-codedeploy-eu-central-1/*']);
  });

  test('of() rejects a pattern that is not an object ARN', () => {
    expect(() => AwsOwnedBuckets.of('bad', ['aws-codedeploy-{region}']))
      .toThrow(/'aws-codedeploy-\{region\}' is not an S3 object ARN/);
  });

  test('of() rejects a bucket name that starts with a wildcard', () => {
    expect(() => AwsOwnedBuckets.of('any', ['arn:aws:s3:::*/*'])).toThrow(/starts the bucket name with a wildcard/);
  });

  test('of() rejects an empty pattern list', () => {
    expect(() => AwsOwnedBuckets.of('none', [])).toThrow(/has no patterns/);
  });

  test('of() rejects a name that cannot become a statement id', () => {
    expect(() => AwsOwnedBuckets.of('my buckets', ['arn:aws:s3:::b/*'])).toThrow(/name 'my buckets' is not valid/);
  });
});
