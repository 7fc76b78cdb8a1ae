import { App, CliCredentialsStackSynthesizer, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsOwnedBuckets, BucketAccess, BucketEndpointRestriction, BucketOwnerPolicy, BucketRestriction, EndpointPolicy, EndpointSource,
  ExpressDirectoryBucket, GatewayEndpointRouteTableAssociation, S3EndpointIpAddressType, S3NetworkAclEntries, S3PrivateAccess,
  S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessProps, S3PrivateAccessValidator,
} from '../../lib';
import { NaclCidrUpdater } from '../../lib/network/nacl-cidr-updater';
import { networkDenyStatement } from '../../lib/policy/lockout-safe-deny';
import { ALL_RULES } from '../../lib/rules/all';
import { envBoundStack } from '../helpers/s3pa-fixtures';

/*
 * Every error the library throws for bad input (lib/policy, lib/endpoint, lib/network, lib/checks and the construct;
 * lib/model and lib/rules throw nothing that reaches users, the NACL updater's Lambda runtime code runs in AWS), with
 * the exact message or a precise pattern. Every message must start lowercase, show the bad value, say what to do,
 * and end without a period. Rows marked "internal guard" cannot be reached through the public API (an earlier check
 * catches the input); they are called directly so their messages meet the same bar.
 */

const ACCOUNT = '111111111111';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;

function isolatedVpc(stack: Stack): ec2.Vpc {
  return isolatedVpcNamed(stack, 'Vpc');
}

function isolatedVpcNamed(stack: Stack, id: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** S3PrivateAccess in a fresh env-bound stack with an isolated VPC; `props` may use the stack. */
function construct(props: (stack: Stack, vpc: ec2.Vpc) => Partial<S3PrivateAccessProps>, env = true): () => void {
  return () => {
    const stack = env ? envBoundStack().stack : new Stack(new App(), 'Stack');
    const vpc = isolatedVpc(stack);
    new S3PrivateAccess(stack, 'S3', { vpc, ...props(stack, vpc) });
  };
}

function inRegion(region: string, props: (stack: Stack, vpc: ec2.Vpc) => Partial<S3PrivateAccessProps>): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region } });
    const vpc = isolatedVpc(stack);
    new S3PrivateAccess(stack, 'S3', { vpc, ...props(stack, vpc) });
  };
}

function withBucket(fn: (stack: Stack, bucket: s3.Bucket) => void, bucketProps: s3.BucketProps = {}): () => void {
  return () => {
    const { stack } = envBoundStack();
    fn(stack, new s3.Bucket(stack, 'Data', bucketProps));
  };
}

function grant(prefix: string): () => void {
  return withBucket((stack, bucket) => {
    const access = new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack) });
    access.grantRead(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }), bucket, { prefix });
  });
}

function ownerDocument(overrides: Record<string, unknown>): () => void {
  return () => BucketOwnerPolicy.document({
    bucketName: 'partner-data',
    endpointIds: ['vpce-0123456789abcdef0'],
    workloadRoleArns: [ADMIN.replace('admin', 'reader')],
    adminPrincipalArns: [ADMIN],
    ...overrides,
  });
}

function updater(props: Record<string, unknown>, region = 'eu-west-1'): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region } });
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc: isolatedVpc(stack) });
    new NaclCidrUpdater(stack, 'Updater', { networkAcls: [acl], ...props });
  };
}

interface Row {
  readonly name: string;
  readonly act: () => unknown;
  /** the full message, or a pattern anchored at both ends */
  readonly message: string | RegExp;
  /** the bad value the message must show (omitted when the fault is a missing value) */
  readonly shows?: string;
}

