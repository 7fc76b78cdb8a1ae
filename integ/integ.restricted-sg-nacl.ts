/**
 * Scenario: the workload's security group allows no outbound traffic (`allowAllOutbound: false`) and its subnets have
 * a custom network ACL (which denies everything by default). Only the egress rule and the ACL entries that
 * `S3PrivateAccess` adds open the path to S3.
 *
 * Proves on the deployed stack:
 * - a function with that security group in those subnets writes, reads and lists an object (`invokeFunction`);
 * - negative controls, same VPC, same bucket, same code: a function whose security group was not given to the
 *   construct, and a function in subnets whose ACL was not given to it, both time out reaching S3;
 * - the security group's only rule is TCP 443 egress to the S3 prefix list (`EC2.describeSecurityGroupRules`);
 * - the ACL has the outbound TCP 443 and inbound TCP 1024-65535 entries for the S3 CIDRs, at the rule numbers the
 *   construct reports (`EC2.describeNetworkAcls`, checked for the first and last CIDR).
 *
 * Workflow choices: the stack is pinned to eu-west-1 (`env.region`, and `regions` records it): network-ACL entries
 * need a concrete region to pick the S3 CIDRs from the bundled ranges. The account stays a token, so the prefix list
 * is still read at deploy time by the construct's custom resource and no context lookup is needed.
 * `stackUpdateWorkflow: true` (the default): an update that renumbers ACL entries replaces them, which the update run
 * catches.
 */
import { IntegTest, ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess, S3PrivateAccessChecks } from '../lib';
import { expectRoundtrip, expectS3Unreachable } from './support/assertions';
import { autoDeleteObjectsRoleArn } from './support/auto-delete-role';
import { S3ProbeFunction } from './support/probe-function';

const REGION = 'eu-west-1';

const app = new App();
const stack = new Stack(app, 'S3paRestrictedSgNacl', { env: { region: REGION } });

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [
    { name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    // routed to the endpoint like the workload subnets, but its ACL is not given to the construct
    { name: 'control', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ],
});
const workloadSubnets: ec2.SubnetSelection = { subnetGroupName: 'workload' };
const controlSubnets: ec2.SubnetSelection = { subnetGroupName: 'control' };
const workloadAcl = new ec2.NetworkAcl(stack, 'WorkloadAcl', { vpc, subnetSelection: workloadSubnets });
new ec2.NetworkAcl(stack, 'ControlAcl', { vpc, subnetSelection: controlSubnets });

const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});

const workloadSg = new ec2.SecurityGroup(stack, 'WorkloadSg', {
  vpc,
  allowAllOutbound: false,
  description: 'probe: no egress but what S3PrivateAccess adds',
});
const controlSg = new ec2.SecurityGroup(stack, 'ControlSg', {
  vpc,
  allowAllOutbound: false,
  description: 'negative control: not given to S3PrivateAccess',
});

const access = new S3PrivateAccess(stack, 'S3Access', {
  vpc,
  buckets: [bucket],
  securityGroups: [workloadSg],
  networkAcls: [workloadAcl],
  exemptPrincipalArns: [autoDeleteObjectsRoleArn(bucket)],
});

const probe = new S3ProbeFunction(stack, 'Probe', { bucket, vpc, vpcSubnets: workloadSubnets, securityGroups: [workloadSg] });
const noEgress = new S3ProbeFunction(stack, 'NoEgressProbe', { bucket, vpc, vpcSubnets: workloadSubnets, securityGroups: [controlSg] });
const noAclEntries = new S3ProbeFunction(stack, 'NoAclEntriesProbe', { bucket, vpc, vpcSubnets: controlSubnets, securityGroups: [workloadSg] });
for (const fn of [probe, noEgress, noAclEntries]) {
  access.grantReadWrite(fn.function, bucket, { prefix: 'restricted/' });
}
// the synth-time checks report exactly what the two negative controls demonstrate once deployed (no egress to S3 in
// ControlSg, no S3 entries in ControlAcl): the deployment proves those rules' premises. The rules are disabled so the
// controls can be deployed; every other rule still runs over the stack.
Aspects.of(stack).add(new S3PrivateAccessChecks({ disabledRules: ['S3PA-SgEgress', 'S3PA-NaclOutbound', 'S3PA-NaclEphemeral'] }));

const integ = new IntegTest(app, 'RestrictedSgNacl', {
  testCases: [stack],
  // assertions reference the test stack's resources: the assertion stack must be in the same environment
  assertionStack: new Stack(app, 'S3paRestrictedSgNaclAssertions', { env: { region: REGION } }),
  regions: [REGION],
  stackUpdateWorkflow: true,
});

const key = 'restricted/integ.txt';
expectRoundtrip(integ.assertions, probe.function, key, 'through a closed security group and network ACL')
  .next(expectS3Unreachable(integ.assertions, noEgress.function, key))
  .next(expectS3Unreachable(integ.assertions, noAclEntries.function, key));

integ.assertions
  .awsApiCall('EC2', 'describeSecurityGroupRules', { Filters: [{ Name: 'group-id', Values: [workloadSg.securityGroupId] }] })
  .expect(ExpectedResult.objectLike({
    SecurityGroupRules: [Match.objectLike({
      IsEgress: true,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      PrefixListId: access.prefixListId,
    })],
  }));

const entries = access.networkAclEntries!;
for (const i of [0, entries.cidrs.length - 1]) {
  for (const egress of [true, false]) {
    integ.assertions
      .awsApiCall('EC2', 'describeNetworkAcls', { NetworkAclIds: [workloadAcl.networkAclId] })
      .expect(ExpectedResult.objectLike({
        NetworkAcls: [Match.objectLike({
          Entries: Match.arrayWith([Match.objectLike({
            CidrBlock: entries.cidrs[i],
            Egress: egress,
            Protocol: '6',
            PortRange: egress ? { From: 443, To: 443 } : { From: 1024, To: 65535 },
            RuleAction: 'allow',
            RuleNumber: entries.ruleNumbers[i],
          })]),
        })],
      }));
  }
}
