import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { endpointPolicyAwsBuckets } from '../../../lib/rules/policy/endpoint-policy-aws-buckets';
import { endpointPolicyPerimeter } from '../../../lib/rules/policy/endpoint-policy-perimeter';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

/** The seed story: a Fargate service pulling from ECR in isolated subnets, endpoint restricted to the app's bucket. */
function fargateApp(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const data = new s3.Bucket(stack, 'Data');
  endpoint.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: [data.bucketArn, data.arnForObjects('*')],
  }));
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')) });
  new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });
  return { vpc, endpoint };
}

describe('S3PA-EndpointPolicyAwsBuckets', () => {
  test('fires when a restricted endpoint policy leaves out the ECR layer bucket of an ECS service', () => {
    // GIVEN
    const stack = envStack();
    fargateApp(stack);

    // WHEN
    const findings = findingsOf(stack, endpointPolicyAwsBuckets);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].message).toContain('not on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/* (ECR image layers');
    expect(findings[0].message).toContain('which Stack/Service/Service needs');
    expect(findings[0].fix).toContain('AwsOwnedBuckets.ECR_LAYERS');
  });

  test('is quiet for a Lambda function with an ECR image behind the same endpoint: the Lambda service pulls it', () => {
    // GIVEN the twin of the test above with a container-image function instead of the ECS service
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const data = new s3.Bucket(stack, 'Data');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: [data.bucketArn, data.arnForObjects('*')],
    }));
    const fn = new lambda.DockerImageFunction(stack, 'Fn', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')),
      vpc,
    });
    data.grantRead(fn);

    // THEN
    expect(findingsOf(stack, endpointPolicyAwsBuckets)).toEqual([]);
  });

  test('warns for the Amazon Linux 2023 repository and SSM buckets of an SSM-managed instance that may not install packages', () => {
    // GIVEN
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::aws-ssm-eu-west-1/*'],
    }));
    new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(), ssmSessionPermissions: true,
    });

    // WHEN
    const found = summary(findingsOf(stack, endpointPolicyAwsBuckets));

    // THEN
    expect(found.map(f => f.level)).toEqual(['warning', 'warning']);
    expect(found[0].message).toContain('not on arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/* (the Amazon Linux 2023 package repository');
    expect(found[1].message).toContain('not on arn:aws:s3:::amazon-ssm-eu-west-1/* (SSM Agent');
  });

  test('fires for the Amazon Linux 2023 repository when the instance\'s user data installs packages', () => {
    // GIVEN the twin of the test above whose user data runs dnf
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::aws-ssm-eu-west-1/*'],
    }));
    const host = new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(), ssmSessionPermissions: true,
    });
    host.userData.addCommands('dnf install -y httpd');

    // THEN
    const found = summary(findingsOf(stack, endpointPolicyAwsBuckets));
    expect(found.map(f => [f.level, f.message.includes('al2023-repos')])).toEqual([['error', true], ['warning', false]]);
  });

  test('is quiet when the endpoint policy adds the ECR layer bucket', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint } = fargateApp(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'],
    }));

    // WHEN / THEN
    expect(findingsOf(stack, endpointPolicyAwsBuckets)).toEqual([]);
  });

  test('leaves a layer allowance broken only by a perimeter condition to S3PA-EndpointPolicyPerimeter', () => {
    // GIVEN: layer downloads are not signed by the workload's account
    const stack = envStack();
    const { endpoint } = fargateApp(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    }));

    // WHEN
    const findings = summary(findingsOf(stack, endpointPolicyAwsBuckets));
    const perimeter = summary(findingsOf(stack, endpointPolicyPerimeter));

    // THEN one finding, the perimeter rule's
    expect(findings).toEqual([]);
    expect(perimeter).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' })]);
  });

  test('is quiet for an endpoint policy that allows any bucket', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint } = fargateApp(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['*'] }));

    // WHEN / THEN
    expect(findingsOf(stack, endpointPolicyAwsBuckets)).toEqual([]);
  });

  test('cannot judge in an environment-agnostic stack', () => {
    // GIVEN
    const stack = agnosticStack();
    fargateApp(stack);

    // WHEN
    const findings = summary(findingsOf(stack, endpointPolicyAwsBuckets));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: .* that Stack\/Service\/Service need: their names depend on the region/);
  });
});