const rows: Row[] = [
  // S3PrivateAccess
  {
    name: 'keepNaclCidrsCurrent without networkAcls',
    act: construct(() => ({ keepNaclCidrsCurrent: true })),
    message: 'keepNaclCidrsCurrent is set but networkAcls is empty: pass the network ACLs of the workload subnets in networkAcls, or drop keepNaclCidrsCurrent',
  },
  {
    name: 'a service principal in exemptPrincipals',
    act: construct(() => ({ exemptPrincipals: [new iam.ServicePrincipal('ec2.amazonaws.com')] })),
    message: /^exemptPrincipals contains ServicePrincipal\(ec2\.amazonaws\.com\), which is not an IAM role, user or account \(principal keys: Service\): AWS service principals are exempt already; pass roles or users, or their ARNs in exemptPrincipalArns$/,
    shows: 'ec2.amazonaws.com',
  },
  {
    name: 'a bucket in another region',
    act: construct((stack) => ({ buckets: [s3.Bucket.fromBucketAttributes(stack, 'Far', { bucketName: 'far-bucket', region: 'us-east-1' })] })),
    message: "bucket far-bucket is in region 'us-east-1' but the stack is in 'eu-west-1': a gateway endpoint only reaches buckets of its own region; use a bucket in the same region, or reach this one through an S3 interface endpoint or the internet",
    shows: 'us-east-1',
  },
  {
    name: 'exemptPrincipalArns *',
    act: construct(() => ({ exemptPrincipalArns: ['*'] })),
    message: "exempt principal '*' matches any principal: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: '*',
  },
  {
    name: 'exemptPrincipalArns arn:*',
    act: construct(() => ({ exemptPrincipalArns: ['arn:*:iam::111111111111:role/admin'] })),
    message: "exempt principal 'arn:*:iam::111111111111:role/admin' matches any principal: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: 'arn:*:iam::111111111111:role/admin',
  },
  {
    name: 'exemptPrincipalArns with a wildcard account',
    act: construct(() => ({ exemptPrincipalArns: ['arn:aws:iam::*:role/admin'] })),
    message: "exempt principal 'arn:aws:iam::*:role/admin' has a wildcard in the partition, service or account: name one account, for example arn:aws:iam::111122223333:role/admin",
    shows: 'arn:aws:iam::*:role/admin',
  },
  {
    name: 'exemptPrincipalArns covering every role',
    act: construct(() => ({ exemptPrincipalArns: ['arn:aws:iam::111111111111:role/*'] })),
    message: "exempt principal 'arn:aws:iam::111111111111:role/*' matches every principal of the account or of a type: name a role or user, for example role/admin",
    shows: 'arn:aws:iam::111111111111:role/*',
  },
  {
    name: 'exemptPrincipalArns that is not an ARN',
    act: construct(() => ({ exemptPrincipalArns: ['admin'] })),
    message: "exempt principal 'admin' is not an IAM principal ARN: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: 'admin',
  },
  {
    name: 'exemptPrincipalArns with a non-IAM ARN',
    act: construct(() => ({ exemptPrincipalArns: ['arn:aws:s3:::bucket'] })),
    message: "exempt principal 'arn:aws:s3:::bucket' is not an IAM principal ARN: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: 'arn:aws:s3:::bucket',
  },
  {
    name: 'exemptPrincipalArns without a 12-digit account',
    act: construct(() => ({ exemptPrincipalArns: ['arn:aws:iam::12345:role/admin'] })),
    message: "exempt principal 'arn:aws:iam::12345:role/admin' has no 12-digit account id: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: '12345',
  },
  {
    name: 'subnets with subnetType PUBLIC',
    act: construct(() => ({ subnets: [{ subnetType: ec2.SubnetType.PUBLIC }] })),
    message: 'subnets selects subnetType PUBLIC: a gateway endpoint route in a public route table sends S3 traffic of every public subnet through the endpoint; select PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets',
    shows: 'PUBLIC',
  },
  {
    name: 'subnets selecting public subnets by group name',
    act: () => {
      const { stack } = envBoundStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetGroupName: 'Public' }] });
    },
    message: 'subnets selects public subnets (Stack/Vpc/PublicSubnet1): a gateway endpoint route in a public route table sends S3 traffic of every public subnet through the endpoint; select only PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets, e.g. `[{ subnetType: SubnetType.PRIVATE_ISOLATED }]`',
    shows: 'Stack/Vpc/PublicSubnet1',
  },
  {
    name: 'subnets naming a subnet group the vpc lacks',
    act: construct(() => ({ subnets: [{ subnetGroupName: 'app' }] })),
    message: "subnets selects subnetGroupName 'app', which the vpc Stack/Vpc cannot satisfy (There are no subnet groups with name 'app' in this VPC. Available names: iso): select subnet groups or types that the vpc has",
    shows: "'app'",
  },
  {
    name: 'subnets naming a subnet type the vpc lacks',
    act: construct(() => ({ subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] })),
    message: /^subnets selects subnetType Private, which the vpc Stack\/Vpc cannot satisfy \(There are no 'Private' subnet groups in this VPC\. Available types: Isolated[^)]*\): select subnet groups or types that the vpc has$/,
    shows: 'subnetType Private',
  },
  {
    name: 'an empty subnet selection',
    act: construct(() => ({ subnets: [] })),
    message: 'no route table selected: the vpc Stack/Vpc has no private or isolated subnets in the selection; select private or isolated subnets with `subnets`, or import the vpc with its route-table ids (`privateSubnetRouteTableIds` / `isolatedSubnetRouteTableIds` in `Vpc.fromVpcAttributes`, or `Vpc.fromLookup`)',
    shows: 'Stack/Vpc',
  },
  {
    name: 'an imported vpc without route-table ids',
    act: () => {
      const { stack } = envBoundStack();
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'],
      });
      new S3PrivateAccess(stack, 'S3', { vpc });
    },
    message: 'no route table selected: no route table is known for subnets subnet-0123456789abcdef0; select private or isolated subnets with `subnets`, or import the vpc with its route-table ids (`privateSubnetRouteTableIds` / `isolatedSubnetRouteTableIds` in `Vpc.fromVpcAttributes`, or `Vpc.fromLookup`)',
    shows: 'subnet-0123456789abcdef0',
  },
  {
    name: 'naclRuleNumberBase 0',
    act: construct((stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], naclRuleNumberBase: 0 })),
    message: 'naclRuleNumberBase is 0: pass an integer from 1 to 32766',
    shows: '0',
  },
  {
    name: 'naclEntryQuota 0',
    act: construct((stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], naclEntryQuota: 0 })),
    message: "naclEntryQuota is 0: pass the account's quota of rules per network ACL direction (20 unless raised)",
    shows: '0',
  },
  {
    name: 'more NACL entries than the quota',
    act: construct((stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], naclEntryQuota: 5 })),
    message: 'network acl Stack/Acl would have 6 outbound entries (0 existing + 6 for the S3 CIDRs), over the quota of 5: request a quota increase of "Rules per network ACL" in Service Quotas and pass naclEntryQuota, or merge entries of the ACL',
    shows: 'quota of 5',
  },
  {
    name: 'no free block of rule numbers',
    act: construct((stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], naclRuleNumberBase: 32766 })),
    message: 'the network acls have no 6 consecutive free rule numbers from 32766 to 32766: pass a lower naclRuleNumberBase',
    shows: '32766',
  },
  {
    name: 'networkAcls in an environment-agnostic stack whose ACL leaves no room under the quota',
    act: construct((stack, vpc) => {
      const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
      for (let i = 0; i < 20; i++) {
        acl.addEntry(`In${i}`, { ruleNumber: 100 + i, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.INGRESS });
      }
      return { networkAcls: [acl] };
    }, false),
    message: 'network acl Stack/Acl has 20 inbound entries, which leave no room under the quota of 20 for the S3 entries written at deploy time: request a quota increase of "Rules per network ACL" in Service Quotas and pass naclEntryQuota, or merge entries of the ACL',
    shows: 'Stack/Acl',
  },
  {
    name: 'the nacl updater with a bad entry quota',
    act: updater({ entryQuota: 0 }),
    message: "entryQuota must be an integer of at least 1 (the account's rules per network ACL direction, 20 unless raised), got 0",
    shows: 'got 0',
  },
  {
    name: 'networkAcls in a region without bundled S3 ranges',
    act: inRegion('xx-nowhere-1', (stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })] })),
    message: "no S3 address ranges are known for region 'xx-nowhere-1' in the bundled snapshot: upgrade cdk-s3-private-access, or leave networkAcls out and allow the region's S3 CIDRs in the ACLs yourself",
    shows: 'xx-nowhere-1',
  },
  {
    name: 'keepNaclCidrsCurrent in China',
    act: inRegion('cn-north-1', (stack, vpc) => ({ networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc })], keepNaclCidrsCurrent: true })),
    message: "region 'cn-north-1' is outside the aws partition, where the AmazonIpSpaceChanged topic lives: keep the network-ACL entries current by refreshing the bundled ranges instead",
    shows: 'cn-north-1',
  },
  {
    name: 'a NACL entry added later on a rule number the construct took (synth-time validation)',
    act: () => {
      const { stack } = envBoundStack();
      const vpc = isolatedVpc(stack);
      const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
      const access = new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl] });
      acl.addEntry('Late', { cidr: ec2.AclCidr.anyIpv4(), ruleNumber: 501, traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
      const errors = access.networkAclEntries!.node.validate();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    },
    message: 'network acl Stack/Acl has outbound entries with rule numbers 501 (Stack/Acl/Late/Resource), which S3PrivateAccess gave its S3 entries (500-505): give those entries other rule numbers, or pass a naclRuleNumberBase outside their range',
    shows: '501',
  },
  {
    name: 'an adopted endpoint whose id is not a vpce id',
    act: construct((stack) => ({ endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'gw-123')) })),
    message: "endpoint has id 'gw-123', which is not a vpc endpoint id: import it with its 'vpce-…' id",
    shows: 'gw-123',
  },

  // grants and role factories
  { name: 'grant with an empty prefix', act: grant(''), message: "prefix '' must not be empty: omit prefix to grant access to the whole bucket", shows: "''" },
  {
    name: 'grant with a leading slash',
    act: grant('/reports/'),
    message: "prefix '/reports/' starts with '/': S3 keys have no leading slash, use 'reports/'",
    shows: '/reports/',
  },
  {
    name: 'grant with a wildcard prefix',
    act: grant('reports/*'),
    message: "prefix 'reports/*' contains a wildcard: pass a literal key prefix, the grant appends '*' itself",
    shows: 'reports/*',
  },
  {
    name: 'allowObjectAcl on a bucket without OwnershipControls',
    act: withBucket((stack, bucket) => S3PrivateAccess.instanceRole(stack, 'Instance', { grants: [{ bucket, access: BucketAccess.WRITE, allowObjectAcl: true }] })),
    message: 'allowObjectAcl is set for bucket Stack/Data, which has no OwnershipControls, so S3 applies BucketOwnerEnforced and rejects every ACL: drop allowObjectAcl, or set objectOwnership to BUCKET_OWNER_PREFERRED or OBJECT_WRITER',
    shows: 'Stack/Data',
  },
  {
    name: 'allowObjectAcl on a BucketOwnerEnforced bucket',
    act: withBucket((stack, bucket) => S3PrivateAccess.taskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.WRITE, allowObjectAcl: true }] }),
      { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED }),
    message: 'allowObjectAcl is set for bucket Stack/Data, which has Object Ownership BucketOwnerEnforced and rejects every ACL: drop allowObjectAcl, or set objectOwnership to BUCKET_OWNER_PREFERRED or OBJECT_WRITER',
    shows: 'BucketOwnerEnforced',
  },

  // endpoint policies and AWS-owned buckets
  {
    name: 'restrictToBuckets without buckets',
    act: () => EndpointPolicy.restrictToBuckets([]),
    message: 'restrictToBuckets needs at least one bucket: pass the buckets the workloads use, or use EndpointPolicy.fullAccess()',
  },
  {
    name: 'restrictToBuckets with no actions',
    act: withBucket((_s, bucket) => EndpointPolicy.restrictToBuckets([bucket], { actions: [] })),
    message: 'restrictToBuckets actions is empty: omit actions for the default set, or name the s3: actions to allow',
  },
  {
    name: 'restrictToBuckets with a non-S3 action',
    act: withBucket((_s, bucket) => EndpointPolicy.restrictToBuckets([bucket], { actions: ['ec2:DescribeInstances'] })),
    message: "endpoint policy action 'ec2:DescribeInstances' is not an S3 action: name only actions that start with 's3:', the only ones the S3 gateway endpoint serves",
    shows: 'ec2:DescribeInstances',
  },
  {
    name: 'restrictToBuckets with s3:*',
    act: withBucket((_s, bucket) => EndpointPolicy.restrictToBuckets([bucket], { actions: ['s3:GetObject', 's3:*'] })),
    message: "endpoint policy action 's3:*' is too broad: name the actions, or use EndpointPolicy.fullAccess()",
    shows: 's3:*',
  },
  {
    name: 'AwsOwnedBuckets.of with a bad name',
    act: () => AwsOwnedBuckets.of('my set', ['arn:{partition}:s3:::b-{region}/*']),
    message: "aws-owned bucket set name 'my set' is not valid: use letters, digits and '-'",
    shows: 'my set',
  },
  {
    name: 'AwsOwnedBuckets.of without patterns',
    act: () => AwsOwnedBuckets.of('codedeploy', []),
    message: "aws-owned bucket set 'codedeploy' has no patterns: pass at least one object ARN pattern such as arn:{partition}:s3:::bucket-{region}/*",
    shows: 'codedeploy',
  },
  {
    name: 'AwsOwnedBuckets.of with a bucket ARN',
    act: () => AwsOwnedBuckets.of('codedeploy', ['arn:aws:s3:::aws-codedeploy-eu-west-1']),
    message: "aws-owned bucket pattern 'arn:aws:s3:::aws-codedeploy-eu-west-1' is not an S3 object ARN: use arn:{partition}:s3:::<bucket>/<key pattern>",
    shows: 'arn:aws:s3:::aws-codedeploy-eu-west-1',
  },
  {
    name: 'AwsOwnedBuckets.of with a wildcard bucket name',
    act: () => AwsOwnedBuckets.of('any', ['arn:aws:s3:::*-layers/*']),
    message: "aws-owned bucket pattern 'arn:aws:s3:::*-layers/*' starts the bucket name with a wildcard: name the bucket",
    shows: 'arn:aws:s3:::*-layers/*',
  },

  // BucketOwnerPolicy
  {
    name: 'owner document without admins',
    act: ownerDocument({ adminPrincipalArns: [] }),
    message: "bucket owner policy for 'partner-data' has no adminPrincipalArns: name at least one owner role that keeps access from anywhere, so the Deny cannot lock the owner out",
    shows: 'partner-data',
  },
  {
    name: 'owner document without endpoints or vpcs',
    act: ownerDocument({ endpointIds: [] }),
    message: 'bucket owner policy needs endpointIds or vpcIds (or organizationIds, endpointAccountIds): name the S3 gateway ' +
      'endpoint (vpce-…) or the VPC (vpc-…) the workloads use, or the organization or accounts whose endpoints they use',
  },
  {
    name: 'owner document with a bad endpoint id',
    act: ownerDocument({ endpointIds: ['vpce-xyz'] }),
    message: "endpoint id 'vpce-xyz' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpce-xyz',
  },
  {
    name: 'owner document with a bad vpc id',
    act: ownerDocument({ endpointIds: [], vpcIds: ['vpc-12'] }),
    message: "vpc id 'vpc-12' is not a vpc id: pass vpc- followed by 8 or 17 hex digits",
    shows: 'vpc-12',
  },
  {
    name: 'owner document without workload roles',
    act: ownerDocument({ workloadRoleArns: [] }),
    message: 'bucket owner policy needs workloadRoleArns: name the roles that reach the bucket',
  },
  {
    name: 'owner document with a wildcard workload role',
    act: ownerDocument({ workloadRoleArns: ['arn:aws:iam::111111111111:role/app-*'] }),
    message: "workload role 'arn:aws:iam::111111111111:role/app-*' contains a wildcard: a Principal element accepts exact ARNs only, name each role",
    shows: 'arn:aws:iam::111111111111:role/app-*',
  },
  {
    name: 'owner document with a wildcard admin',
    act: ownerDocument({ adminPrincipalArns: ['*'] }),
    message: "exempt principal '*' matches any principal: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: '*',
  },
  {
    name: 'owner document with a bad bucket name',
    act: ownerDocument({ bucketName: 'Bad_Bucket' }),
    message: "bucket name 'Bad_Bucket' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' and '-'",
    shows: 'Bad_Bucket',
  },
  {
    name: 'applyTo an imported bucket',
    act: () => {
      const { stack } = envBoundStack();
      BucketOwnerPolicy.applyTo(s3.Bucket.fromBucketName(stack, 'Imported', 'partner-data'), {
        endpointIds: ['vpce-0123456789abcdef0'], workloadRoleArns: [ADMIN.replace('admin', 'reader')], adminPrincipalArns: [ADMIN],
      });
    },
    message: 'bucket Stack/Imported is imported, so this stack cannot change its policy: apply BucketOwnerPolicy in the stack that defines the bucket, or use BucketOwnerPolicy.document()',
    shows: 'Stack/Imported',
  },
  {
    name: 'applyTo with no principal to exempt',
    act: () => {
      const stack = new Stack(new App(), 'Owner', { synthesizer: new CliCredentialsStackSynthesizer() });
      BucketOwnerPolicy.applyTo(new s3.Bucket(stack, 'Shared'), { endpointIds: ['vpce-0123456789abcdef0'], workloadRoleArns: [ADMIN.replace('admin', 'reader')] });
    },
    message: 'bucket owner policy for Owner/Shared has no principal to exempt from its Deny: pass adminPrincipalArns, or deploy with the DefaultStackSynthesizer',
    shows: 'Owner/Shared',
  },

  // the bucket's endpoint restriction
  {
    name: 'endpoint restriction: a bad endpoint id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowEndpoint('vpce-1')),
    message: "endpoint id 'vpce-1' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpce-1',
  },
  {
    name: 'endpoint restriction: a vpc id as the endpoint id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowEndpoint('vpc-0123456789abcdef0')),
    message: "endpoint id 'vpc-0123456789abcdef0' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpc-0123456789abcdef0',
  },
  {
    name: 'endpoint restriction: a bad vpc id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowVpc('vpc-xyz')),
    message: "vpc id 'vpc-xyz' is not a vpc id: pass vpc- followed by 8 or 17 hex digits",
    shows: 'vpc-xyz',
  },
  {
    name: 'endpoint restriction: a wildcard exemption',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).exempt('arn:aws:iam::111111111111:role/*')),
    message: "exempt principal 'arn:aws:iam::111111111111:role/*' matches every principal of the account or of a type: name a role or user, for example role/admin",
    shows: 'arn:aws:iam::111111111111:role/*',
  },
  {
    name: 'endpoint restriction: a service principal exempted',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).exemptPrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'))),
    message: /^exemptPrincipals contains ServicePrincipal\(lambda\.amazonaws\.com\), which is not an IAM role, user or account \(principal keys: Service\): AWS service principals are exempt already; pass roles or users/,
    shows: 'lambda.amazonaws.com',
  },
  {
    name: 'endpoint restriction of an imported bucket',
    act: () => {
      const { stack } = envBoundStack();
      BucketEndpointRestriction.of(s3.Bucket.fromBucketName(stack, 'Theirs', 'their-bucket'));
    },
    message: 'bucket their-bucket is imported, so this app cannot change its bucket policy: restrict it in the stack that defines it, or have its owner apply BucketOwnerPolicy.document()',
    shows: 'their-bucket',
  },
  {
    name: 'a grant that closes a cycle between the bucket\'s stack and the construct\'s',
    act: () => {
      const app = new App();
      const data = new Stack(app, 'Data');
      const network = new Stack(app, 'Network');
      const bucket = new s3.Bucket(data, 'Bucket');
      const access = new S3PrivateAccess(network, 'S3', { vpc: isolatedVpc(network), buckets: [bucket] });
      access.grantRead(new iam.Role(network, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), bucket);
    },
    message: 'granting Network/Worker access to bucket Data/Bucket would make stack Network depend on stack Data, whose bucket policy already names an endpoint, vpc or role of Network: give the bucket a bucketName and grant on s3.Bucket.fromBucketName(this, id, name) in Network, or define the bucket in Network',
    shows: 'Data/Bucket',
  },
  {
    name: 'internal guard: a network deny without endpoints or vpcs',
    act: () => networkDenyStatement({ bucketArn: 'arn:aws:s3:::b', objectsArn: 'arn:aws:s3:::b/*', exemptPrincipalArns: [] }),
    message: 'the network deny needs at least one endpoint id, vpc id, organization id or endpoint account id: ' +
      'pass endpointIds, vpcIds, organizationIds or endpointAccountIds',
  },

  // the VPC's own S3 gateway endpoint
  {
    name: 'a vpc with two S3 gateway endpoints and a selection that spans both',
    act: () => {
      const { stack } = envBoundStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 1,
        natGateways: 0,
        subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      vpc.addGatewayEndpoint('S3A', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'a' }] });
      vpc.addGatewayEndpoint('S3B', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'b' }] });
      new S3PrivateAccess(stack, 'S3', { vpc });
    },
    message: 'the vpc Stack/Vpc already has S3 gateway endpoints Stack/Vpc/S3A/Resource, Stack/Vpc/S3B/Resource, which serve different route tables of the selection, and S3PrivateAccess cannot tell which one to use: pass it with `endpoint: EndpointSource.fromExisting(endpoint)`, and select the subnets of its route tables',
    shows: 'Stack/Vpc/S3A/Resource',
  },
  {
    name: 'the vpc\'s S3 gateway endpoint with route tables from a token',
    act: construct((stack, vpc) => {
      new ec2.CfnVPCEndpoint(stack, 'Raw', { vpcId: vpc.vpcId, serviceName: ec2.GatewayVpcEndpointAwsService.S3.name, routeTableIds: Lazy.list({ produce: () => [] }) });
      return {};
    }),
    message: "the S3 gateway endpoint Stack/Raw of the vpc takes its route tables from a token, so S3PrivateAccess cannot add the selected ones to it: list its route tables literally, or pass the endpoint by id with `endpoint: EndpointSource.fromExisting(GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, id, 'vpce-…'))`",
    shows: 'Stack/Raw',
  },
  {
    name: 'fromExisting with an endpoint of the app that is not for S3',
    act: construct((_stack, vpc) => ({
      endpoint: EndpointSource.fromExisting(vpc.addGatewayEndpoint('Ddb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB })),
    })),
    message: /^endpoint Stack\/Vpc\/Ddb\/Resource is not an S3 gateway endpoint \(service \{"Fn::Join":\["",\["com\.amazonaws\.",\{"Ref":"AWS::Region"\},"\.dynamodb"\]\]\}\): pass the vpc's gateway endpoint for com\.amazonaws\.<region>\.s3$/,
    shows: 'dynamodb',
  },
  {
    name: 'fromExisting with the S3 endpoint of another vpc of the app',
    act: construct((stack) => ({
      endpoint: EndpointSource.fromExisting(isolatedVpcNamed(stack, 'Other').addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 })),
    })),
    message: 'endpoint Stack/Other/S3/Resource belongs to another vpc than Stack/Vpc: pass an S3 gateway endpoint of the vpc given to S3PrivateAccess',
    shows: 'Stack/Other/S3/Resource',
  },

  {
    name: 'an imported endpoint adopted for route tables the vpc\'s own S3 endpoint serves',
    act: construct((stack, vpc) => {
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      return { endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0')) };
    }),
    message: /^route tables \{"Ref":"VpcisoSubnet1RouteTable[0-9A-F]+"\}, \{"Ref":"VpcisoSubnet2RouteTable[0-9A-F]+"\} of the selection already get their S3 route from the endpoint Stack\/Vpc\/S3\/Resource of the app, so the adopted endpoint cannot be associated with them: pass that endpoint with EndpointSource.fromExisting\(\.\.\.\), or select subnets whose route tables it does not serve$/,
    shows: 'Stack/Vpc/S3/Resource',
  },

  // route tables of an adopted endpoint
  {
    name: 'route-table association without route tables',
    act: () => {
      const { stack } = envBoundStack();
      new GatewayEndpointRouteTableAssociation(stack, 'Assoc', {
        endpoint: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0'), routeTableIds: [],
      });
    },
    message: 'routeTableIds is empty: pass at least one route-table id to associate with the endpoint',
  },
  {
    name: 'route-table association with a bad route-table id',
    act: () => {
      const { stack } = envBoundStack();
      new GatewayEndpointRouteTableAssociation(stack, 'Assoc', {
        endpoint: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0'), routeTableIds: ['rt-1'],
      });
    },
    message: "routeTableIds contains 'rt-1', which is not a route-table id: pass ids like 'rtb-0123456789abcdef0'",
    shows: 'rt-1',
  },
  {
    name: 'S3NetworkAclEntries with a bad rule-number base',
    act: () => {
      const { stack } = envBoundStack();
      new S3NetworkAclEntries(stack, 'Entries', { networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc: isolatedVpc(stack) })], ruleNumberBase: 1.5 });
    },
    message: 'naclRuleNumberBase is 1.5: pass an integer from 1 to 32766',
    shows: '1.5',
  },

  // the NACL updater (internal guards: S3PrivateAccess sizes its block within the limits)
  { name: 'internal guard: updater without ACLs', act: () => new NaclCidrUpdater(envBoundStack().stack, 'U', { networkAcls: [] }), message: 'networkAcls is empty: pass the network ACLs whose S3 entries the updater should manage' },
  {
    name: 'internal guard: updater with too many entries',
    act: updater({ maxEntriesPerDirection: 41 }),
    message: 'maxEntriesPerDirection must be an integer from 1 to 40 (the network ACL rules quota), got 41',
    shows: '41',
  },
  {
    name: 'internal guard: updater block beyond the last rule number',
    act: updater({ maxEntriesPerDirection: 20, egressRuleNumberStart: 32760 }),
    message: 'egressRuleNumberStart must be an integer from 1 to 32747 so that its 20 rule numbers stay within 1-32766, got 32760',
    shows: '32760',
  },

  // the checks' front ends
  {
    name: 'S3PrivateAccessChecks with an unknown rule id',
    act: () => new S3PrivateAccessChecks({ disabledRules: ['S3PA-Nope'] }),
    // every id of the catalog, however many rules it holds
    message: new RegExp(`^unknown rule id in disabledRules: S3PA-Nope; known ids are S3PA-[A-Za-z0-9-]+(, S3PA-[A-Za-z0-9-]+){${ALL_RULES.length - 1}}$`),
    shows: 'S3PA-Nope',
  },
  {
    name: 'S3PrivateAccessValidator with an unknown rule id',
    act: () => new S3PrivateAccessValidator({ disabledRules: ['S3PA-RouteNotAssociated', 'route'] }),
    message: /^unknown rule id in disabledRules: route; known ids are S3PA-/,
    shows: 'route',
  },
  {
    name: 'S3PrivateAccessNagPack with an unknown rule id',
    act: () => new S3PrivateAccessNagPack(new App(), { disabledRules: ['S3PA-Lockout '] }),
    message: /^unknown rule id in disabledRules: S3PA-Lockout ; known ids are S3PA-/,
    shows: 'S3PA-Lockout ',
  },
  {
    name: 'a cdk-nag front end without cdk-nag installed',
    act: () => jest.isolateModules(() => {
      // a fresh copy of the loader, in whose registry cdk-nag cannot be loaded (the subprocess test hides it for real)
      jest.doMock('cdk-nag', () => {
        throw new Error("Cannot find module 'cdk-nag' from 'lib/checks/cdk-nag-loader.ts'");
      });
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../../lib/checks/cdk-nag-loader') as typeof import('../../lib/checks/cdk-nag-loader')).cdkNag();
      } finally {
        jest.dontMock('cdk-nag');
      }
    }),
    message: "the cdk-nag front ends of cdk-s3-private-access need the cdk-nag package, which cannot be loaded (Cannot find module 'cdk-nag' from 'lib/checks/cdk-nag-loader.ts'): install it with `npm install cdk-nag@^3`, or use S3PrivateAccessChecks or S3PrivateAccessValidator, which need no cdk-nag",
    shows: "Cannot find module 'cdk-nag'",
  },

  // issue 14: IPv6, S3 Express, remote networks, organization perimeters
  {
    name: 'ipAddressType ipv6 on subnets without IPv6',
    act: construct(() => ({ ipAddressType: S3EndpointIpAddressType.IPV6 })),
    message: /^ipAddressType is 'ipv6' but the selected subnets .* have no IPv6 range: give the vpc IPv6/,
    shows: 'ipv6',
  },
  {
    name: 'a directory bucket name that is not one',
    act: () => ExpressDirectoryBucket.fromBucketName('my-bucket'),
    message: /^directory bucket name 'my-bucket' is not an S3 Express One Zone bucket name: pass the full name/,
    shows: 'my-bucket',
  },
  {
    name: 'grantExpressSession without directory buckets',
    act: withBucket((stack) => {
      const access = new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack) });
      access.grantExpressSession(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    }),
    message: /^grantExpressSession needs directory buckets: pass them in directoryBuckets/,
  },
  {
    name: 'remoteAccess without cidrs',
    act: construct(() => ({ remoteAccess: { cidrs: [] } })),
    message: /^remoteAccess.cidrs is empty: name the CIDRs/,
  },
  {
    name: 'remoteAccess with a /0',
    act: construct(() => ({ remoteAccess: { cidrs: ['0.0.0.0/0'] } })),
    message: /^remoteAccess.cidrs contains '0.0.0.0\/0', which opens the S3 interface endpoint to every network/,
    shows: '0.0.0.0/0',
  },
  {
    name: 'remoteAccess with a non-CIDR',
    act: construct(() => ({ remoteAccess: { cidrs: ['on-prem'] } })),
    message: /^remoteAccess.cidrs contains 'on-prem', which is not an IPv4 or IPv6 CIDR/,
    shows: 'on-prem',
  },
  {
    name: 'an organization id that is not one',
    act: () => BucketRestriction.toOrganization('org-123'),
    message: /^toOrganization organization id 'org-123' is not an organization id: pass o- followed by/,
    shows: 'org-123',
  },
  {
    name: 'an account id that is not one',
    act: () => EndpointPolicy.restrictToAccounts(['1234']),
    message: /^restrictToAccounts account id '1234' is not an account id: pass the 12 digits/,
    shows: '1234',
  },
  {
    name: 'toAccounts without the stack\'s own account',
    act: withBucket((stack, bucket) => {
      new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack), buckets: [bucket], bucketRestriction: BucketRestriction.toAccounts(['222222222222']) });
    }),
    message: /^bucketRestriction BucketRestriction.toAccounts\(222222222222\) leaves out account 111111111111/,
    shows: '111111111111',
  },
  {
    name: 'S3PrivateAccessNagPack without a construct tree',
    act: () => new S3PrivateAccessNagPack().validate({} as never),
    message: 'no construct tree to check: create S3PrivateAccessNagPack with the app, `new S3PrivateAccessNagPack(app)`',
  },
];

