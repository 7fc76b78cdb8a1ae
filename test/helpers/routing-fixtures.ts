import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** A two-AZ VPC with public, `app` (PRIVATE_WITH_EGRESS, one NAT) and `data` (PRIVATE_ISOLATED) subnets. */
export function threeTierVpc(scope: Construct, id = 'Vpc', props: Partial<ec2.VpcProps> = {}): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    ...props,
  });
}

/** A VPC with isolated subnets only (no internet route at all). */
export function isolatedVpc(scope: Construct, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/**
 * The environment the workload fixtures get by default: a bucket name, so the workload uses S3 (the checks judge a
 * workload's path to S3 only when it does). Pass `{}` for a workload that does not use S3.
 */
export const USES_S3_ENV: Record<string, string> = { BUCKET_NAME: 'app-data-bucket' };

/** A Fargate service of one public-registry container in the given subnets (using S3 unless `environment` says otherwise). */
export function fargateService(
  scope: Construct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, id = 'Svc', environment: Record<string, string> = USES_S3_ENV,
): ecs.FargateService {
  const cluster = new ecs.Cluster(scope, `${id}Cluster`, { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(scope, `${id}Task`);
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
    environment,
  });
  return new ecs.FargateService(scope, id, { cluster, taskDefinition, vpcSubnets: subnets });
}

/** A Node.js Lambda function with inline code in the given subnets (using S3 unless `environment` says otherwise). */
export function vpcFunction(
  scope: Construct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, id = 'Fn', environment: Record<string, string> = USES_S3_ENV,
): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    vpc,
    vpcSubnets: subnets,
    environment,
  });
}

/** The construct path of a CDK-made L1 under a construct: `<path>/Resource` style helpers for assertions. */
export function pathOf(c: Construct): string {
  return c.node.defaultChild ? c.node.defaultChild.node.path : c.node.path;
}

