import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { AwsOwnedBuckets, BucketRestriction, EndpointPolicy, EndpointSource, S3PrivateAccess } from '../../../lib';
import { compliantVpc, envBoundStack } from '../../helpers/s3pa-fixtures';

/** The props space of S3PrivateAccess as plain data, so fast-check can generate and shrink it. */
export interface Scenario {
  readonly env: 'bound' | 'agnostic';
  readonly vpc: 'created' | 'imported-with-route-tables' | 'imported-without-route-tables';
  /** subnet types of a created VPC */
  readonly subnetTypes: ec2.SubnetType[];
  /** undefined: the default selection */
  readonly subnets?: Array<{ readonly subnetType?: ec2.SubnetType; readonly subnetGroupName?: string }>;
  readonly buckets: Array<{ readonly imported: boolean; readonly kms: boolean; readonly autoDelete: boolean }>;
  readonly restriction: 'endpoint' | 'vpc' | 'none';
  readonly endpointPolicy: 'full' | 'restricted' | 'restricted-with-aws-owned';
  readonly adoptedEndpoint: boolean;
  /**
   * An S3 gateway endpoint the app already has in a created VPC: from `gatewayEndpoints`, from `addGatewayEndpoint`
   * (both on every subnet), or from a second S3PrivateAccess on the same VPC built after the first
   */
  readonly vpcEndpoint: 'none' | 'gateway-endpoints' | 'add-gateway-endpoint' | 'second-construct';
  readonly exemptions: string[];
  readonly nacls: Array<'created' | 'imported'>;
  readonly securityGroups: Array<'created-restricted' | 'created-open' | 'imported'>;
  readonly workload: boolean;
}

export const VALID_EXEMPTIONS = [
  'arn:aws:iam::111111111111:role/admin',
  'arn:aws:iam::111111111111:role/admin-*',
  'arn:aws:iam::222222222222:user/ops',
];
export const INVALID_EXEMPTIONS = [
  '*',
  'arn:aws:iam::*:role/admin',
  'arn:aws:iam::111111111111:role/*',
  'arn:aws:iam::111111111111:*',
  'arn:*:iam::111111111111:role/admin',
];

const TYPES = [ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_WITH_EGRESS, ec2.SubnetType.PRIVATE_ISOLATED];

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  env: fc.constantFrom<'bound' | 'agnostic'>('bound', 'bound', 'agnostic'),
  vpc: fc.constantFrom<Scenario['vpc']>('created', 'created', 'created', 'imported-with-route-tables', 'imported-without-route-tables'),
  subnetTypes: fc.subarray(TYPES, { minLength: 1 })
    // CDK needs a public subnet for the NAT gateway of PRIVATE_WITH_EGRESS subnets
    .map((types) => types.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) && !types.includes(ec2.SubnetType.PUBLIC)
      ? [ec2.SubnetType.PUBLIC, ...types]
      : types),
  subnets: fc.option(fc.array(fc.oneof(
    fc.record({ subnetType: fc.constantFrom(...TYPES) }),
    fc.record({ subnetGroupName: fc.constantFrom('Public', 'Private', 'Isolated') }),
  ), { maxLength: 2 }), { nil: undefined, freq: 2 }),
  buckets: fc.array(fc.record({ imported: fc.boolean(), kms: fc.boolean(), autoDelete: fc.boolean() }), { maxLength: 3 }),
  restriction: fc.constantFrom<Scenario['restriction']>('endpoint', 'vpc', 'none'),
  endpointPolicy: fc.constantFrom<Scenario['endpointPolicy']>('full', 'restricted', 'restricted-with-aws-owned'),
  adoptedEndpoint: fc.boolean(),
  vpcEndpoint: fc.constantFrom<Scenario['vpcEndpoint']>('none', 'none', 'none', 'gateway-endpoints', 'add-gateway-endpoint', 'second-construct'),
  exemptions: fc.array(fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...VALID_EXEMPTIONS) },
    { weight: 1, arbitrary: fc.constantFrom(...INVALID_EXEMPTIONS) },
  ), { maxLength: 2 }),
  nacls: fc.array(fc.constantFrom<'created' | 'imported'>('created', 'imported'), { maxLength: 2 }),
  securityGroups: fc.array(fc.constantFrom<Scenario['securityGroups'][number]>('created-restricted', 'created-open', 'imported'), { maxLength: 2 }),
  workload: fc.boolean(),
});