function thrown(act: () => unknown): Error {
  try {
    act();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('bad input: every error the library throws', () => {
  test.each(rows)('$name', ({ act, message }) => {
    const error = thrown(act);
    if (typeof message === 'string') {
      expect(error.message).toBe(message);
    } else {
      expect(error.message).toMatch(message);
    }
  });

  test.each(rows)('$name: the library\'s Error, lowercase first, no trailing period, no undefined or [object Object]', ({ act }) => {
    const error = thrown(act);
    expect({
      // a plain Error, or the construct's error that names its construct (aws-cdk-lib's ValidationError)
      libraryError: error.constructor === Error || error.name === 'S3PrivateAccessValidation',
      lowercaseFirst: /^[a-z]/.test(error.message),
      trailingPeriod: /\.\s*$/.test(error.message),
      undefined: /undefined|\[object Object\]|NaN/.test(error.message),
    }).toEqual({ libraryError: true, lowercaseFirst: true, trailingPeriod: false, undefined: false });
  });

  test.each(rows)('$name: shows the bad value and says what to do', ({ act, shows }) => {
    const error = thrown(act);
    const advice = error.message.slice(error.message.indexOf(':') + 1);
    expect({
      showsValue: shows === undefined || error.message.includes(shows),
      saysWhatToDo: /\b(pass|use|set|select|name|omit|drop|give|import|request|leave|upgrade|report|keep|apply|create|deploy|must be|known ids are)\b/.test(advice),
    }).toEqual({ showsValue: true, saysWhatToDo: true });
  });
});
