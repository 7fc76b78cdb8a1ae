import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ecsNetworkMode } from '../../lib/rules/ecs-network-mode';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { isolatedVpc } from '../helpers/net-fixtures';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest');

function bridgeService(stack: Stack, cluster: ecs.ICluster, networkMode = ecs.NetworkMode.BRIDGE): ecs.Ec2Service {
  const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode });
  taskDefinition.addContainer('app', { image: IMAGE, memoryLimitMiB: 256, environment: { BUCKET_NAME: 'app-data-bucket' } });
  return new ecs.Ec2Service(stack, 'Service', { cluster, taskDefinition });
}

describe('S3PA-EcsNetworkMode', () => {
  test('warns on a bridge-mode service and names the hosts\' subnets and security groups', () => {
    // GIVEN a cluster with EC2 capacity in isolated subnets and a bridge-mode service
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Hosts', { instanceType: new ec2.InstanceType('t3.small'), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    bridgeService(stack, cluster);

    // WHEN
    const findings = summary(findingsOf(stack, ecsNetworkMode));

    // THEN
    expect(findings).toEqual([{
      level: 'warning',
      path: 'Stack/Service/Service',
      message: expect.stringContaining('ECS service Stack/Service/Service runs task definition Stack/Task/Resource in bridge network mode'),
    }]);
    expect(findings[0].message).toContain('subnets Stack/Vpc/isoSubnet1/Subnet');
    expect(findings[0].message).toContain('security groups Stack/Cluster/Hosts/InstanceSecurityGroup/Resource');
  });

  test('warns on a host-mode service too', () => {
    // GIVEN host network mode
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Hosts', { instanceType: new ec2.InstanceType('t3.small'), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    bridgeService(stack, cluster, ecs.NetworkMode.HOST);

    // THEN
    expect(findingsOf(stack, ecsNetworkMode)[0].message).toContain('in host network mode');
  });

  test('reports nothing for an awsvpc (Fargate) service', () => {
    // GIVEN a Fargate service with its own ENIs
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('app', { image: IMAGE });
    new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });

    // THEN
    expect(findingsOf(stack, ecsNetworkMode)).toEqual([]);
  });

  test('cannot judge a bridge-mode service on an imported cluster', () => {
    // GIVEN a cluster not defined in the app: its hosts are unknown
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shared', vpc });
    bridgeService(stack, cluster);

    // THEN a cannot-judge warning naming the cluster
    expect(summary(findingsOf(stack, ecsNetworkMode))).toEqual([{
      level: 'warning', path: 'Stack/Service/Service', message: expect.stringContaining('cannot judge: the container instances'),
    }]);
    expect(findingsOf(stack, ecsNetworkMode)[0].message).toContain('ECS cluster shared (not defined in the app)');
  });
});
