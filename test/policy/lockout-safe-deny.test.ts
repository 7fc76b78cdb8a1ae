import { App, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketRestriction } from '../../lib/policy';
import { cloudFormationExecutionRoleArn, validateExemptions } from '../../lib/policy/lockout-safe-deny';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Data');
  return { stack, bucket };
}

describe('BucketRestriction', () => {
  test.each([
    ['endpoint', BucketRestriction.toEndpoint()],
    ['vpc', BucketRestriction.toVpc()],
    ['none', BucketRestriction.none()],
  ])('has mode %s', (mode, restriction) => {
    expect(restriction.mode).toBe(mode);
  });
});

describe('validateExemptions', () => {
  test.each([
    ['*', /matches any principal/],
    ['arn:*:iam::111111111111:role/admin', /matches any principal/],
    ['arn:aws:iam::*:role/admin', /wildcard in the partition, service or account/],
    ['arn:aws:iam::1111*:role/admin', /wildcard in the partition, service or account/],
    ['arn:aws:iam::111111111111:*', /matches every principal of the account/],
    ['arn:aws:iam::111111111111:role/*', /matches every principal of the account or of a type/],
    ['arn:aws:s3:::bucket', /not an IAM principal ARN/],
    ['admin', /not an IAM principal ARN/],
  ])('rejects %s', (arn, message) => {
    expect(() => validateExemptions([arn])).toThrow(message);
  });

  test.each([
    'arn:aws:iam::111111111111:role/admin',
    'arn:aws:iam::111111111111:role/break-glass-*',
    'arn:aws:iam::111111111111:user/alice',
    'arn:aws-us-gov:iam::111111111111:role/path/ops',
  ])('accepts %s', (arn) => {
    expect(() => validateExemptions([arn])).not.toThrow();
  });

  test('skips tokens', () => {
    const { stack } = setup();
    expect(() => validateExemptions([cloudFormationExecutionRoleArn(stack)!])).not.toThrow();
  });
});

describe('cloudFormationExecutionRoleArn', () => {
  test('for an env-bound DefaultStackSynthesizer stack, names the bootstrap execution role with the literal account and region', () => {
    // GIVEN
    const { stack } = setup();
    // WHEN
    const arn = cloudFormationExecutionRoleArn(stack);
    // THEN
    expect(stack.resolve(arn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1']],
    });
  });

  test('for an env-agnostic stack, replaces the placeholders with pseudo parameters', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    // WHEN
    const resolved = JSON.stringify(stack.resolve(cloudFormationExecutionRoleArn(stack)));
    // THEN
    expect(resolved).not.toContain('${AWS::');
    expect(resolved).toContain('{"Ref":"AWS::AccountId"}');
    expect(resolved).toContain('{"Ref":"AWS::Region"}');
  });

  test('follows a custom qualifier', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', {
      env: { account: '111111111111', region: 'eu-west-1' },
      synthesizer: new DefaultStackSynthesizer({ qualifier: 'custom' }),
    });
    // WHEN
    const resolved = JSON.stringify(stack.resolve(cloudFormationExecutionRoleArn(stack)));
    // THEN
    expect(resolved).toContain('role/cdk-custom-cfn-exec-role-111111111111-eu-west-1');
  });

  test('is undefined for a synthesizer that deploys with the caller credentials', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { synthesizer: new CliCredentialsStackSynthesizer() });
    // THEN
    expect(cloudFormationExecutionRoleArn(stack)).toBeUndefined();
  });
});
