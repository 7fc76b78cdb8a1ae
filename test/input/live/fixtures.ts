/**
 * A deployed account as the AWS APIs describe it (response shapes of the SDK v3 clients), served through
 * aws-sdk-client-mock, so `readLiveStacks` runs with no network and no credentials.
 */
import {
  DescribeDhcpOptionsCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand, DescribeNetworkAclsCommand,
  DescribePrefixListsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand,
  DescribeVpcAttributeCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand, DhcpOptions, EC2Client, Instance,
  NetworkAcl, PrefixList, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  AttachedPolicy, GetInstanceProfileCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand,
  GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  CORSRule, GetBucketCorsCommand, GetBucketEncryptionCommand, GetBucketLocationCommand, GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand, GetPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { LiveOptions } from '../../../lib/input/live';
import { loadSdkModules } from '../../../lib/input/live/sdk';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111111111111';
export const VPC = 'vpc-0a1b2c3d4e5f60001';
export const SUBNET_A = 'subnet-0a1b2c3d4e5f6000a';
export const SUBNET_B = 'subnet-0a1b2c3d4e5f6000b';
export const RTB_MAIN = 'rtb-0a1b2c3d4e5f60000';
export const RTB_A = 'rtb-0a1b2c3d4e5f6000a';
export const RTB_B = 'rtb-0a1b2c3d4e5f6000b';
export const VPCE = 'vpce-0a1b2c3d4e5f60001';
export const SG = 'sg-0a1b2c3d4e5f60001';
export const ACL = 'acl-0a1b2c3d4e5f60001';
export const S3_PL = 'pl-6da54004';
export const INSTANCE = 'i-0a1b2c3d4e5f60001';
export const BUCKET = 'app-data-bucket';
export const ROLE = 'app-role';
export const PROFILE = 'app-profile';
export const MANAGED_ARN = `arn:aws:iam::${ACCOUNT}:policy/app-reports-read`;

const FULL_ACCESS = { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };

/** IAM returns policy documents URL-encoded. */
const iamDoc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

/** Everything the mocked account answers; tests change parts of it to plant a fault. */
export interface AccountState {
  vpcs: Vpc[];
  dns: { support: boolean; hostnames: boolean };
  dhcpOptions: DhcpOptions[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  endpoints: VpcEndpoint[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  prefixLists: PrefixList[];
  instances: Instance[];
  /** Bucket name → its S3 answers (`policy` undefined: NoSuchBucketPolicy). */
  buckets: Record<string, { location?: string; policy?: unknown; cors?: CORSRule[] }>;
  /** Role name → trust, inline policies (name → document) and attached managed policy ARNs. */
  roles: Record<string, { trust: unknown; inline: Record<string, unknown>; attached: string[] }>;
  managedPolicies: Record<string, unknown>;
  /** S3 Control `ListAccessPoints` answers. */
  accessPoints: Array<{ Name: string; Bucket: string; NetworkOrigin: 'VPC' | 'Internet'; VpcConfiguration?: { VpcId: string }; AccessPointArn?: string }>;
}

/** A working private path: isolated subnets routed to the S3 gateway endpoint, 443 egress to the S3 list, default ACL. */
export function workingAccount(): AccountState {
  const rtRoutes = [
    { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const },
    { DestinationPrefixListId: S3_PL, GatewayId: VPCE, Origin: 'CreateRoute' as const, State: 'active' as const },
  ];
  return {
    vpcs: [{ VpcId: VPC, OwnerId: ACCOUNT, CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-0a1b2c3d4e5f60001', State: 'available', IsDefault: false }],
    dns: { support: true, hostnames: true },
    dhcpOptions: [{
      DhcpOptionsId: 'dopt-0a1b2c3d4e5f60001',
      OwnerId: ACCOUNT,
      DhcpConfigurations: [
        { Key: 'domain-name', Values: [{ Value: 'eu-west-1.compute.internal' }] },
        { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
      ],
    }],
    subnets: [SUBNET_A, SUBNET_B].map((SubnetId, i) => ({
      SubnetId,
      VpcId: VPC,
      CidrBlock: `10.0.${i}.0/24`,
      AvailabilityZone: `eu-west-1${'ab'[i]}`,
      State: 'available',
      MapPublicIpOnLaunch: false,
      Ipv6Native: false,
      OwnerId: ACCOUNT,
    })),
    routeTables: [
      {
        RouteTableId: RTB_MAIN,
        VpcId: VPC,
        OwnerId: ACCOUNT,
        Routes: [rtRoutes[0]],
        Associations: [{ Main: true, RouteTableAssociationId: 'rtbassoc-0a1b2c3d4e5f60000', RouteTableId: RTB_MAIN, AssociationState: { State: 'associated' } }],
      },
      ...[[RTB_A, SUBNET_A], [RTB_B, SUBNET_B]].map(([RouteTableId, SubnetId]) => ({
        RouteTableId,
        VpcId: VPC,
        OwnerId: ACCOUNT,
        Routes: rtRoutes,
        Associations: [{
          Main: false,
          RouteTableAssociationId: `rtbassoc-${SubnetId.slice(7)}`,
          RouteTableId,
          SubnetId,
          AssociationState: { State: 'associated' as const },
        }],
      })),
    ],
    endpoints: [{
      VpcEndpointId: VPCE,
      VpcEndpointType: 'Gateway',
      VpcId: VPC,
      ServiceName: `com.amazonaws.${REGION}.s3`,
      State: 'Available',
      PolicyDocument: JSON.stringify(FULL_ACCESS),
      RouteTableIds: [RTB_A, RTB_B],
      SubnetIds: [],
      Groups: [],
      IpAddressType: 'ipv4',
      PrivateDnsEnabled: false,
      RequesterManaged: false,
      OwnerId: ACCOUNT,
    }],
    securityGroups: [{
      GroupId: SG,
      GroupName: 'app',
      Description: 'app instances',
      VpcId: VPC,
      OwnerId: ACCOUNT,
      IpPermissions: [],
      IpPermissionsEgress: [{
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [{ PrefixListId: S3_PL, Description: 'S3' }],
      }],
    }],
    networkAcls: [{
      NetworkAclId: ACL,
      VpcId: VPC,
      IsDefault: true,
      OwnerId: ACCOUNT,
      Entries: [
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      ],
      Associations: [SUBNET_A, SUBNET_B].map(SubnetId => ({
        NetworkAclAssociationId: `aclassoc-${SubnetId.slice(7)}`, NetworkAclId: ACL, SubnetId,
      })),
    }],
    prefixLists: [
      { PrefixListId: S3_PL, PrefixListName: `com.amazonaws.${REGION}.s3`, Cidrs: ['52.218.0.0/17', '3.5.64.0/21'] },
      { PrefixListId: 'pl-6fa54006', PrefixListName: `com.amazonaws.${REGION}.dynamodb`, Cidrs: ['52.94.24.0/23'] },
    ],
    instances: [{
      InstanceId: INSTANCE,
      SubnetId: SUBNET_A,
      VpcId: VPC,
      State: { Code: 16, Name: 'running' },
      SecurityGroups: [{ GroupId: SG, GroupName: 'app' }],
      IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`, Id: 'AIPA0000000000000001' },
      MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
      NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0a1b2c3d4e5f60001', SubnetId: SUBNET_A, Groups: [{ GroupId: SG, GroupName: 'app' }] }],
    }],
    buckets: { [BUCKET]: { location: REGION, policy: endpointOnlyPolicy(BUCKET, VPCE) } },
    roles: {
      [ROLE]: {
        trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        inline: {
          data: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
              { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
            ],
          },
        },
        attached: [MANAGED_ARN],
      },
    },
    managedPolicies: {
      [MANAGED_ARN]: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/reports/*` }],
      },
    },
    accessPoints: [],
  };
}

/** The bucket policy this library writes: deny unless through the endpoint, with the lockout exemptions. */
export function endpointOnlyPolicy(bucket: string, vpce: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyUnlessThroughEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: {
        StringNotEquals: { 'aws:SourceVpce': vpce },
        ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`, `arn:aws:iam::${ACCOUNT}:role/Admin`] },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }],
  };
}

/** An S3 / IAM / EC2 service error as the SDK throws it. */
export function serviceError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name} (mocked)`), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

export interface MockedAccount {
  readonly ec2: AwsClientStub<EC2Client>;
  readonly s3: AwsClientStub<S3Client>;
  readonly iam: AwsClientStub<IAMClient>;
  /** The S3 Control commands sent (a hand stub: `@aws-sdk/client-s3control` is an optional package, not installed here). */
  readonly s3control: Array<{ name: string; input: any }>;
  /** Options for `readLiveStacks` with the mocked clients. */
  options(extra?: Partial<LiveOptions>): LiveOptions;
  /** `<service>:<CommandClassName>` of every command sent so far. */
  sent(): string[];
}

/** The command class `readAccessPoints` builds, as `@aws-sdk/client-s3control` exports it. */
class ListAccessPointsCommand {
  constructor(readonly input: unknown) {}
}
const S3CONTROL_MODULE = { ListAccessPointsCommand };

/** Serves the account state through mocked clients (fresh client instances, so tests do not share mocks). */
export function mockAccount(state: AccountState): MockedAccount {
  const ec2Client = new EC2Client({ region: REGION });
  const s3Client = new S3Client({ region: REGION });
  const iamClient = new IAMClient({ region: REGION });
  const ec2 = mockClient(ec2Client);
  const s3 = mockClient(s3Client);
  const iam = mockClient(iamClient);

  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: state.vpcs });
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' }).callsFake(input =>
    ({ VpcId: input.VpcId, EnableDnsSupport: { Value: state.dns.support } }));
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' }).callsFake(input =>
    ({ VpcId: input.VpcId, EnableDnsHostnames: { Value: state.dns.hostnames } }));
  ec2.on(DescribeDhcpOptionsCommand).resolves({ DhcpOptions: state.dhcpOptions });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: state.subnets });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: state.routeTables });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: state.endpoints });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: state.securityGroups });
  ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: state.networkAcls });
  ec2.on(DescribePrefixListsCommand).resolves({ PrefixLists: state.prefixLists });
  ec2.on(DescribeInstancesCommand).callsFake(input => ({
    Reservations: [{ ReservationId: 'r-0a1b2c3d4e5f60001', OwnerId: ACCOUNT, Instances: state.instances.filter(i => input.InstanceIds?.includes(i.InstanceId)) }],
  }));
  ec2.on(DescribeInstanceAttributeCommand).callsFake(input => ({ InstanceId: input.InstanceId, UserData: {} }));

  s3.on(GetBucketLocationCommand).callsFake(input => {
    const b = state.buckets[input.Bucket];
    if (!b) throw serviceError('NoSuchBucket', 404);
    // us-east-1 answers with no location constraint
    return { LocationConstraint: b.location === 'us-east-1' ? undefined : b.location };
  });
  s3.on(GetBucketPolicyCommand).callsFake(input => {
    const b = state.buckets[input.Bucket];
    if (!b?.policy) throw serviceError('NoSuchBucketPolicy', 404);
    return { Policy: JSON.stringify(b.policy) };
  });
  s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
  });
  s3.on(GetBucketCorsCommand).callsFake(input => {
    const rules = state.buckets[input.Bucket]?.cors;
    if (!rules) throw serviceError('NoSuchCORSConfiguration', 404);
    return { CORSRules: rules };
  });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  });

  iam.on(GetInstanceProfileCommand).callsFake(input => ({
    InstanceProfile: {
      InstanceProfileName: input.InstanceProfileName,
      InstanceProfileId: 'AIPA0000000000000001',
      Path: '/',
      CreateDate: new Date(0),
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${input.InstanceProfileName}`,
      Roles: input.InstanceProfileName === PROFILE ? [roleShape(ROLE, state)] : [],
    },
  }));
  iam.on(GetRoleCommand).callsFake(input => {
    if (!state.roles[input.RoleName]) throw serviceError('NoSuchEntity', 404);
    return { Role: roleShape(input.RoleName, state) };
  });
  iam.on(ListRolePoliciesCommand).callsFake(input => ({ PolicyNames: Object.keys(state.roles[input.RoleName]?.inline ?? {}), IsTruncated: false }));
  iam.on(GetRolePolicyCommand).callsFake(input => ({
    RoleName: input.RoleName, PolicyName: input.PolicyName, PolicyDocument: iamDoc(state.roles[input.RoleName].inline[input.PolicyName]),
  }));
  iam.on(ListAttachedRolePoliciesCommand).callsFake(input => ({
    AttachedPolicies: (state.roles[input.RoleName]?.attached ?? []).map((PolicyArn): AttachedPolicy => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
    IsTruncated: false,
  }));
  iam.on(GetPolicyCommand).callsFake(input => ({
    Policy: { Arn: input.PolicyArn, PolicyName: input.PolicyArn.split('/').pop(), DefaultVersionId: 'v3', AttachmentCount: 1, IsAttachable: true },
  }));
  iam.on(GetPolicyVersionCommand).callsFake(input => ({
    PolicyVersion: { VersionId: input.VersionId, IsDefaultVersion: true, Document: iamDoc(state.managedPolicies[input.PolicyArn]) },
  }));

  // S3 Control, served by a hand stub with the SDK's command shape (one page of ListAccessPoints)
  const s3controlCalls: Array<{ name: string; input: any }> = [];
  const s3controlClient = {
    send: async (command: any) => {
      s3controlCalls.push({ name: command.constructor.name, input: command.input });
      if (command.constructor.name !== 'ListAccessPointsCommand') throw new Error(`unexpected ${command.constructor.name}`);
      return { AccessPointList: state.accessPoints };
    },
  };

  return {
    ec2,
    s3,
    iam,
    s3control: s3controlCalls,
    options: extra => ({
      region: REGION,
      vpcIds: [VPC],
      bucketNames: [BUCKET],
      workloads: { instanceIds: [INSTANCE] },
      clients: { ec2: ec2Client, s3: s3Client, iam: iamClient, s3control: s3controlClient },
      modules: { ...loadSdkModules(), s3control: S3CONTROL_MODULE },
      ...extra,
    }),
    sent: () => [
      ...([['ec2', ec2], ['s3', s3], ['iam', iam]] as const).flatMap(([service, stub]) =>
        stub.calls().map(c => `${service}:${(c.args[0] as object).constructor.name}`)),
      ...s3controlCalls.map(c => `s3control:${c.name}`),
    ],
  };
}

function roleShape(name: string, state: AccountState) {
  return {
    RoleName: name,
    RoleId: 'AROA0000000000000001',
    Path: '/',
    CreateDate: new Date(0),
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    AssumeRolePolicyDocument: iamDoc(state.roles[name]?.trust ?? {}),
  };
}
