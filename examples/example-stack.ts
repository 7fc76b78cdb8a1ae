import { CustomResource, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AwsOwnedBuckets, EndpointPolicy, S3PrivateAccess } from '../lib';

/** The faults the example can plant, each caught by a rule of the catalog. */
export const FAULTS = [
  'route-not-associated',
  'source-ip-private',
  'nacl-ephemeral',
  'ecr-layers',
  'custom-resource-response',
  'set-operator-single-valued',
  'interface-vpce-only',
  'access-point-other-vpc',
];

export interface ExampleStackProps extends StackProps {
  /** A fault from {@link FAULTS} to plant, or none. */
  readonly fault?: string;
  /** Whether S3PrivateAccess turns its checks on for the stack (default true). */
  readonly checks?: boolean;
}

/** A VPC with two tiers of private subnets, a bucket, and a function that reaches the bucket only privately. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);
    const fault = props.fault;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'the access-log bucket itself: logging it to itself would loop',
    });
    const bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new iam.Role(this, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const fn = new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
      vpc,
      vpcSubnets: { subnetGroupName: 'app' },
      // no egress but what S3PrivateAccess opens: HTTPS to the S3 prefix list
      securityGroups: [new ec2.SecurityGroup(this, 'WorkerSg', { vpc, allowAllOutbound: false })],
      allowPublicSubnet: false,
      timeout: Duration.seconds(10),
      role,
      logGroup: new logs.LogGroup(this, 'WorkerLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      environment: { BUCKET: bucket.bucketName },
    });

    const access = new S3PrivateAccess(this, 'S3Access', {
      vpc,
      // the fault: only the data tier is routed to the endpoint, the function's app tier is not
      subnets: fault === 'route-not-associated' ? [{ subnetGroupName: 'data' }] : undefined,
      buckets: [bucket],
      checks: props.checks,
      endpointPolicy: EndpointPolicy.restrictToBuckets([bucket], {
        allowAwsOwnedBuckets: fault === 'ecr-layers' ? [] : [AwsOwnedBuckets.ECR_LAYERS],
      }),
    });
    access.allowFrom(fn);
    // the grant acknowledges cdk-nag's IAM5 finding for its `work/*` object ARN on the role, with the reason
    access.grantReadWrite(fn, bucket, { prefix: 'work/' });

    plantFault(this, fault, { vpc, bucket, worker: fn });
  }
}

function plantFault(stack: Stack, fault: string | undefined, ctx: { vpc: ec2.Vpc; bucket: s3.Bucket; worker: lambda.Function }): void {
  if (fault === 'source-ip-private') {
    // aws:SourceIp never sees private addresses: requests through a gateway endpoint carry them
    ctx.bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [ctx.bucket.arnForObjects('*')],
      conditions: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
    }));
  }
  if (fault === 'nacl-ephemeral') {
    // a custom ACL on the app tier that allows 443 out but not the return traffic
    const acl = new ec2.NetworkAcl(stack, 'AppAcl', { vpc: ctx.vpc, subnetSelection: { subnetGroupName: 'app' } });
    acl.addEntry('HttpsOut', {
      ruleNumber: 100,
      cidr: ec2.AclCidr.anyIpv4(),
      traffic: ec2.AclTraffic.tcpPort(443),
      direction: ec2.TrafficDirection.EGRESS,
    });
  }
  if (fault === 'custom-resource-response') plantCustomResourceInVpc(stack, ctx.vpc);
  if (fault === 'set-operator-single-valued') plantSetOperatorDeny(ctx.bucket, ctx.vpc);
  if (fault === 'interface-vpce-only') {
    // an S3 interface endpoint for on-premises clients, and a bucket policy that requires it: the function's
    // requests take the gateway endpoint (its subnets' route), carry the gateway's id, and get 403
    const remote = ctx.vpc.addInterfaceEndpoint('S3Remote', {
      service: ec2.InterfaceVpcEndpointAwsService.S3,
      privateDnsEnabled: false,
      subnets: { subnetGroupName: 'data' },
    });
    ctx.bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [ctx.bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': remote.vpcEndpointId },
        ArnNotLike: { 'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/cdk-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
  }
  if (fault === 'access-point-other-vpc') {
    // an access point whose network origin is a partner VPC: the function, in the app's VPC, reads through it and
    // gets 403 (S3 accepts requests to it only from the partner VPC)
    const partner = new ec2.Vpc(stack, 'PartnerVpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'partner', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    const reports = new s3.CfnAccessPoint(stack, 'PartnerReports', {
      bucket: ctx.bucket.bucketName,
      name: 'partner-reports',
      vpcConfiguration: { vpcId: partner.vpcId },
    });
    ctx.worker.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [`${reports.attrArn}/object/reports/latest.json`],
    }));
  }
  if (fault === 'ecr-layers') {
    // Fargate tasks pulling from private ECR through the endpoints, but the endpoint policy lacks the layer bucket
    ctx.vpc.addInterfaceEndpoint('EcrApi', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
    ctx.vpc.addInterfaceEndpoint('EcrDkr', { service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: ctx.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', {
      image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')),
    });
    new ecs.FargateService(stack, 'Service', {
      cluster,
      taskDefinition: task,
      vpcSubnets: { subnetGroupName: 'app' },
    });
  }
}

/**
 * A custom resource answered from the app tier: its function's response to CloudFormation is a PUT to CloudFormation's
 * response bucket, which the restricted endpoint policy does not list (AwsOwnedBuckets.CLOUDFORMATION_RESPONSES).
 */
function plantCustomResourceInVpc(stack: Stack, vpc: ec2.Vpc): void {
  const handler = new lambda.Function(stack, 'SeedHandler', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ PhysicalResourceId: "seed" });'),
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    allowPublicSubnet: false,
    logGroup: new logs.LogGroup(stack, 'SeedHandlerLogs', { retention: logs.RetentionDays.ONE_MONTH }),
  });
  new CustomResource(stack, 'Seed', { serviceToken: handler.functionArn });
}

/**
 * A perimeter Deny written with a set operator: ForAnyValue: is false on a request without aws:SourceVpc, so requests
 * that come through no endpoint are not denied (the plain StringNotEquals would deny them). The function's requests
 * through the endpoint still pass: the fault is the hole, not a 403.
 */
function plantSetOperatorDeny(bucket: s3.Bucket, vpc: ec2.Vpc): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { 'ForAnyValue:StringNotEquals': { 'aws:SourceVpc': vpc.vpcId } },
  }));
}
