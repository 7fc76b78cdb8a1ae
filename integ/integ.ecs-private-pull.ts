/**
 * Scenario: a Fargate task in isolated subnets pulls its image from ECR and writes to S3 with no route to the
 * internet: ECR API, ECR Docker and CloudWatch Logs interface endpoints, and the S3 gateway endpoint with a policy
 * restricted to the workload's bucket plus the ECR layer bucket (`AwsOwnedBuckets.ECR_LAYERS`), without which
 * the image pull fails with "CannotPullContainerError".
 *
 * Proves on the deployed stack: `ECS.runTask` starts the task (the assertion provider passes the task and execution
 * roles), and a function in the same isolated subnets then finds the object the task wrote (retried up to 10 minutes
 * with `waitForAssertions`, covering image pull and start). The object can only exist if the pull (ECR layers through
 * the restricted endpoint policy), the log stream (Logs endpoint) and the write (bucket through the endpoint) all
 * worked.
 *
 * Workflow choices: `stackUpdateWorkflow: false`: the scenario is slow (image build and push, interface endpoints)
 * and the update path adds nothing the isolated-lambda scenario does not cover. Deploying needs Docker (the image is
 * built from integ/support/task-image and pushed to the bootstrap ECR repository); synth does not. The image is built
 * for linux/amd64, matching the task's runtime platform, also on arm64 machines.
 */
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsOwnedBuckets, BucketAccess, EndpointPolicy, S3PrivateAccess } from '../lib';
import { expectRead } from './support/assertions';
import { autoDeleteObjectsRoleArn } from './support/auto-delete-role';
import { S3ProbeFunction } from './support/probe-function';

const app = new App();
const stack = new Stack(app, 'S3paEcsPrivatePull');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
for (const [id, service] of [
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
] as const) {
  vpc.addInterfaceEndpoint(id, { service, subnets: isolated, privateDnsEnabled: true });
}

const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});

const access = new S3PrivateAccess(stack, 'S3Access', {
  vpc,
  buckets: [bucket],
  endpointPolicy: EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS] }),
  exemptPrincipalArns: [autoDeleteObjectsRoleArn(bucket)],
});

const key = 'ecs/integ.txt';
const body = 'written by a Fargate task in an isolated subnet';

const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const taskRole = S3PrivateAccess.taskRole(stack, 'TaskRole', {
  grants: [{ bucket, access: BucketAccess.WRITE, prefix: 'ecs/' }],
});
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', {
  cpu: 256,
  memoryLimitMiB: 512,
  taskRole,
  runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
});
taskDefinition.addContainer('Writer', {
  image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'support', 'task-image'), { platform: Platform.LINUX_AMD64 }),
  environment: { BUCKET_NAME: bucket.bucketName, OBJECT_KEY: key, OBJECT_BODY: body, AWS_REGION: stack.region },
  logging: ecs.LogDrivers.awsLogs({
    streamPrefix: 'writer',
    logGroup: new logs.LogGroup(stack, 'TaskLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }),
  }),
});
const taskSg = new ec2.SecurityGroup(stack, 'TaskSg', { vpc, description: 'the writer task' });

const reader = new S3ProbeFunction(stack, 'Reader', { bucket, vpc });
access.grantRead(reader.function, bucket, { prefix: 'ecs/' });

const integ = new IntegTest(app, 'EcsPrivatePull', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

const runTask = integ.assertions.awsApiCall('ECS', 'runTask', {
  cluster: cluster.clusterArn,
  taskDefinition: taskDefinition.taskDefinitionArn,
  launchType: 'FARGATE',
  count: 1,
  networkConfiguration: {
    awsvpcConfiguration: {
      subnets: vpc.isolatedSubnets.map((s) => s.subnetId),
      securityGroups: [taskSg.securityGroupId],
      assignPublicIp: 'DISABLED',
    },
  },
});
runTask.provider.addToRolePolicy({
  Effect: 'Allow',
  Action: ['iam:PassRole'],
  Resource: [taskRole.roleArn, taskDefinition.obtainExecutionRole().roleArn],
});
// the whole RunTask answer can exceed the 4 KB a custom resource may return: assert on one flattened path
runTask.assertAtPath('tasks.0.launchType', ExpectedResult.stringLikeRegexp('^FARGATE$'));

runTask.next(expectRead(integ.assertions, reader.function, key, body)
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) }));
