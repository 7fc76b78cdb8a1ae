/**
 * Scenario: an environment-agnostic stack (no `env`) whose workload subnets have a custom network ACL. The region, and
 * so the S3 CIDRs, are known at deploy time only: `S3PrivateAccess` writes no CloudFormation ACL entries but a
 * function run by a custom resource (`Custom::S3NaclCidrs`) that reads the published ranges and writes them, within the
 * quota, in its block of rule numbers; on stack deletion it removes them.
 *
 * Proves on the deployed stack:
 * - a function in the ACL's subnets, whose security group has no egress but what the construct adds, writes, reads
 *   and lists an object (`invokeFunction`): the entries the deploy-time function wrote open the path;
 * - the ACL has outbound TCP 443 and inbound TCP 1024-65535 allow entries at the first rule number of the block the
 *   construct reports (`EC2.describeNetworkAcls`).
 *
 * Workflow choices: no `env` at all, so the stack deploys to whatever region integ-runner uses (`regions` is not
 * pinned); the prefix list id is read at deploy time too. `stackUpdateWorkflow: true` (the default): the update run
 * sends the custom resource an Update, which must reconcile without duplicating entries.
 */
import { IntegTest, ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess } from '../lib';
import { expectRoundtrip } from './support/assertions';
import { autoDeleteObjectsRoleArn } from './support/auto-delete-role';
import { S3ProbeFunction } from './support/probe-function';

const app = new App();
const stack = new Stack(app, 'S3paAgnosticNacl');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const acl = new ec2.NetworkAcl(stack, 'WorkloadAcl', { vpc, subnetSelection: { subnetGroupName: 'workload' } });

const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const sg = new ec2.SecurityGroup(stack, 'WorkloadSg', {
  vpc,
  allowAllOutbound: false,
  description: 'probe: no egress but what S3PrivateAccess adds',
});

const access = new S3PrivateAccess(stack, 'S3Access', {
  vpc,
  buckets: [bucket],
  securityGroups: [sg],
  networkAcls: [acl],
  exemptPrincipalArns: [autoDeleteObjectsRoleArn(bucket)],
});

const probe = new S3ProbeFunction(stack, 'Probe', { bucket, vpc, securityGroups: [sg] });
access.grantReadWrite(probe.function, bucket, { prefix: 'agnostic/' });

const integ = new IntegTest(app, 'AgnosticNacl', {
  testCases: [stack],
  stackUpdateWorkflow: true,
});

// the probe runs once the custom resource has written the entries: it is part of the same deployment
expectRoundtrip(integ.assertions, probe.function, 'agnostic/integ.txt', 'through network-ACL entries written at deploy time');

const first = access.networkAclEntries!.ruleNumbers[0];
for (const egress of [true, false]) {
  integ.assertions
    .awsApiCall('EC2', 'describeNetworkAcls', { NetworkAclIds: [acl.networkAclId] })
    .expect(ExpectedResult.objectLike({
      NetworkAcls: [Match.objectLike({
        Entries: Match.arrayWith([Match.objectLike({
          Egress: egress,
          Protocol: '6',
          PortRange: egress ? { From: 443, To: 443 } : { From: 1024, To: 65535 },
          RuleAction: 'allow',
          RuleNumber: first,
        })]),
      })],
    }));
}