/** The subnet types the VPC of the scenario has (an imported VPC has isolated subnets only). */
function typesOf(s: Scenario): ec2.SubnetType[] {
  return s.vpc === 'created' ? s.subnetTypes : [ec2.SubnetType.PRIVATE_ISOLATED];
}

const GROUP_OF: Record<string, ec2.SubnetType> = {
  Public: ec2.SubnetType.PUBLIC, Private: ec2.SubnetType.PRIVATE_WITH_EGRESS, Isolated: ec2.SubnetType.PRIVATE_ISOLATED,
};

/**
 * Why the construct must refuse the scenario: empty when it must build. Selections of subnets the VPC lacks are
 * refused by CDK's own `selectSubnets` (wrapped by the construct), and count as a reason too.
 */
export function reasonsToThrow(s: Scenario): string[] {
  const reasons: string[] = [];
  const types = typesOf(s);
  const selected = s.subnets === undefined
    ? types.filter((t) => t !== ec2.SubnetType.PUBLIC)
    : s.subnets.map((sel) => sel.subnetType ?? GROUP_OF[sel.subnetGroupName!]);
  if (s.subnets?.some((sel) => sel.subnetType === ec2.SubnetType.PUBLIC)) reasons.push('public subnet type selected');
  if (s.subnets?.some((sel) => sel.subnetGroupName && !types.includes(GROUP_OF[sel.subnetGroupName]))) reasons.push('subnet group the vpc lacks');
  if (s.subnets?.some((sel) => sel.subnetType && sel.subnetType !== ec2.SubnetType.PUBLIC && !types.includes(sel.subnetType))) reasons.push('subnet type the vpc lacks');
  if (selected.includes(ec2.SubnetType.PUBLIC)) reasons.push('public subnets selected');
  if (selected.length === 0) reasons.push('empty selection');
  if (s.vpc === 'imported-without-route-tables') reasons.push('no route table known');
  if (s.exemptions.some((e) => INVALID_EXEMPTIONS.includes(e))) reasons.push('wildcard exemption');
  if (s.endpointPolicy !== 'full' && s.buckets.length === 0) reasons.push('restricted endpoint policy without buckets');
  if (s.adoptedEndpoint && vpcEndpointOf(s) !== 'none' && vpcEndpointOf(s) !== 'second-construct' && selected.length > 0) {
    reasons.push('adopted endpoint on route tables the vpc\'s own S3 endpoint serves');
  }
  return reasons;
}

/** The VPC's own S3 endpoint: only a created VPC has one. */
function vpcEndpointOf(s: Scenario): Scenario['vpcEndpoint'] {
  return s.vpc === 'created' ? s.vpcEndpoint : 'none';
}

/** What a built scenario exposes to the checks. */
export interface Built {
  readonly scenario: Scenario;
  readonly app: App;
  readonly stack: Stack;
  readonly access: S3PrivateAccess;
  /** the second S3PrivateAccess on the same VPC, for `vpcEndpoint: 'second-construct'` */
  readonly second?: S3PrivateAccess;
  readonly createdBuckets: s3.Bucket[];
  readonly createdAcls: ec2.NetworkAcl[];
  readonly grantee?: iam.IGrantable;
}

