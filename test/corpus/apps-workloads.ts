import { App, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { corpusStack, CorpusApp, ISOLATED, nodeFunction, PRIVATE, PUBLIC, threeTier } from './corpus';

/**
 * A web service on Fargate (public image, no bucket), a secret with a rotation function, and a data function that
 * reads a bucket through an S3 gateway endpoint on the isolated tier (the ECS-and-RDS samples' shape).
 */
export const servicesWithoutS3: CorpusApp = {
  name: 'services-without-s3',
  about: 'workloads that never use S3 beside one that does; only the one that does is judged',
  faults: {
    // the data function moves to the NAT tier, which the endpoint does not serve, and its bucket requires the endpoint
    'data-fn-off-endpoint': ['S3PA-RouteNotAssociated'],
    // the data function stays isolated but its tier is left out of the endpoint: no route at all
    'isolated-off-endpoint': ['S3PA-RouteNotAssociated'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Services');
    const vpc = threeTier(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: fault === 'isolated-off-endpoint' ? [PRIVATE] : [ISOLATED],
    });

    // not S3: a public-registry image, no task role grants, tasks in the NAT tier off the endpoint
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'WebTask');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'), portMappings: [{ containerPort: 80 }] });
    new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: task, vpcSubnets: PRIVATE });

    // not S3: a secret-rotation function in the isolated tier with a restricted security group
    const rotationSg = new ec2.SecurityGroup(stack, 'RotationSg', { vpc, allowAllOutbound: false });
    rotationSg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'Secrets Manager interface endpoint');
    const secret = new secrets.Secret(stack, 'DbSecret');
    const rotation = nodeFunction(stack, 'Rotation', { vpc, vpcSubnets: ISOLATED, securityGroups: [rotationSg] });
    secret.grantRead(rotation);
    secret.grantWrite(rotation);

    // S3: the data function
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyOutsideEndpoint',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${stack.account}:role/cdk-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
    const data = nodeFunction(stack, 'DataFn', {
      vpc,
      vpcSubnets: fault === 'data-fn-off-endpoint' ? PRIVATE : ISOLATED,
      environment: { BUCKET: bucket.bucketName },
      timeout: Duration.seconds(30),
    });
    bucket.grantRead(data);
    return app;
  },
};

/**
 * A bastion in a public subnet and private instances behind a NAT instance (NatProvider.instanceV2, fck-nat's
 * pattern), an S3 endpoint for the private tier, and an SSM-managed app instance reading a bucket.
 */
export const natInstanceAndBastion: CorpusApp = {
  name: 'nat-instance-and-bastion',
  about: 'NAT instance and bastion in public subnets reach S3 through the internet gateway; the NAT instance is a way out',
  faults: {
    // the app instance's group allows only the VPC range
    'app-sg-vpc-only': ['S3PA-SgEgress'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Bastion');
    const vpc = threeTier(stack, 'Vpc', {
      natGatewayProvider: ec2.NatProvider.instanceV2({
        instanceType: new ec2.InstanceType('t4g.nano'),
        machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      }),
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE, ISOLATED] });
    new ec2.BastionHostLinux(stack, 'Bastion', { vpc, subnetSelection: PUBLIC });

    const sg = new ec2.SecurityGroup(stack, 'AppSg', { vpc, allowAllOutbound: fault !== 'app-sg-vpc-only' });
    if (fault === 'app-sg-vpc-only') sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
    const instance = new ec2.Instance(stack, 'App', {
      vpc,
      vpcSubnets: PRIVATE,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup: sg,
      ssmSessionPermissions: true,
      requireImdsv2: true,
    });
    new s3.Bucket(stack, 'Artifacts', { enforceSSL: true }).grantRead(instance);
    return app;
  },
};

/**
 * An Amazon Linux instance in an isolated subnet reached through an EC2 Instance Connect endpoint, with no S3 endpoint
 * (aws-samples' ec2-instance-connect-endpoint): it may never call S3, so nothing fails; the faulty twin's user data
 * copies from a bucket.
 */
export const isolatedInstance: CorpusApp = {
  name: 'isolated-instance',
  about: 'an Amazon Linux instance may use S3, so a missing endpoint is a warning until it surely does',
  faults: {
    'user-data-reads-s3': ['S3PA-NoEndpoint'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Eic');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'rds', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const sg = new ec2.SecurityGroup(stack, 'InstanceSg', { vpc });
    new ec2.CfnInstanceConnectEndpoint(stack, 'Eice', { subnetId: vpc.isolatedSubnets[0].subnetId, securityGroupIds: [sg.securityGroupId] });
    const host = new ec2.Instance(stack, 'Instance', {
      vpc,
      vpcSubnets: ISOLATED,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup: sg,
    });
    if (fault === 'user-data-reads-s3') host.userData.addCommands('aws s3 cp s3://corpus-config/app.conf /etc/app.conf');
    return app;
  },
};

/**
 * A bucket that delegates access control to the account's access points (the S3 guide's policy, as aws-samples'
 * s3-object-lambda writes it) on a bucket that blocks public policies.
 */
export const accessPointDelegation: CorpusApp = {
  name: 'access-point-delegation',
  about: 'Principal "*" fixed by s3:DataAccessPointAccount is not public',
  faults: {
    'public-read': ['S3PA-PublicPolicyBlocked'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'AccessPoints');
    const bucket = new s3.Bucket(stack, 'Data', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['*'],
      principals: [new iam.AnyPrincipal()],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      ...(fault === 'public-read' ? {} : { conditions: { StringEquals: { 's3:DataAccessPointAccount': stack.account } } }),
    }));
    new s3.CfnAccessPoint(stack, 'Ap', { bucket: bucket.bucketName });
    return app;
  },
};
