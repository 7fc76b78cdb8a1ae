import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsOwnedBuckets, BucketAccess, EndpointPolicy, EndpointSource, S3PrivateAccess } from '../../lib';
import { construct, describeBadInput, grant, inRegion, isolatedVpc, Row, updater, withBucket } from '../helpers/bad-input';

import { envBoundStack } from '../helpers/s3pa-fixtures';

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

];

describeBadInput('the construct, its grants and endpoint policies', rows);
