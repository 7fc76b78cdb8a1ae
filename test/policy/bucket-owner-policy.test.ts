import { App, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess, BucketOwnerPolicy, BucketOwnerPolicyOptions } from '../../lib/policy';

const WORKLOAD = 'arn:aws:iam::111111111111:role/workload';
const ADMIN = 'arn:aws:iam::222222222222:role/admin';
const ENDPOINT = 'vpce-0123456789abcdef0';

function options(overrides: Partial<BucketOwnerPolicyOptions> = {}): BucketOwnerPolicyOptions {
  return { bucketName: 'partner-data', endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD], adminPrincipalArns: [ADMIN], ...overrides };
}

function json(opts: BucketOwnerPolicyOptions): any[] {
  return BucketOwnerPolicy.document(opts).toJSON().Statement;
}

describe('BucketOwnerPolicy.statements / document', () => {
  test('READ by default: list on the bucket and GetObject on bucket/* for the workload roles', () => {
    // WHEN
    const statements = json(options());
    // THEN
    expect(statements.slice(0, 2)).toEqual([
      { Sid: 'AllowWorkloadsBucketActions', Effect: 'Allow', Principal: { AWS: WORKLOAD }, Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: 'arn:aws:s3:::partner-data' },
      { Sid: 'AllowWorkloadsObjectActions', Effect: 'Allow', Principal: { AWS: WORKLOAD }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::partner-data/*' },
    ]);
  });

  test('with a prefix, conditions ListBucket on s3:prefix and limits objects to the prefix', () => {
    // WHEN
    const statements = json(options({ prefix: 'shared/', access: BucketAccess.READ_WRITE }));
    // THEN
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::partner-data', Condition: { StringLike: { 's3:prefix': ['shared/', 'shared/*'] } } }),
      expect.objectContaining({ Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], Resource: 'arn:aws:s3:::partner-data/shared/*' }),
    ]));
  });

  test('ends with a lockout-safe Deny unless through the endpoint, exempting the admins', () => {
    // WHEN
    const deny = json(options()).at(-1);
    // THEN
    expect(deny).toEqual({
      Sid: 'DenyUnlessThroughVpcEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::partner-data', 'arn:aws:s3:::partner-data/*'],
      Condition: {
        StringNotEquals: { 'aws:SourceVpce': ENDPOINT },
        ArnNotLike: { 'aws:PrincipalArn': ADMIN },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    });
  });

  test('with endpoints and VPCs, lets requests through either pass', () => {
    // WHEN
    const deny = json(options({ endpointIds: [ENDPOINT, 'vpce-0fedcba9876543210'], vpcIds: ['vpc-0123456789abcdef0'] })).at(-1);
    // THEN
    expect(deny.Condition.StringNotEquals).toEqual({
      'aws:SourceVpce': [ENDPOINT, 'vpce-0fedcba9876543210'],
      'aws:SourceVpc': 'vpc-0123456789abcdef0',
    });
  });

  test('uses the given partition', () => {
    expect(json(options({ partition: 'aws-cn' }))[0].Resource).toBe('arn:aws-cn:s3:::partner-data');
  });

  test.each<[string, Partial<BucketOwnerPolicyOptions>, RegExp]>([
    ['no endpoint and no vpc', { endpointIds: [], vpcIds: [] }, /needs endpointIds or vpcIds/],
    ['a vpc id as endpoint id', { endpointIds: ['vpc-0123456789abcdef0'] }, /endpoint id 'vpc-0123456789abcdef0' is not a vpce id/],
    ['an endpoint id as vpc id', { endpointIds: [], vpcIds: [ENDPOINT] }, /vpc id 'vpce-0123456789abcdef0' is not a vpc id/],
    ['a wildcard role', { workloadRoleArns: ['arn:aws:iam::111111111111:role/app-*'] }, /workload role .* contains a wildcard/],
    ['a role of any account', { workloadRoleArns: ['arn:aws:iam::*:role/app'] }, /wildcard in the partition, service or account/],
    ['Principal *', { workloadRoleArns: ['*'] }, /matches any principal/],
    ['no workload role', { workloadRoleArns: [] }, /needs workloadRoleArns/],
    ['no admin', { adminPrincipalArns: [] }, /has no adminPrincipalArns/],
    ['a wildcard admin', { adminPrincipalArns: ['arn:aws:iam::222222222222:role/*'] }, /exempt principal .* matches every principal/],
    ['a bad bucket name', { bucketName: 'Partner_Data' }, /'Partner_Data' is not a valid S3 bucket name/],
    ['a prefix with a wildcard', { prefix: 'shared/*' }, /contains a wildcard/],
  ])('rejects %s', (_name, overrides, message) => {
    expect(() => BucketOwnerPolicy.statements(options(overrides))).toThrow(message);
  });
});

describe('BucketOwnerPolicy.applyTo', () => {
  function ownerStack(props = {}) {
    const stack = new Stack(new App(), 'Owner', { env: { account: '222222222222', region: 'eu-west-1' }, ...props });
    const bucket = new s3.Bucket(stack, 'Shared');
    return { stack, bucket };
  }

  test('adds the statements to the bucket policy and exempts the stack deploy role too', () => {
    // GIVEN
    const { stack, bucket } = ownerStack();
    // WHEN
    BucketOwnerPolicy.applyTo(bucket, { endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD], adminPrincipalArns: [ADMIN] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowWorkloadsObjectActions', Principal: { AWS: WORKLOAD }, Resource: stack.resolve(bucket.arnForObjects('*')) }),
          Match.objectLike({
            Sid: 'DenyUnlessThroughVpcEndpoint',
            Condition: Match.objectLike({
              ArnNotLike: {
                'aws:PrincipalArn': [
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-eu-west-1']] },
                  ADMIN,
                ],
              },
            }),
          }),
        ]),
      },
    });
  });

  test('works without admins when the deploy role is known', () => {
    // GIVEN
    const { bucket } = ownerStack();
    // WHEN
    const statements = BucketOwnerPolicy.applyTo(bucket, { endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD] });
    // THEN
    expect(statements).toHaveLength(3);
  });

  test('warns when the synthesizer names no deploy role', () => {
    // GIVEN
    const { stack, bucket } = ownerStack({ synthesizer: new CliCredentialsStackSynthesizer() });
    // WHEN
    BucketOwnerPolicy.applyTo(bucket, { endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD], adminPrincipalArns: [ADMIN] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Owner/Shared/S3EndpointRestriction', Match.stringLikeRegexp('noDeployRoleExemption'));
  });

  test('throws when nobody would be exempt', () => {
    const { bucket } = ownerStack({ synthesizer: new CliCredentialsStackSynthesizer() });
    expect(() => BucketOwnerPolicy.applyTo(bucket, { endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD] }))
      .toThrow(/no principal to exempt from its Deny/);
  });

  test('throws for an imported bucket', () => {
    const { stack } = ownerStack();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'legacy-bucket');
    expect(() => BucketOwnerPolicy.applyTo(imported, { endpointIds: [ENDPOINT], workloadRoleArns: [WORKLOAD], adminPrincipalArns: [ADMIN] }))
      .toThrow(/is imported, so this stack cannot change its policy/);
  });
});
