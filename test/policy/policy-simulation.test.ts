import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Decision, decide as simulate } from '../helpers/simulate';
import { toLiteral } from './helpers/resolve-intrinsics';
import { AwsOwnedBuckets, BucketAccess, BucketEndpointRestriction, BucketOwnerPolicy, EndpointPolicy } from '../../lib/policy';
import { grantBucketAccess } from '../../lib/policy/grant-bucket-access';

/*
 * An IAM oracle (@cloud-copilot/iam-simulate, a test-only dependency) evaluates the policies this library writes:
 * the workload's identity policy (grantBucketAccess), the bucket policy (lockout-safe Deny, BucketOwnerPolicy) and the
 * endpoint policy (EndpointPolicy.restrictToBuckets), on literal values.
 */

const ACCOUNT = '111111111111';
const OWNER_ACCOUNT = '222222222222';
const ENDPOINT = 'vpce-0123456789abcdef0';
const WORKLOAD = `arn:aws:iam::${ACCOUNT}:role/workload`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;
const OTHER_ADMIN = `arn:aws:iam::${ACCOUNT}:role/developer`;
const CFN_EXEC = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;
const BUCKET = 'data-bucket';
const OTHER_BUCKET = 'other-bucket';

const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };


interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicy?: unknown;
  readonly bucketPolicy?: unknown;
  readonly endpointPolicy?: unknown;
  readonly bucketAccount?: string;
  readonly context?: Record<string, string | string[]>;
}

/** This file's requests name one identity policy and default to the workload account's bucket. */
function decide(request: Request): Promise<Decision> {
  return simulate({
    principal: request.principal,
    action: request.action,
    resource: request.resource,
    resourceAccount: request.bucketAccount ?? ACCOUNT,
    identityPolicies: request.identityPolicy ? [request.identityPolicy] : [],
    bucketPolicy: request.bucketPolicy,
    endpointPolicy: request.endpointPolicy,
    context: request.context,
  });
}

function logicalId(bucket: s3.Bucket): string {
  return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
}

const VIA_ENDPOINT = { 'aws:SourceVpce': ENDPOINT, 'aws:SourceVpc': 'vpc-0123456789abcdef0' };

/** The same-account setup: a READ_WRITE grant on `reports/` and a bucket restricted to the endpoint. */
function sameAccount() {
  const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'Data', { bucketName: BUCKET });
  const other = new s3.Bucket(stack, 'Other', { bucketName: OTHER_BUCKET });
  const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  grantBucketAccess(role, { bucket, access: BucketAccess.READ_WRITE, prefix: 'reports/' });
  const deny = BucketEndpointRestriction.of(bucket).allowEndpoint(ENDPOINT).exempt(ADMIN).statement;
  const values = {
    [`${logicalId(bucket)}.Arn`]: `arn:aws:s3:::${BUCKET}`,
    [`${logicalId(other)}.Arn`]: `arn:aws:s3:::${OTHER_BUCKET}`,
  };
  const endpointStatements = EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS] })
    .statements(stack).map((s) => s.toStatementJson());
  return {
    identityDocument: toLiteral(stack, (role.node.findChild('DefaultPolicy') as iam.Policy).document.toJSON(), values),
    bucketPolicy: { Version: '2012-10-17', Statement: [toLiteral(stack, deny.toStatementJson(), values)] },
    endpointPolicy: { Version: '2012-10-17', Statement: toLiteral(stack, endpointStatements, values) },
    other,
  };
}

