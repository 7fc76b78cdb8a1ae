import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/** The AMI every instance uses: a literal per region, so no SSM parameter or lookup is involved. */
const MACHINE_IMAGE = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' });
const INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);

/** What a workload exposes to the stack that wires it to S3: its network side and its identity. */
export interface Workload {
  readonly connectable: ec2.IConnectable;
  readonly grantee: iam.IGrantable;
}

/** The kinds of workload the generator cycles through. */
export const WORKLOAD_KINDS = ['lambda', 'fargate', 'instance', 'asg'] as const;
export type WorkloadKind = typeof WORKLOAD_KINDS[number];

/** Shared per-stack context the workload builders need. */
export interface WorkloadContext {
  readonly stack: Stack;
  readonly vpc: ec2.IVpc;
  /** Created on first Fargate service, so stacks without one have no cluster. */
  cluster?: ecs.Cluster;
}

/** A security group that allows no egress but what the S3 wiring adds. */
function closedSecurityGroup(ctx: WorkloadContext, id: string): ec2.SecurityGroup {
  return new ec2.SecurityGroup(ctx.stack, `${id}Sg`, { vpc: ctx.vpc, allowAllOutbound: false });
}

function lambdaWorkload(ctx: WorkloadContext, id: string): Workload {
  const fn = new lambda.Function(ctx.stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    vpc: ctx.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [closedSecurityGroup(ctx, id)],
    timeout: Duration.seconds(10),
    logGroup: new logs.LogGroup(ctx.stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_WEEK }),
  });
  return { connectable: fn, grantee: fn };
}

function fargateWorkload(ctx: WorkloadContext, id: string): Workload {
  ctx.cluster ??= new ecs.Cluster(ctx.stack, 'Cluster', { vpc: ctx.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const task = new ecs.FargateTaskDefinition(ctx.stack, `${id}Task`, { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: id, logRetention: logs.RetentionDays.ONE_WEEK }),
  });
  const service = new ecs.FargateService(ctx.stack, id, {
    cluster: ctx.cluster,
    taskDefinition: task,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [closedSecurityGroup(ctx, id)],
    circuitBreaker: { rollback: true },
    minHealthyPercent: 100,
  });
  return { connectable: service, grantee: task.taskRole };
}

function instanceWorkload(ctx: WorkloadContext, id: string): Workload {
  const instance = new ec2.Instance(ctx.stack, id, {
    vpc: ctx.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: INSTANCE_TYPE,
    machineImage: MACHINE_IMAGE,
    securityGroup: closedSecurityGroup(ctx, id),
    requireImdsv2: true,
  });
  return { connectable: instance, grantee: instance };
}

function asgWorkload(ctx: WorkloadContext, id: string): Workload {
  const role = new iam.Role(ctx.stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const launchTemplate = new ec2.LaunchTemplate(ctx.stack, `${id}Template`, {
    instanceType: INSTANCE_TYPE,
    machineImage: MACHINE_IMAGE,
    securityGroup: closedSecurityGroup(ctx, id),
    role,
    requireImdsv2: true,
  });
  const asg = new autoscaling.AutoScalingGroup(ctx.stack, id, {
    vpc: ctx.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate,
    minCapacity: 1,
    maxCapacity: 2,
  });
  return { connectable: asg, grantee: role };
}

const BUILDERS: Record<WorkloadKind, (ctx: WorkloadContext, id: string) => Workload> = {
  lambda: lambdaWorkload,
  fargate: fargateWorkload,
  instance: instanceWorkload,
  asg: asgWorkload,
};

/** Builds one workload of the given kind in the context's stack and VPC. */
export function addWorkload(ctx: WorkloadContext, kind: WorkloadKind, id: string): Workload {
  return BUILDERS[kind](ctx, id);
}
