import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { privateEcr } from '../../lib/rules/private-ecr';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc } from '../helpers/net-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

function ecrService(stack: Stack, vpc: ec2.IVpc, opts: { awslogs?: boolean; subnets?: ec2.SubnetSelection } = {}): ecs.FargateService {
  const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'app');
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromEcrRepository(repo, 'v1'),
    logging: opts.awslogs ? ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }) : undefined,
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, vpcSubnets: opts.subnets ?? ISOLATED });
}

function endpoints(vpc: ec2.Vpc, ...services: ec2.InterfaceVpcEndpointAwsService[]): void {
  services.forEach((service, i) => vpc.addInterfaceEndpoint(`Ep${i}`, { service, subnets: ISOLATED }));
}

describe('S3PA-PrivateEcr', () => {
  test('fires on a Fargate service with an ECR image in isolated subnets and no ECR endpoints', () => {
    // GIVEN
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    ecrService(stack, vpc);

    // WHEN
    const findings = findingsOf(stack, privateEcr);

    // THEN
    expect(summary(findings)).toEqual([{
      level: 'error',
      path: 'Stack/Service/Service',
      message: expect.stringContaining('in subnets Stack/Vpc/isoSubnet1/Subnet with no internet route, and the VPC lacks the interface endpoints ecr.api, ecr.dkr'),
    }]);
    expect(findings[0].fix).toContain('com.amazonaws.<region>.ecr.dkr');
  });

  test('fires when the awslogs driver is used and the logs endpoint is missing', () => {
    // GIVEN both ECR endpoints but no logs endpoint
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    endpoints(vpc, ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER);
    ecrService(stack, vpc, { awslogs: true });

    // THEN
    const [finding] = summary(findingsOf(stack, privateEcr));
    expect(finding.level).toBe('error');
    expect(finding.message).toMatch(/interface endpoints logs$/);
  });

  test('fires when an endpoint has private DNS disabled', () => {
    // GIVEN ecr.dkr without private DNS
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('Api', { service: ec2.InterfaceVpcEndpointAwsService.ECR, subnets: ISOLATED });
    vpc.addInterfaceEndpoint('Dkr', { service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, subnets: ISOLATED, privateDnsEnabled: false });
    ecrService(stack, vpc);

    // THEN
    expect(findingsOf(stack, privateEcr)[0].message).toContain('ecr.dkr (Stack/Vpc/Dkr/Resource has private DNS disabled)');
  });

  test('passes when ecr.api, ecr.dkr and logs endpoints are in the VPC', () => {
    // GIVEN all three endpoints
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const { ECR, ECR_DOCKER, CLOUDWATCH_LOGS } = ec2.InterfaceVpcEndpointAwsService;
    endpoints(vpc, ECR, ECR_DOCKER, CLOUDWATCH_LOGS);
    ecrService(stack, vpc, { awslogs: true });

    // THEN
    expect(findingsOf(stack, privateEcr)).toEqual([]);
  });

  test('passes subnets with a NAT route', () => {
    // GIVEN a service in private subnets with a NAT gateway
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
    ecrService(stack, vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });

    // THEN
    expect(findingsOf(stack, privateEcr)).toEqual([]);
  });

  test('does not judge a Lambda container image (the Lambda service pulls it outside the VPC)', () => {
    // GIVEN an image function in isolated subnets without endpoints
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    new lambda.DockerImageFunction(stack, 'Fn', {
      vpc,
      vpcSubnets: ISOLATED,
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')),
    });

    // THEN
    expect(findingsOf(stack, privateEcr)).toEqual([]);
  });

  test('cannot judge subnets of an imported VPC', () => {
    // GIVEN a VPC and subnets not defined in the app
    const stack = envStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    ecrService(stack, vpc);

    // THEN
    expect(summary(findingsOf(stack, privateEcr))).toEqual([{
      level: 'warning', path: 'Stack/Service/Service', message: expect.stringContaining('subnet-0123456789abcdef0 (not defined in the app)'),
    }]);
  });

  test('counts a NAT instance as a way out (NatProvider.instanceV2): no finding', () => {
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGatewayProvider: ec2.NatProvider.instanceV2({
        instanceType: new ec2.InstanceType('t4g.nano'),
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
      }),
    });
    ecrService(stack, vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });

    expect(findingsOf(stack, privateEcr)).toEqual([]);
  });

  test('cannot judge a subnet whose way out is a transit gateway (centralized egress): no error', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.isolatedSubnets.forEach((s, i) => new ec2.CfnRoute(stack, `ToHub${i}`, {
      routeTableId: s.routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-0123456789abcdef0',
    }));
    ecrService(stack, vpc);

    const findings = findingsOf(stack, privateEcr);
    expect(summary(findings).map(f => f.level)).toEqual(['warning']);
    expect(findings[0].cannotJudge).toBe(true);
  });
});
