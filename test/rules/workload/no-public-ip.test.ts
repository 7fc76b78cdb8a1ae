import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { noPublicIp } from '../../../lib/rules/workload/no-public-ip';
import { envStack, findingsOf, summary } from '../../helpers/checks';

const PUBLIC = { subnetType: ec2.SubnetType.PUBLIC };

function publicVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] });
}

function service(stack: Stack, vpc: ec2.IVpc, props: Partial<ecs.FargateServiceProps> = {}, image?: ecs.ContainerImage): ecs.FargateService {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: image ?? ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, vpcSubnets: PUBLIC, ...props });
}

describe('S3PA-NoPublicIp', () => {
  test('warns on a Fargate service without a public IP in a public subnet', () => {
    // GIVEN the CDK default assignPublicIp: false, in public subnets
    const stack = envStack();
    service(stack, publicVpc(stack));

    // WHEN
    const findings = summary(findingsOf(stack, noPublicIp));

    // THEN
    expect(findings).toEqual([{
      level: 'warning',
      path: 'Stack/Service/Service',
      message: expect.stringContaining('has AssignPublicIp DISABLED in subnets Stack/Vpc/pubSubnet1/Subnet whose only egress is an internet gateway'),
    }]);
  });

  test('passes a Fargate service with a public IP', () => {
    // GIVEN assignPublicIp: true
    const stack = envStack();
    service(stack, publicVpc(stack), { assignPublicIp: true });

    // THEN
    expect(findingsOf(stack, noPublicIp)).toEqual([]);
  });

  test('passes an ECR image when the VPC has the ECR interface endpoints', () => {
    // GIVEN ecr.api and ecr.dkr endpoints
    const stack = envStack();
    const vpc = publicVpc(stack);
    vpc.addInterfaceEndpoint('Api', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
    vpc.addInterfaceEndpoint('Dkr', { service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER });
    service(stack, vpc, {}, ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')));

    // THEN
    expect(findingsOf(stack, noPublicIp)).toEqual([]);
  });

  test('passes a private subnet with NAT', () => {
    // GIVEN private subnets with a NAT gateway
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
    service(stack, vpc, { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });

    // THEN
    expect(findingsOf(stack, noPublicIp)).toEqual([]);
  });

  test('cannot judge subnets of an imported VPC', () => {
    // GIVEN subnets not defined in the app
    const stack = envStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-0123456789abcdef0'],
    });
    service(stack, vpc);

    // THEN
    expect(summary(findingsOf(stack, noPublicIp))).toEqual([{
      level: 'warning', path: 'Stack/Service/Service', message: expect.stringContaining('cannot judge: the egress of Fargate service'),
    }]);
  });
});