describe('policy simulation: same-account bucket restricted to the endpoint', () => {
  const s = sameAccount();
  const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
  const workload = (action: string, resource: string, context: Record<string, string | string[]> = VIA_ENDPOINT) => decide({
    principal: WORKLOAD, action, resource, identityPolicy: s.identityDocument, bucketPolicy: s.bucketPolicy, context,
  });

  test('workload reads a granted object through the endpoint', async () => {
    expect(await workload('s3:GetObject', object('reports/q1.csv'))).toBe('Allowed');
  });

  test('workload writes a granted object through the endpoint', async () => {
    expect(await workload('s3:PutObject', object('reports/q2.csv'))).toBe('Allowed');
  });

  test('workload lists the granted prefix through the endpoint', async () => {
    expect(await workload('s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { ...VIA_ENDPOINT, 's3:prefix': 'reports/' })).toBe('Allowed');
  });

  test('workload is denied outside the endpoint (no aws:SourceVpce)', async () => {
    expect(await workload('s3:GetObject', object('reports/q1.csv'), {})).toBe('ExplicitlyDenied');
  });

  test('workload is denied through another endpoint', async () => {
    expect(await workload('s3:GetObject', object('reports/q1.csv'), { 'aws:SourceVpce': 'vpce-0fedcba9876543210' })).toBe('ExplicitlyDenied');
  });

  test('workload cannot read another prefix', async () => {
    expect(await workload('s3:GetObject', object('payroll/2024.csv'))).toBe('ImplicitlyDenied');
  });

  test('workload cannot list another prefix', async () => {
    expect(await workload('s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { ...VIA_ENDPOINT, 's3:prefix': 'payroll/' })).toBe('ImplicitlyDenied');
  });

  test('workload cannot delete (READ_WRITE has no delete)', async () => {
    expect(await workload('s3:DeleteObject', object('reports/q1.csv'))).toBe('ImplicitlyDenied');
  });

  test('workload cannot read another bucket', async () => {
    expect(await workload('s3:GetObject', object('reports/q1.csv', OTHER_BUCKET))).toBe('ImplicitlyDenied');
  });

  test('exempt admin keeps access from outside the endpoint', async () => {
    expect(await decide({ principal: ADMIN, action: 's3:GetObject', resource: object('payroll/2024.csv'), identityPolicy: ADMIN_POLICY, bucketPolicy: s.bucketPolicy }))
      .toBe('Allowed');
  });

  test('the CloudFormation execution role can still update the bucket policy from outside the endpoint', async () => {
    expect(await decide({ principal: CFN_EXEC, action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${BUCKET}`, identityPolicy: ADMIN_POLICY, bucketPolicy: s.bucketPolicy }))
      .toBe('Allowed');
  });

  test('a non-exempt administrator is denied outside the endpoint', async () => {
    expect(await decide({ principal: OTHER_ADMIN, action: 's3:GetObject', resource: object('reports/q1.csv'), identityPolicy: ADMIN_POLICY, bucketPolicy: s.bucketPolicy }))
      .toBe('ExplicitlyDenied');
  });

  test('an AWS service principal is not locked out', async () => {
    // GIVEN a bucket policy that also lets CloudTrail write logs
    const policy = {
      ...s.bucketPolicy,
      Statement: [
        ...s.bucketPolicy.Statement,
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: object('AWSLogs/*') },
      ],
    };
    // THEN
    expect(await decide({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: object('AWSLogs/111111111111/trail.json.gz'),
      bucketPolicy: policy,
      context: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com' },
    })).toBe('Allowed');
  });

  test('a request an AWS service makes on the workload\'s behalf is not denied', async () => {
    expect(await workload('s3:GetObject', object('reports/q1.csv'), { 'aws:ViaAWSService': 'true', 'aws:CalledVia': 'athena.amazonaws.com' })).toBe('Allowed');
  });
});

describe('policy simulation: restricted endpoint policy', () => {
  const s = sameAccount();
  const through = (principal: string, action: string, resource: string, identityPolicy: unknown) => decide({
    principal, action, resource, identityPolicy, endpointPolicy: s.endpointPolicy, context: VIA_ENDPOINT,
  });

  test('lets the granted action on the named bucket through', async () => {
    expect(await through(WORKLOAD, 's3:GetObject', `arn:aws:s3:::${BUCKET}/reports/q1.csv`, s.identityDocument)).toBe('Allowed');
  });

  test('blocks a bucket it does not name, even for an administrator', async () => {
    expect(await through(ADMIN, 's3:GetObject', `arn:aws:s3:::${OTHER_BUCKET}/x`, ADMIN_POLICY)).toBe('ImplicitlyDenied');
  });

  test('lets ECR layer downloads through when ECR_LAYERS is allowed', async () => {
    expect(await decide({
      principal: 'arn:aws:iam::999999999999:role/ecr-layer-signer',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/layer.tar',
      bucketAccount: '999999999999',
      identityPolicy: ADMIN_POLICY,
      endpointPolicy: s.endpointPolicy,
      bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/ecr-layer-signer' }, Action: 's3:GetObject', Resource: '*' }] },
      context: VIA_ENDPOINT,
    })).toBe('Allowed');
  });

  test('blocks AWS-owned buckets that were not allowed (Amazon Linux repositories here)', async () => {
    expect(await decide({
      principal: WORKLOAD,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/core/mirrors/latest/x86_64/mirror.list',
      bucketAccount: '999999999999',
      identityPolicy: ADMIN_POLICY,
      endpointPolicy: s.endpointPolicy,
      bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] },
      context: VIA_ENDPOINT,
    })).toBe('ImplicitlyDenied');
  });
});

describe('policy simulation: cross-account bucket with BucketOwnerPolicy', () => {
  const ownerDoc = BucketOwnerPolicy.document({
    bucketName: 'partner-data',
    endpointIds: [ENDPOINT],
    workloadRoleArns: [WORKLOAD],
    prefix: 'shared/',
    adminPrincipalArns: [`arn:aws:iam::${OWNER_ACCOUNT}:role/admin`],
  }).toJSON();
  const stack = new Stack(new App(), 'Workload', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const foreign = s3.Bucket.fromBucketAttributes(stack, 'Partner', { bucketName: 'partner-data', account: OWNER_ACCOUNT });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  grantBucketAccess(role, { bucket: foreign, access: BucketAccess.READ, prefix: 'shared/' });
  const identityDocument = toLiteral(stack, (role.node.findChild('DefaultPolicy') as iam.Policy).document.toJSON(), {});
  const cross = (principal: string, resource: string, context: Record<string, string>, identityPolicy: unknown = identityDocument) => decide({
    principal, action: 's3:GetObject', resource, identityPolicy, bucketPolicy: ownerDoc, bucketAccount: OWNER_ACCOUNT, context,
  });

  test('the workload reads the shared prefix through its endpoint', async () => {
    expect(await cross(WORKLOAD, 'arn:aws:s3:::partner-data/shared/feed.json', VIA_ENDPOINT)).toBe('Allowed');
  });

  test('the workload is denied from outside its endpoint', async () => {
    expect(await cross(WORKLOAD, 'arn:aws:s3:::partner-data/shared/feed.json', {})).toBe('ExplicitlyDenied');
  });

  test('the workload cannot read outside the shared prefix', async () => {
    expect(await cross(WORKLOAD, 'arn:aws:s3:::partner-data/private/keys.json', VIA_ENDPOINT)).toBe('ImplicitlyDenied');
  });

  test('another role of the workload account is not allowed by the owner', async () => {
    expect(await cross(OTHER_ADMIN, 'arn:aws:s3:::partner-data/shared/feed.json', VIA_ENDPOINT, ADMIN_POLICY)).toBe('ImplicitlyDenied');
  });

  test('the owner admin keeps access from anywhere', async () => {
    expect(await cross(`arn:aws:iam::${OWNER_ACCOUNT}:role/admin`, 'arn:aws:s3:::partner-data/private/keys.json', {}, ADMIN_POLICY)).toBe('Allowed');
  });
});
