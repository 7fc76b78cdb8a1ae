import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ADMIN_POLICY, Decision, decide, SimulatedRequest } from '../helpers/simulate';
import { LiteralTemplate } from './helpers/template-literals';
import { AwsOwnedBuckets, BucketAccess, BucketOwnerPolicy, BucketRestriction, EndpointPolicy, S3PrivateAccess } from '../../lib';

/*
 * The IAM matrix: requests evaluated by @cloud-copilot/iam-simulate against the policies S3PrivateAccess,
 * its grants, its role factories and BucketOwnerPolicy write into synthesized templates (intrinsics replaced by the
 * literals they get on deployment). Each row: the scenario, the request, the decision IAM must reach.
 */

const ACCOUNT = '111111111111';
const OWNER = '222222222222';
const STRANGER = '333333333333';
const AWS_OWNED = '999999999999';
const REGION = 'eu-west-1';
const ENDPOINT = 'vpce-0123456789abcdef0';
const OTHER_ENDPOINT = 'vpce-0fedcba9876543210';
const VPC = 'vpc-0123456789abcdef0';
const OTHER_VPC = 'vpc-0fedcba9876543210';
const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const cfnExecRole = (account: string) => role(`cdk-hnb659fds-cfn-exec-role-${account}-${REGION}`, account);
const obj = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const bkt = (bucket: string) => `arn:aws:s3:::${bucket}`;

