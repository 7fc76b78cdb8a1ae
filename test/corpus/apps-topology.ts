import { App, Aws, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { corpusStack, CorpusApp, ENV, isolatedOnly, ISOLATED, nodeFunction, threeTier } from './corpus';
import { EndpointPolicy, S3PrivateAccess } from '../../lib';

/**
 * An environment-agnostic app of L1 resources only: VPC, subnet, route table, an S3 gateway endpoint named
 * `com.amazonaws.${AWS::Region}.s3`, an interface endpoint for another VPC, and an L1 function with a restricted group.
 */
export const l1Agnostic: CorpusApp = {
  name: 'l1-env-agnostic',
  about: 'L1 resources in an environment-agnostic stack: the S3 endpoints are recognised in every region',
  faults: {
    // 443 egress only to the VPC's own range (written as GetAtt Vpc.CidrBlock)
    'egress-to-vpc-cidr-only': ['S3PA-SgEgress'],
    // the function's subnet's table is not on the endpoint
    'table-not-on-endpoint': ['S3PA-RouteNotAssociated'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'L1', {});
    const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.8.0.0/16', enableDnsSupport: true, enableDnsHostnames: true });
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: vpc.ref, cidrBlock: '10.8.1.0/24', availabilityZone: Fn.select(0, Fn.getAzs()) });
    const rt = new ec2.CfnRouteTable(stack, 'Rt', { vpcId: vpc.ref });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: rt.ref });
    const other = new ec2.CfnRouteTable(stack, 'OtherRt', { vpcId: vpc.ref });
    new ec2.CfnVPCEndpoint(stack, 'S3', {
      vpcId: vpc.ref,
      serviceName: Fn.join('', ['com.amazonaws.', Aws.REGION, '.s3']),
      routeTableIds: [fault === 'table-not-on-endpoint' ? other.ref : rt.ref],
    });
    const sg = new ec2.CfnSecurityGroup(stack, 'Sg', {
      vpcId: vpc.ref,
      groupDescription: 'function',
      securityGroupEgress: [fault === 'egress-to-vpc-cidr-only'
        ? { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: vpc.attrCidrBlock }
        : { ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
    });
    const role = new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      managedPolicyArns: [`arn:${Aws.PARTITION}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`],
      policies: [{
        policyName: 'data',
        policyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:${Aws.PARTITION}:s3:::corpus-data-bucket/*` }] },
      }],
    });
    new lambda.CfnFunction(stack, 'Fn', {
      role: role.attrArn,
      runtime: 'python3.12',
      handler: 'index.handler',
      code: { zipFile: 'def handler(event, context):\n    return {}' },
      vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: [sg.attrGroupId] },
    });
    return app;
  },
};

/** A function in a VPC imported by attributes: nothing about its network is in the app, so nothing can fail. */
export const importedVpc: CorpusApp = {
  name: 'imported-vpc',
  about: 'an imported VPC: cannot-judge warnings, never errors',
  faults: {},
  build() {
    const app = new App();
    const stack = corpusStack(app, 'Imported');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
      privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
    });
    const fn = nodeFunction(stack, 'Fn', { vpc });
    s3.Bucket.fromBucketName(stack, 'Shared', 'shared-data-eu-west-1').grantRead(fn);
    return app;
  },
};

/** The app's stacks inside a Stage (as CDK Pipelines deploys them): the rules judge them like any stack. */
export const stagedApp: CorpusApp = {
  name: 'staged-app',
  about: 'stacks inside a Stage',
  faults: {
    'isolated-no-endpoint': ['S3PA-NoEndpoint'],
  },
  build(fault) {
    const app = new App();
    const stage = new Stage(app, 'Prod', { env: ENV });
    const inStage = new Stack(stage, 'Service');
    const vpc = isolatedOnly(inStage);
    if (fault !== 'isolated-no-endpoint') vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(inStage, 'Data', { enforceSSL: true });
    bucket.grantRead(nodeFunction(inStage, 'Fn', { vpc }));
    return app;
  },
};

/**
 * A hub VPC with an S3 endpoint and a spoke VPC attached through a transit gateway: the spoke has its own endpoint in
 * the clean variant; without it, the spoke's S3 traffic crosses to the hub, where the gateway endpoint does not serve it.
 */
export const hubAndSpoke: CorpusApp = {
  name: 'hub-and-spoke',
  about: 'transit gateway: a gateway endpoint serves only its own VPC',
  faults: {
    'spoke-without-endpoint': ['S3PA-Transitive'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Network');
    const hub = threeTier(stack, 'Hub');
    hub.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const spoke = isolatedOnly(stack, 'Spoke', '10.20.0.0/16');
    if (fault !== 'spoke-without-endpoint') spoke.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', {});
    const attachment = new ec2.CfnTransitGatewayAttachment(stack, 'SpokeAttachment', {
      transitGatewayId: tgw.ref, vpcId: spoke.vpcId, subnetIds: spoke.isolatedSubnets.map(s => s.subnetId),
    });
    spoke.isolatedSubnets.forEach((s, i) => {
      new ec2.CfnRoute(stack, `SpokeDefault${i}`, {
        routeTableId: s.routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: tgw.ref,
      }).addDependency(attachment);
    });
    new s3.Bucket(stack, 'Data', { enforceSSL: true }).grantRead(nodeFunction(stack, 'SpokeFn', { vpc: spoke, vpcSubnets: ISOLATED }));
    return app;
  },
};

/** An Auto Scaling group of SSM-managed Amazon Linux 2023 instances behind a restricted endpoint policy. */
export const amazonLinuxFleet: CorpusApp = {
  name: 'amazon-linux-fleet',
  about: 'Amazon Linux repositories and SSM buckets read through a restricted endpoint policy',
  faults: {
    'no-aws-owned-allowances': ['S3PA-EndpointPolicyAwsBuckets'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Fleet');
    const vpc = isolatedOnly(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Config', { enforceSSL: true });
    const owned = fault === 'no-aws-owned-allowances' ? [] : [
      `arn:aws:s3:::al2023-repos-${ENV.region}-de612dc2/*`, `arn:aws:s3:::aws-ssm-${ENV.region}/*`, `arn:aws:s3:::amazon-ssm-${ENV.region}/*`,
    ];
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*'), ...owned],
    }));
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    bucket.grantRead(role);
    const fleet = new autoscaling.AutoScalingGroup(stack, 'Fleet', {
      vpc,
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      minCapacity: 1,
      maxCapacity: 2,
    });
    fleet.userData.addCommands('dnf install -y nginx', 'systemctl enable --now nginx');
    return app;
  },
};

/**
 * The construct itself in an environment-agnostic stack: S3PrivateAccess with a restricted endpoint policy, a function
 * granted through it. The faulty twin restricts the endpoint policy to another bucket.
 */
export const constructAgnostic: CorpusApp = {
  name: 'construct-env-agnostic',
  about: 'S3PrivateAccess in an environment-agnostic stack: explain and check agree on the endpoint policy',
  faults: {
    'endpoint-policy-other-bucket': ['S3PA-EndpointPolicyDenies'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Agnostic', {});
    const vpc = isolatedOnly(stack);
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const other = new s3.Bucket(stack, 'Other', { enforceSSL: true });
    const fn = nodeFunction(stack, 'Fn', { vpc });
    const access = new S3PrivateAccess(stack, 'S3Access', {
      vpc,
      buckets: [bucket],
      endpointPolicy: EndpointPolicy.restrictToBuckets(fault === 'endpoint-policy-other-bucket' ? [other] : [bucket, other]),
    });
    access.allowFrom(fn);
    access.grantReadWrite(fn, bucket, { prefix: 'in/' });
    return app;
  },
};
