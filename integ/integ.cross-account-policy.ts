/**
 * Scenario (synth and snapshot only): a bucket owned by one account, read by workloads of another account through
 * the workload account's S3 gateway endpoint.
 *
 * - Owner stack (account 222222222222): the bucket, with `BucketOwnerPolicy.applyTo`: an Allow for the workload role
 *   (read, prefix `shared/`) and a lockout-safe Deny for requests that do not come through the workload endpoint.
 * - Workload stack (account 111111111111): `S3PrivateAccess` with an endpoint policy restricted to the shared bucket,
 *   and an EC2 instance role with the matching identity grant (`S3PrivateAccess.instanceRole`).
 *
 * The snapshot pins what both sides render; nothing is deployed. The IntegTest disables deploy and destroy
 * (`cdkCommandOptions`), so `integ-runner --force` (the deploy task) skips it: integ-runner runs every stack of a
 * test with one profile, and this test needs two.
 *
 * Deploying it by hand, with one profile per account (the workload first: its endpoint id goes into the owner's
 * policy):
 *
 *   npx cdk deploy --app 'npx ts-node integ/integ.cross-account-policy.ts' S3paCrossAccountWorkload \
 *     --profile workload -c workloadAccount=<A> -c ownerAccount=<B> -c region=eu-west-1
 *   npx cdk deploy --app 'npx ts-node integ/integ.cross-account-policy.ts' S3paCrossAccountOwner \
 *     --profile owner -c workloadAccount=<A> -c ownerAccount=<B> -c region=eu-west-1 \
 *     -c workloadEndpointId=<vpce-… from the workload stack's output>
 *
 * (each profile's account must be bootstrapped; destroy in the reverse order). The accounts, the region and the
 * endpoint id come from context so that the committed snapshot stays the same on every machine.
 *
 * Environment: both stacks name their account and region (a cross-account reference needs literal ARNs). A VPC in
 * an env-bound stack looks up the region's availability zones even when it names them: the answer is given as app
 * context below. The construct never asks for the prefix-list id here (no security groups, no `allowFrom`), so no
 * prefix-list lookup happens.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess, BucketOwnerPolicy, EndpointPolicy, S3PrivateAccess } from '../lib';

// integ-runner passes no cdk.context.json (neither integ/cdk.context.json nor the IntegTest adds context; only
// `enableLookups` adds its fixed answers for account 12345678 in test-region), so the answers to this test's one lookup
// live here, keyed by the accounts and region it uses: the VPC's availability zones. `-c` values override.
const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
const region = context('region', 'eu-west-1');
const workloadAccount = context('workloadAccount', '111111111111');
const ownerAccount = context('ownerAccount', '222222222222');
const workloadEndpointId = context('workloadEndpointId', 'vpce-0123456789abcdef0');
const availabilityZones = [`${region}a`, `${region}b`];
// before any construct is added (setContext refuses afterwards)
app.node.setContext(`availability-zones:account=${workloadAccount}:region=${region}`, availabilityZones);

const bucketName = `s3pa-integ-shared-${ownerAccount}-${region}`;
const readerRoleName = 's3pa-integ-shared-reader';
const readerRoleArn = `arn:aws:iam::${workloadAccount}:role/${readerRoleName}`;
const prefix = 'shared/';

// the owner's side
const owner = new Stack(app, 'S3paCrossAccountOwner', { env: { account: ownerAccount, region } });
const shared = new s3.Bucket(owner, 'Shared', {
  bucketName,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
});
BucketOwnerPolicy.applyTo(shared, {
  endpointIds: [workloadEndpointId],
  workloadRoleArns: [readerRoleArn],
  access: BucketAccess.READ,
  prefix,
  adminPrincipalArns: [`arn:aws:iam::${ownerAccount}:role/s3pa-integ-owner-admin`],
});

// the workload's side
const workload = new Stack(app, 'S3paCrossAccountWorkload', { env: { account: workloadAccount, region } });
const vpc = new ec2.Vpc(workload, 'Vpc', {
  availabilityZones,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const sharedFromWorkload = s3.Bucket.fromBucketAttributes(workload, 'SharedBucket', {
  bucketName,
  account: ownerAccount,
  region,
});
const access = new S3PrivateAccess(workload, 'S3Access', {
  vpc,
  endpointPolicy: EndpointPolicy.restrictToBuckets([sharedFromWorkload], { actions: ['s3:GetObject', 's3:ListBucket'] }),
});
S3PrivateAccess.instanceRole(workload, 'Reader', {
  roleName: readerRoleName,
  grants: [{ bucket: sharedFromWorkload, access: BucketAccess.READ, prefix }],
});
new CfnOutput(workload, 'EndpointId', { value: access.endpointId, description: 'pass as -c workloadEndpointId to the owner stack' });

new IntegTest(app, 'CrossAccountPolicy', {
  testCases: [owner, workload],
  // integ-runner deploys a test with one profile; this one needs two (see above)
  cdkCommandOptions: { deploy: { enabled: false }, destroy: { enabled: false } },
  stackUpdateWorkflow: false,
});