type Via = 'endpoint' | 'outside' | 'other-endpoint' | 'other-vpc' | 'via-athena';
const CONTEXT: Record<Via, Record<string, string>> = {
  'endpoint': { 'aws:SourceVpce': ENDPOINT, 'aws:SourceVpc': VPC },
  'outside': {},
  'other-endpoint': { 'aws:SourceVpce': OTHER_ENDPOINT, 'aws:SourceVpc': VPC },
  'other-vpc': { 'aws:SourceVpce': OTHER_ENDPOINT, 'aws:SourceVpc': OTHER_VPC },
  'via-athena': { 'aws:ViaAWSService': 'true', 'aws:CalledVia': 'athena.amazonaws.com' },
};

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function workloadRole(stack: Stack, name: string): iam.Role {
  return new iam.Role(stack, name, { roleName: name, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

/** Restricted to the endpoint, restricted endpoint policy with ECR layers, every grant kind, exemptions, auto-delete. */
function endpointRestrictedApp(): LiteralTemplate {
  const stack = new Stack(new App(), 'Endpoint', { env: { account: ACCOUNT, region: REGION } });
  const vpc = isolatedVpc(stack);
  const data = new s3.Bucket(stack, 'Data', { bucketName: 'data-bucket', autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
  new s3.Bucket(stack, 'Other', { bucketName: 'other-bucket' });
  // the user's own statement for a service that writes from outside the VPC
  data.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')], actions: ['s3:PutObject'], resources: [data.arnForObjects('AWSLogs/*')],
  }));
  const access = new S3PrivateAccess(stack, 'S3', {
    vpc,
    buckets: [data],
    endpointPolicy: EndpointPolicy.restrictToBuckets([data], { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS] }),
    exemptPrincipalArns: [role('admin-*')],
    exemptPrincipals: [iam.Role.fromRoleArn(stack, 'BreakGlass', role('break-glass'))],
  });
  access.grantRead(workloadRole(stack, 'reader'), data, { prefix: 'reports/' });
  access.grantWrite(workloadRole(stack, 'writer'), data);
  access.grantReadWrite(workloadRole(stack, 'editor'), data, { prefix: 'in/' });
  access.grantDelete(workloadRole(stack, 'cleaner'), data, { prefix: 'tmp/' });
  S3PrivateAccess.instanceRole(stack, 'Instance', { roleName: 'instance-role', grants: [{ bucket: data, access: BucketAccess.READ }] });
  S3PrivateAccess.taskRole(stack, 'Task', { roleName: 'task-role', grants: [{ bucket: data, access: BucketAccess.READ_WRITE, prefix: 'jobs/' }] });
  return new LiteralTemplate(stack, { endpointId: ENDPOINT, vpcId: VPC });
}

/** Restricted to the VPC, AWS's full-access endpoint policy. */
function vpcRestrictedApp(): LiteralTemplate {
  const stack = new Stack(new App(), 'Vpc', { env: { account: ACCOUNT, region: REGION } });
  const vpc = isolatedVpc(stack);
  const data = new s3.Bucket(stack, 'Data', { bucketName: 'data-bucket' });
  new s3.Bucket(stack, 'Other', { bucketName: 'other-bucket' });
  const access = new S3PrivateAccess(stack, 'S3', { vpc, buckets: [data], bucketRestriction: BucketRestriction.toVpc() });
  access.grantRead(workloadRole(stack, 'reader'), data, { prefix: 'reports/' });
  return new LiteralTemplate(stack, { endpointId: ENDPOINT, vpcId: VPC });
}

/** No bucket restriction, restricted endpoint policy without AWS-owned allowances. */
function unrestrictedApp(): LiteralTemplate {
  const stack = new Stack(new App(), 'None', { env: { account: ACCOUNT, region: REGION } });
  const vpc = isolatedVpc(stack);
  const data = new s3.Bucket(stack, 'Data', { bucketName: 'data-bucket' });
  const access = new S3PrivateAccess(stack, 'S3', {
    vpc, buckets: [data], bucketRestriction: BucketRestriction.none(), endpointPolicy: EndpointPolicy.restrictToBuckets([data]),
  });
  access.grantRead(workloadRole(stack, 'reader'), data, { prefix: 'reports/' });
  return new LiteralTemplate(stack, { endpointId: ENDPOINT, vpcId: VPC });
}

/** The owner's stack (BucketOwnerPolicy) and the workload's stack (grant on the imported bucket, restricted endpoint). */
function crossAccountApps(): { owner: LiteralTemplate; workload: LiteralTemplate } {
  const app = new App();
  const ownerStack = new Stack(app, 'Owner', { env: { account: OWNER, region: REGION } });
  const shared = new s3.Bucket(ownerStack, 'Shared', { bucketName: 'partner-data' });
  BucketOwnerPolicy.applyTo(shared, {
    endpointIds: [ENDPOINT],
    workloadRoleArns: [role('partner-reader')],
    access: BucketAccess.READ_WRITE,
    prefix: 'shared/',
    adminPrincipalArns: [role('storage-admin', OWNER)],
  });
  const stack = new Stack(app, 'Workload', { env: { account: ACCOUNT, region: REGION } });
  const vpc = isolatedVpc(stack);
  const partner = s3.Bucket.fromBucketAttributes(stack, 'Partner', { bucketName: 'partner-data', account: OWNER });
  const access = new S3PrivateAccess(stack, 'S3', { vpc, endpointPolicy: EndpointPolicy.restrictToBuckets([partner]) });
  access.grantRead(workloadRole(stack, 'partner-reader'), partner, { prefix: 'shared/' });
  return {
    owner: new LiteralTemplate(ownerStack, { endpointId: 'vpce-00000000', vpcId: 'vpc-00000000' }),
    workload: new LiteralTemplate(stack, { endpointId: ENDPOINT, vpcId: VPC }),
  };
}

interface Row {
  readonly scenario: string;
  readonly request: string;
  readonly expected: Decision;
  readonly simulate: () => SimulatedRequest;
}

/** A row builder over one app: `who` names a role of the app (its own policies) or an outside principal. */
function rowsOf(scenario: string, t: LiteralTemplate, bucketOwner = ACCOUNT, ownerTemplate = t) {
  const row = (
    who: string, action: string, resource: string, via: Via, expected: Decision, extra: Record<string, string> = {},
  ): Row => ({
    scenario,
    request: `${who.replace(/^arn:aws:iam::/, '')} ${action} ${resource.replace('arn:aws:s3:::', '')} ${via}${extra['s3:prefix'] !== undefined ? ` prefix=${extra['s3:prefix']}` : ''}`,
    expected,
    simulate: () => {
      const isArn = who.startsWith('arn:') || who.endsWith('.amazonaws.com');
      const bucketName = resource.replace('arn:aws:s3:::', '').split('/')[0];
      const owned = bucketName.startsWith('prod-') || bucketName.startsWith('al2023-');
      return {
        principal: isArn ? who : role(who),
        action,
        resource,
        resourceAccount: owned ? AWS_OWNED : bucketOwner,
        identityPolicies: who.endsWith('.amazonaws.com') ? [] : isArn ? [ADMIN_POLICY] : t.identityPolicies(who),
        bucketPolicy: owned
          ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bkt(bucketName)}/*` }] }
          : ownerTemplate.bucketPolicy(bucketName),
        endpointPolicy: via === 'endpoint' || via === 'other-endpoint' ? t.endpointPolicy() : undefined,
        context: { ...CONTEXT[via], ...extra },
      };
    },
  });
  return row;
}

const e = endpointRestrictedApp();
const a = rowsOf('toEndpoint + restrictToBuckets(ECR_LAYERS)', e);
const autoDeleteRole = role(e.logicalIdOf('AWS::IAM::Role', (_p, id) => id.startsWith('CustomS3AutoDeleteObjectsCustomResourceProviderRole')));
const v = rowsOf('toVpc + fullAccess', vpcRestrictedApp());
const n = rowsOf('none + restrictToBuckets', unrestrictedApp());
const cross = crossAccountApps();
const c = rowsOf('BucketOwnerPolicy cross-account', cross.workload, OWNER, cross.owner);
// a stand-in for the role ECR signs layer downloads with: the layer bucket belongs to AWS, not to the workload
const ECR_SIGNER = role('ecr-layer-signer', AWS_OWNED);
const DATA = 'data-bucket';

const ROWS: Row[] = [
  // grantRead with a prefix
  a('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'endpoint', 'Allowed'),
  a('reader', 's3:ListBucket', bkt(DATA), 'endpoint', 'Allowed', { 's3:prefix': 'reports/' }),
  a('reader', 's3:GetBucketLocation', bkt(DATA), 'endpoint', 'Allowed'),
  a('reader', 's3:GetObject', obj(DATA, 'payroll/2024.csv'), 'endpoint', 'ImplicitlyDenied'),
  a('reader', 's3:ListBucket', bkt(DATA), 'endpoint', 'ImplicitlyDenied', { 's3:prefix': 'payroll/' }),
  a('reader', 's3:PutObject', obj(DATA, 'reports/q1.csv'), 'endpoint', 'ImplicitlyDenied'),
  a('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'outside', 'ExplicitlyDenied'),
  a('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'other-endpoint', 'ExplicitlyDenied'),
  a('reader', 's3:GetObject', obj('other-bucket', 'reports/q1.csv'), 'endpoint', 'ImplicitlyDenied'),
  a('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'via-athena', 'Allowed'),
  // grantWrite without a prefix
  a('writer', 's3:PutObject', obj(DATA, 'any/key.bin'), 'endpoint', 'Allowed'),
  a('writer', 's3:AbortMultipartUpload', obj(DATA, 'any/key.bin'), 'endpoint', 'Allowed'),
  a('writer', 's3:GetObject', obj(DATA, 'any/key.bin'), 'endpoint', 'ImplicitlyDenied'),
  a('writer', 's3:PutObject', obj(DATA, 'any/key.bin'), 'outside', 'ExplicitlyDenied'),
  // grantReadWrite with a prefix
  a('editor', 's3:GetObject', obj(DATA, 'in/a.json'), 'endpoint', 'Allowed'),
  a('editor', 's3:PutObject', obj(DATA, 'in/a.json'), 'endpoint', 'Allowed'),
  a('editor', 's3:ListBucket', bkt(DATA), 'endpoint', 'Allowed', { 's3:prefix': 'in/' }),
  a('editor', 's3:PutObject', obj(DATA, 'out/a.json'), 'endpoint', 'ImplicitlyDenied'),
  a('editor', 's3:DeleteObject', obj(DATA, 'in/a.json'), 'endpoint', 'ImplicitlyDenied'),
  // grantDelete with a prefix
  a('cleaner', 's3:DeleteObject', obj(DATA, 'tmp/x'), 'endpoint', 'Allowed'),
  a('cleaner', 's3:DeleteObject', obj(DATA, 'keep/x'), 'endpoint', 'ImplicitlyDenied'),
  a('cleaner', 's3:DeleteObject', obj(DATA, 'tmp/x'), 'outside', 'ExplicitlyDenied'),
  // role factories
  a('instance-role', 's3:GetObject', obj(DATA, 'any/x'), 'endpoint', 'Allowed'),
  a('instance-role', 's3:PutObject', obj(DATA, 'any/x'), 'endpoint', 'ImplicitlyDenied'),
  a('instance-role', 's3:GetObject', obj(DATA, 'any/x'), 'outside', 'ExplicitlyDenied'),
  a('task-role', 's3:PutObject', obj(DATA, 'jobs/1.json'), 'endpoint', 'Allowed'),
  a('task-role', 's3:GetObject', obj(DATA, 'other/1.json'), 'endpoint', 'ImplicitlyDenied'),
  a('task-role', 's3:PutObject', obj(DATA, 'jobs/1.json'), 'outside', 'ExplicitlyDenied'),
  // exempt principals, the deployment, the auto-delete provider, AWS services
  a(role('admin-alice'), 's3:GetObject', obj(DATA, 'payroll/2024.csv'), 'outside', 'Allowed'),
  a(role('admin-alice'), 's3:PutBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  a(role('break-glass'), 's3:DeleteBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  a(role('developer'), 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'outside', 'ExplicitlyDenied'),
  a(role('developer'), 's3:PutBucketPolicy', bkt(DATA), 'outside', 'ExplicitlyDenied'),
  a(cfnExecRole(ACCOUNT), 's3:PutBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  a(cfnExecRole(ACCOUNT), 's3:GetBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  a(cfnExecRole(ACCOUNT), 's3:DeleteBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  a(autoDeleteRole, 's3:DeleteObject', obj(DATA, 'any/x'), 'outside', 'Allowed'),
  a('cloudtrail.amazonaws.com', 's3:PutObject', obj(DATA, `AWSLogs/${ACCOUNT}/trail.json.gz`), 'outside', 'Allowed'),
  // what the restricted endpoint policy lets through
  a(role('admin-alice'), 's3:GetObject', obj('other-bucket', 'x'), 'endpoint', 'ImplicitlyDenied'),
  a(role('admin-alice'), 's3:PutBucketPolicy', bkt(DATA), 'endpoint', 'ImplicitlyDenied'),
  a(ECR_SIGNER, 's3:GetObject', obj(`prod-${REGION}-starport-layer-bucket`, 'layer.tar'), 'endpoint', 'Allowed'),
  a(ECR_SIGNER, 's3:GetObject', obj(`al2023-repos-${REGION}-de612dc2`, 'core/mirror.list'), 'endpoint', 'ImplicitlyDenied'),
  // another account's principal, no cross-account grant
  a(role('intruder', STRANGER), 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'endpoint', 'ImplicitlyDenied'),
  a(role('intruder', STRANGER), 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'outside', 'ExplicitlyDenied'),

  v('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'endpoint', 'Allowed'),
  v('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'other-endpoint', 'Allowed'),
  v('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'other-vpc', 'ExplicitlyDenied'),
  v('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'outside', 'ExplicitlyDenied'),
  v('reader', 's3:ListBucket', bkt(DATA), 'endpoint', 'ImplicitlyDenied', { 's3:prefix': 'payroll/' }),
  v(role('developer'), 's3:GetObject', obj('other-bucket', 'x'), 'endpoint', 'Allowed'),
  v(cfnExecRole(ACCOUNT), 's3:PutBucketPolicy', bkt(DATA), 'outside', 'Allowed'),
  v('cloudtrail.amazonaws.com', 's3:GetBucketAcl', bkt(DATA), 'outside', 'ImplicitlyDenied'),

  n('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'outside', 'Allowed'),
  n('reader', 's3:GetObject', obj(DATA, 'payroll/2024.csv'), 'outside', 'ImplicitlyDenied'),
  n('reader', 's3:GetObject', obj(DATA, 'reports/q1.csv'), 'endpoint', 'Allowed'),
  n(ECR_SIGNER, 's3:GetObject', obj(`prod-${REGION}-starport-layer-bucket`, 'layer.tar'), 'endpoint', 'ImplicitlyDenied'),

  c('partner-reader', 's3:GetObject', obj('partner-data', 'shared/feed.json'), 'endpoint', 'Allowed'),
  c('partner-reader', 's3:ListBucket', bkt('partner-data'), 'endpoint', 'Allowed', { 's3:prefix': 'shared/' }),
  c('partner-reader', 's3:PutObject', obj('partner-data', 'shared/feed.json'), 'endpoint', 'ImplicitlyDenied'),
  c('partner-reader', 's3:GetObject', obj('partner-data', 'shared/feed.json'), 'outside', 'ExplicitlyDenied'),
  c('partner-reader', 's3:GetObject', obj('partner-data', 'private/keys.json'), 'endpoint', 'ImplicitlyDenied'),
  c(role('developer'), 's3:GetObject', obj('partner-data', 'shared/feed.json'), 'endpoint', 'ImplicitlyDenied'),
  c(role('intruder', STRANGER), 's3:GetObject', obj('partner-data', 'shared/feed.json'), 'outside', 'ExplicitlyDenied'),
  c(role('storage-admin', OWNER), 's3:GetObject', obj('partner-data', 'private/keys.json'), 'outside', 'Allowed'),
  c(cfnExecRole(OWNER), 's3:PutBucketPolicy', bkt('partner-data'), 'outside', 'Allowed'),
  c(role('analyst', OWNER), 's3:GetObject', obj('partner-data', 'shared/feed.json'), 'outside', 'ExplicitlyDenied'),
];

describe('IAM matrix: the policies the construct writes, evaluated by iam-simulate', () => {
  test('the matrix has at least 50 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
  });

  test.each(ROWS)('$scenario | $request → $expected', async ({ simulate, expected }) => {
    expect(await decide(simulate())).toBe(expected);
  });
});
