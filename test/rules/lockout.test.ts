import { Aws, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { lockout } from '../../lib/rules/lockout';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';

const DEPLOY_ROLE = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1';

function s3Endpoint(stack: Stack): ec2.GatewayVpcEndpoint {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
}

function networkDeny(bucket: s3.Bucket, conditions: Record<string, any>, sid = 'DenyOutsideVpc'): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions,
  }));
}

describe('S3PA-Lockout', () => {
  test('GIVEN a Deny unless aws:SourceVpce without exemptions WHEN checked THEN error listing every locked-out caller', () => {
    // GIVEN
    const stack = envStack();
    const endpoint = s3Endpoint(stack);
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } });
    // WHEN
    const found = summary(findingsOf(stack, lockout));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).toContain('statement DenyOutsideVpc of Stack/Bucket/Policy/Resource denies requests without aws:SourceVpce (StringNotEquals)');
    expect(found[0].message).toContain(`admins and the deploy role (e.g. ${DEPLOY_ROLE}) (s3:PutBucketPolicy is denied`);
    expect(found[0].message).toContain('AWS service principals');
    expect(found[0].message).toContain('requests AWS services make for a principal');
  });

  test('GIVEN the lockout with autoDeleteObjects and a VPC-less Lambda on the bucket WHEN checked THEN the message names them', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    const fn = new lambda.Function(stack, 'Loader', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    bucket.grantWrite(fn);
    networkDeny(bucket, { StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } });
    const found = summary(findingsOf(stack, lockout));
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('custom resource Custom::S3AutoDeleteObjects Stack/Bucket/AutoDeleteObjectsCustomResource/Default');
    expect(found[0].message).toContain('Lambda function Stack/Loader/Resource (no VPC)');
  });

  test('GIVEN only a service exemption WHEN checked THEN the admins and via-service callers are still reported', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    });
    const found = summary(findingsOf(stack, lockout));
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('admins and the deploy role');
    expect(found[0].message).not.toContain('AWS service principals');
  });

  test('GIVEN an exemption written with ArnLike instead of ArnNotLike WHEN checked THEN the exempted principal is reported', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
      ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    });
    const found = summary(findingsOf(stack, lockout));
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('the exempted principal arn:aws:iam::111111111111:role/Admin');
  });

  test('GIVEN all three exemptions WHEN autoDeleteObjects runs outside the VPC THEN error naming the custom resource', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
      ArnNotLike: { 'aws:PrincipalArn': DEPLOY_ROLE },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    });
    const found = summary(findingsOf(stack, lockout));
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Bucket/Policy/Resource' })]);
    expect(found[0].message).not.toContain('locks out');
    expect(found[0].message).toContain("it also denies the app's custom resource Custom::S3AutoDeleteObjects");
  });

  test('GIVEN a Deny with all three exemptions WHEN checked THEN no finding', () => {
    const stack = envStack();
    const endpoint = s3Endpoint(stack);
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
      ArnNotLike: { 'aws:PrincipalArn': [DEPLOY_ROLE, 'arn:aws:iam::111111111111:role/Admin*'] },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    });
    expect(findingsOf(stack, lockout)).toEqual([]);
  });

  test('GIVEN a Deny that names only one principal WHEN checked THEN no finding (others are not denied)', () => {
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/app')],
      actions: ['s3:*'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    }));
    expect(findingsOf(stack, lockout)).toEqual([]);
  });

  test('GIVEN an exemption from a CfnParameter beside the deploy-role pattern in an env-agnostic stack WHEN checked THEN no finding', () => {
    const stack = agnosticStack();
    const admin = new CfnParameter(stack, 'AdminArn');
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
      ArnNotLike: { 'aws:PrincipalArn': [admin.valueAsString, `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-*`] },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    });
    // the deploy role of the stack's own (unresolved) account matches role/cdk-*: nobody the rule knows is locked out
    expect(findingsOf(stack, lockout)).toEqual([]);
  });

  test('GIVEN the only exemption from a CfnParameter WHEN checked THEN cannot judge, no false error', () => {
    const stack = agnosticStack();
    const admin = new CfnParameter(stack, 'AdminArn');
    const bucket = new s3.Bucket(stack, 'Bucket');
    networkDeny(bucket, {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
      ArnNotLike: { 'aws:PrincipalArn': [admin.valueAsString] },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    });
    const found = findingsOf(stack, lockout);
    expect(found.every(f => f.level === 'warning')).toBe(true);
    expect(found.map(f => f.cannotJudge)).toEqual([true]);
  });
});
