import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsOwnedBuckets, BucketRestriction, EndpointPolicy, EndpointSource, S3PrivateAccess, S3PrivateAccessProps,
} from '../../lib';
import { ALL_RULES } from '../../lib/rules/all';
import { runRules } from '../../lib/rules/run';
import { modelOf } from '../helpers/checks';
import { envBoundStack } from '../helpers/s3pa-fixtures';

/*
 * A workload behind every option of S3PrivateAccess: a Lambda function in the subnets the construct routes, with
 * a security group without egress and a custom network ACL on its subnets, that reads and writes a bucket through
 * the construct's grants. Whatever the option, the construct's own checks must find no error: what it writes at
 * deploy time (NACL entries of keepNaclCidrsCurrent and of environment-agnostic stacks, adopted route tables) counts.
 * Each option has a faulty twin where a user entry denies S3 before the construct's entries, which must still fail.
 */

interface World {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly bucket: s3.Bucket;
  readonly acl: ec2.NetworkAcl;
  readonly sg: ec2.SecurityGroup;
}

type Option = (w: World) => Partial<S3PrivateAccessProps>;

const OPTIONS: Record<string, Option> = {
  'defaults': () => ({}),
  'networkAcls (bundled CIDRs)': ({ acl }) => ({ networkAcls: [acl] }),
  'networkAcls with keepNaclCidrsCurrent': ({ acl }) => ({ networkAcls: [acl], keepNaclCidrsCurrent: true }),
  'networkAcls with a raised quota and rule-number base': ({ acl }) => ({ networkAcls: [acl], naclEntryQuota: 40, naclRuleNumberBase: 2000 }),
  'securityGroups': ({ sg }) => ({ securityGroups: [sg] }),
  'subnets': () => ({ subnets: [{ subnetGroupName: 'app' }] }),
  'an adopted endpoint': ({ stack }) => ({
    endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0')),
  }),
  'the VPC\'s own endpoint, reused': ({ vpc }) => {
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    return {};
  },
  'a restricted endpoint policy with AWS-owned buckets': ({ bucket }) => ({
    endpointPolicy: EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS, AwsOwnedBuckets.SSM] }),
  }),
  'BucketRestriction.toVpc()': () => ({ bucketRestriction: BucketRestriction.toVpc() }),
  'BucketRestriction.none()': () => ({ bucketRestriction: BucketRestriction.none() }),
  'exemptions': ({ stack }) => ({
    exemptPrincipalArns: ['arn:aws:iam::111111111111:role/admin-*'],
    exemptPrincipals: [iam.Role.fromRoleArn(stack, 'BreakGlass', 'arn:aws:iam::111111111111:role/break-glass')],
  }),
};

/** Everything together, where options combine. */
const ALL: Option = (w) => ({
  ...OPTIONS['networkAcls with keepNaclCidrsCurrent'](w),
  ...OPTIONS.securityGroups(w),
  ...OPTIONS.subnets(w),
  ...OPTIONS['a restricted endpoint policy with AWS-owned buckets'](w),
  ...OPTIONS.exemptions(w),
});

function world(env: 'bound' | 'agnostic'): World {
  const { app, stack } = env === 'bound' ? envBoundStack() : (() => {
    const a = new App();
    return { app: a, stack: new Stack(a, 'Stack') };
  })();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const acl = new ec2.NetworkAcl(stack, 'AppAcl', { vpc, subnetSelection: { subnetGroupName: 'app' } });
  const sg = new ec2.SecurityGroup(stack, 'WorkerSg', { vpc, allowAllOutbound: false });
  const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  return { app, stack, vpc, bucket, acl, sg };
}

/** Builds the option's app with its workload; `fault` adds a user entry that denies S3 before the construct's. */
function build(env: 'bound' | 'agnostic', option: Option, fault = false): World & { access: S3PrivateAccess } {
  const w = world(env);
  const props = option(w);
  const access = new S3PrivateAccess(w.stack, 'S3', { vpc: w.vpc, buckets: [w.bucket], ...props });
  const fn = new lambda.Function(w.stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    vpc: w.vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    securityGroups: [w.sg],
  });
  if (!props.securityGroups) access.allowFrom(fn);
  access.grantReadWrite(fn, w.bucket, { prefix: 'work/' });
  if (!props.networkAcls) {
    // the user opens the ACL themselves when the construct does not
    w.acl.addEntry('AllOut', { ruleNumber: 900, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
    w.acl.addEntry('AllIn', { ruleNumber: 900, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.INGRESS });
  }
  if (fault) {
    w.acl.addEntry('DenyHttps', { ruleNumber: 10, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.EGRESS, ruleAction: ec2.Action.DENY });
  }
  return { ...w, access };
}

function errors(stack: Stack): string[] {
  return Annotations.fromStack(stack).findError('*', Match.anyValue()).map((m) => `${m.id}: ${String(m.entry.data)}`);
}

const CASES = [
  ...Object.entries(OPTIONS).map(([name, option]) => ['bound', name, option] as const),
  ['bound', 'all options together', ALL] as const,
  // an environment-agnostic stack: its NACL entries are written at deploy time
  ['agnostic', 'networkAcls (written at deploy time)', OPTIONS['networkAcls (bundled CIDRs)']] as const,
  ['agnostic', 'networkAcls with keepNaclCidrsCurrent', OPTIONS['networkAcls with keepNaclCidrsCurrent']] as const,
  ['agnostic', 'defaults', OPTIONS.defaults] as const,
];

describe('a workload behind every option of S3PrivateAccess', () => {
  test.each(CASES)('%s stack, %s: the checks report no error', (env, _name, option) => {
    expect(errors(build(env, option).stack)).toEqual([]);
  });

  test.each(CASES.filter(([, name]) => name !== 'defaults'))('%s stack, %s, with a user entry denying 443 first: S3PA-NaclOutbound still fails', (env, _name, option) => {
    const built = build(env, option, true);
    if (env === 'bound') {
      expect(errors(built.stack).join('\n')).toMatch(/\[S3PA-NaclOutbound\]/);
    } else {
      // an environment-agnostic stack's S3 ranges are unknown at synth time: the rule cannot judge, and says so
      const findings = runRules(modelOf(built.stack), ALL_RULES).filter((f) => f.ruleId === 'S3PA-NaclOutbound');
      expect(findings.map((f) => [f.level, f.cannotJudge === true])).toEqual([['warning', true]]);
    }
  });

  test('keepNaclCidrsCurrent: the rules see the entries the function will write, from its rule-number block', () => {
    // GIVEN
    const { stack } = build('bound', OPTIONS['networkAcls with keepNaclCidrsCurrent']);
    // WHEN
    const acl = modelOf(stack).networkAcls.find((a) => a.res.path.includes('AppAcl'))!;
    // THEN
    const written = acl.entries.filter((e) => e.res.type === 'Custom::S3NaclCidrs');
    expect(written.length).toBeGreaterThan(2);
    expect(written.every((e) => e.ruleAction === 'allow' && e.protocol === '6')).toBe(true);
    expect(written.filter((e) => e.egress).map((e) => [e.portFrom, e.portTo])).toContainEqual([443, 443]);
    expect(written.filter((e) => !e.egress).map((e) => [e.portFrom, e.portTo])).toContainEqual([1024, 65535]);
    expect(Math.min(...written.map((e) => e.ruleNumber as number))).toBe(500);
  });
});