/** Builds the scenario's app; throws what the library throws. */
export function build(s: Scenario): Built {
  const { app, stack } = s.env === 'bound' ? envBoundStack() : (() => {
    const a = new App();
    return { app: a, stack: new Stack(a, 'Stack') };
  })();
  const vpc: ec2.IVpc = s.vpc === 'created'
    ? compliantVpc(stack, 'Vpc', s.subnetTypes, vpcEndpointOf(s) === 'gateway-endpoints' ? { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } } : undefined)
    : ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      isolatedSubnetRouteTableIds: s.vpc === 'imported-with-route-tables' ? ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'] : undefined,
    });
  if (vpcEndpointOf(s) === 'add-gateway-endpoint') {
    (vpc as ec2.Vpc).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  }
  const createdBuckets: s3.Bucket[] = [];
  const buckets: s3.IBucket[] = s.buckets.map((b, i) => {
    if (b.imported) {
      return s3.Bucket.fromBucketName(stack, `Imported${i}`, `imported-bucket-${i}`);
    }
    const bucket = new s3.Bucket(stack, `Bucket${i}`, {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryptionKey: b.kms ? new kms.Key(stack, `Key${i}`, { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }) : undefined,
      encryption: b.kms ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      autoDeleteObjects: b.autoDelete,
      removalPolicy: b.autoDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    createdBuckets.push(bucket);
    return bucket;
  });
  const workloadType = s.subnets === undefined && s.vpc === 'created'
    ? [ec2.SubnetType.PRIVATE_ISOLATED, ec2.SubnetType.PRIVATE_WITH_EGRESS].find((t) => s.subnetTypes.includes(t))
    : undefined;
  const createdAcls = s.nacls.flatMap((kind, i) => kind === 'created'
    ? [new ec2.NetworkAcl(stack, `Acl${i}`, { vpc, subnetSelection: i === 0 && workloadType ? { subnetType: workloadType } : undefined })]
    : []);
  const acls: ec2.INetworkAcl[] = s.nacls.map((kind, i) => kind === 'created'
    ? createdAcls.find((a) => a.node.id === `Acl${i}`)!
    : ec2.NetworkAcl.fromNetworkAclId(stack, `ImportedAcl${i}`, `acl-0123456789abcdef${i}`));
  const sgs: ec2.ISecurityGroup[] = s.securityGroups.map((kind, i) => kind === 'imported'
    ? ec2.SecurityGroup.fromSecurityGroupId(stack, `ImportedSg${i}`, `sg-0123456789abcdef${i}`, { allowAllOutbound: false })
    : new ec2.SecurityGroup(stack, `Sg${i}`, { vpc, allowAllOutbound: kind === 'created-open' }));
  const endpointPolicy = s.endpointPolicy === 'full'
    ? EndpointPolicy.fullAccess()
    : EndpointPolicy.restrictToBuckets(buckets, {
      allowAwsOwnedBuckets: s.endpointPolicy === 'restricted-with-aws-owned' ? [AwsOwnedBuckets.ECR_LAYERS, AwsOwnedBuckets.SSM] : undefined,
    });
  const access = new S3PrivateAccess(stack, 'S3', {
    vpc,
    subnets: s.subnets,
    buckets,
    bucketRestriction: { endpoint: BucketRestriction.toEndpoint(), vpc: BucketRestriction.toVpc(), none: BucketRestriction.none() }[s.restriction],
    endpointPolicy,
    endpoint: s.adoptedEndpoint
      ? EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0'))
      : undefined,
    exemptPrincipalArns: s.exemptions,
    networkAcls: acls,
    securityGroups: sgs,
  });
  const second = vpcEndpointOf(s) === 'second-construct'
    ? new S3PrivateAccess(stack, 'S3Second', {
      vpc,
      buckets,
      bucketRestriction: { endpoint: BucketRestriction.toEndpoint(), vpc: BucketRestriction.toVpc(), none: BucketRestriction.none() }[s.restriction],
      // no endpoint given: the first construct's (created or adopted) must be found and reused
      subnets: s.subnets,
    })
    : undefined;
  let grantee: iam.IGrantable | undefined;
  if (s.workload && workloadType) {
    const sg = sgs.find((g) => g instanceof ec2.SecurityGroup);
    grantee = new lambda.Function(stack, 'Fn', {
      vpc,
      vpcSubnets: { subnetType: workloadType },
      securityGroups: sg ? [sg] : undefined,
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    if (!sg) access.allowFrom(grantee as lambda.Function);
  } else if (s.workload) {
    grantee = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  }
  if (grantee) {
    buckets.forEach((bucket, i) => (i % 2 === 0
      ? access.grantReadWrite(grantee!, bucket, { prefix: `in${i}/` })
      : access.grantRead(grantee!, bucket)));
  }
  return { scenario: s, app, stack, access, second, createdBuckets, createdAcls, grantee };
}

/**
 * Scenarios the construct must build: the generated props with every bad part replaced by a good one (valid
 * exemptions only, a private subnet to route, route tables for an imported VPC, buckets for a
 * restricted endpoint policy), so properties about built apps waste no runs on refused props.
 */
export const buildableArb: fc.Arbitrary<Scenario> = scenarioArb.map((s) => {
  const subnetTypes = s.subnetTypes.some((t) => t !== ec2.SubnetType.PUBLIC) ? s.subnetTypes : [...s.subnetTypes, ec2.SubnetType.PRIVATE_ISOLATED];
  return {
    ...s,
    vpc: s.vpc === 'imported-without-route-tables' ? 'imported-with-route-tables' as const : s.vpc,
    subnetTypes,
    subnets: undefined,
    exemptions: s.exemptions.filter((e) => !INVALID_EXEMPTIONS.includes(e)),
    endpointPolicy: s.buckets.length === 0 ? 'full' as const : s.endpointPolicy,
  };
}).filter((s) => reasonsToThrow(s).length === 0);
