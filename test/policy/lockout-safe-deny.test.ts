import { App, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketRestriction } from '../../lib/policy';
import { cloudFormationExecutionRoleArn, restrictionStatement, validateExemptions } from '../../lib/policy/lockout-safe-deny';

const ENDPOINT_ID = 'vpce-0123456789abcdef0';
const ADMIN = 'arn:aws:iam::111111111111:role/admin';

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

describe('restrictionStatement', () => {
  test('toEndpoint() denies s3:* on the bucket and its objects unless through the endpoint, with every exemption', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const statement = restrictionStatement({
      bucket, restriction: BucketRestriction.toEndpoint(), endpointId: ENDPOINT_ID, exemptPrincipalArns: [ADMIN],
    });
    bucket.addToResourcePolicy(statement!);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'DenyUnlessThroughVpcEndpoint',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [stack.resolve(bucket.bucketArn), stack.resolve(bucket.arnForObjects('*'))],
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': ENDPOINT_ID },
            ArnNotLike: { 'aws:PrincipalArn': ADMIN },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
          },
        }]),
      },
    });
  });

  test('toVpc() conditions on aws:SourceVpc', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const statement = restrictionStatement({ bucket, restriction: BucketRestriction.toVpc(), vpcId: 'vpc-0123456789abcdef0', exemptPrincipalArns: [ADMIN] });
    // THEN
    const json = stack.resolve(statement!.toStatementJson());
    expect(json.Sid).toBe('DenyUnlessFromVpc');
    expect(json.Condition.StringNotEquals).toEqual({ 'aws:SourceVpc': 'vpc-0123456789abcdef0' });
  });

  test('none() writes no statement', () => {
    const { bucket } = setup();
    expect(restrictionStatement({ bucket, restriction: BucketRestriction.none(), exemptPrincipalArns: [] })).toBeUndefined();
  });

  test('accepts an endpoint id that is still a token and renders the reference', () => {
    // GIVEN
    const { stack, bucket } = setup();
    const token = new s3.CfnBucket(stack, 'Other').ref;
    // WHEN
    const statement = restrictionStatement({ bucket, restriction: BucketRestriction.toEndpoint(), endpointId: token, exemptPrincipalArns: [ADMIN] });
    // THEN
    expect(stack.resolve(statement!.toStatementJson()).Condition.StringNotEquals['aws:SourceVpce']).toEqual({ Ref: 'Other' });
  });

  test('omits the ArnNotLike exemption when there is nobody to exempt', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const statement = restrictionStatement({ bucket, restriction: BucketRestriction.toEndpoint(), endpointId: ENDPOINT_ID, exemptPrincipalArns: [] });
    // THEN
    expect(stack.resolve(statement!.toStatementJson()).Condition.ArnNotLike).toBeUndefined();
  });

  test('toEndpoint() without an endpoint id throws', () => {
    const { bucket } = setup();
    expect(() => restrictionStatement({ bucket, restriction: BucketRestriction.toEndpoint(), exemptPrincipalArns: [ADMIN] }))
      .toThrow(/toEndpoint\(\) needs the endpoint id/);
  });

  test('toVpc() without a vpc id throws', () => {
    const { bucket } = setup();
    expect(() => restrictionStatement({ bucket, restriction: BucketRestriction.toVpc(), exemptPrincipalArns: [ADMIN] }))
      .toThrow(/toVpc\(\) needs the vpc id/);
  });

  test('a vpc id given as the endpoint id throws', () => {
    const { bucket } = setup();
    expect(() => restrictionStatement({ bucket, restriction: BucketRestriction.toEndpoint(), endpointId: 'vpc-0123456789abcdef0', exemptPrincipalArns: [ADMIN] }))
      .toThrow(/endpoint id 'vpc-0123456789abcdef0' is not a vpce id/);
  });

  test('a wildcard exemption throws', () => {
    const { bucket } = setup();
    expect(() => restrictionStatement({ bucket, restriction: BucketRestriction.toEndpoint(), endpointId: ENDPOINT_ID, exemptPrincipalArns: ['*'] }))
      .toThrow(/exempt principal '\*' matches any principal/);
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
