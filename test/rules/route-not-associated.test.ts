import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { routeNotAssociated } from '../../lib/rules/route-not-associated';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, pathOf, threeTierVpc, vpcFunction } from '../helpers/routing-fixtures';

const PRIVATE = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

/** A bucket whose policy denies requests that do not come through the endpoint (what BucketRestriction.toEndpoint writes). */
function endpointOnlyBucket(stack: Stack, endpoint: ec2.IGatewayVpcEndpoint): s3.Bucket {
  const bucket = new s3.Bucket(stack, 'Data');
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: {
      StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/cdk-*' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
    },
  }));
  return bucket;
}

describe('S3PA-RouteNotAssociated', () => {
  test('fires on a Fargate service whose NAT-routed subnets bypass the endpoint that its bucket requires', () => {
    // GIVEN an endpoint on the isolated subnets only, a bucket that denies requests not through it, and a service in
    // the private-with-egress subnets that reads the bucket
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    const service = fargateService(stack, vpc, PRIVATE);
    endpointOnlyBucket(stack, endpoint).grantRead(service.taskDefinition.taskRole);

    // WHEN
    const findings = findingsOf(stack, routeNotAssociated);

    // THEN one error per subnet, on the service, naming subnet, route table, endpoint and the 403
    expect(summary(findings)).toHaveLength(2);
    expect(summary(findings)[0]).toEqual({
      level: 'error',
      path: pathOf(service),
      message: expect.stringContaining('subnet Stack/Vpc/appSubnet1/Subnet, whose route table Stack/Vpc/appSubnet1/RouteTable'),
    });
    expect(findings[0].message).toContain('S3 gateway endpoint Stack/Vpc/S3/Resource');
    expect(findings[0].message).toMatch(/leaves through the NAT, without aws:SourceVpce, and the bucket policy of Stack\/Data\/Resource denies s3:GetObject .*403$/);
    expect(findings[1].message).toContain('Stack/Vpc/appSubnet2/Subnet');
    expect(findings[0].subjects.workloads).toEqual([`Stack/${stack.resolve((service.node.defaultChild as CfnResource).logicalId)}`]);
    expect(findings[0].subjects.buckets).toHaveLength(1);
  });

  test('warns, not fails, when the NAT path still works (no bucket requires the endpoint)', () => {
    // GIVEN the same topology and a bucket without an endpoint-only policy (the clean twin of the test above)
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    const service = fargateService(stack, vpc, PRIVATE);
    new s3.Bucket(stack, 'Data').grantRead(service.taskDefinition.taskRole);

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN a cost and privacy note per subnet
    expect(findings.map(f => f.level)).toEqual(['warning', 'warning']);
    expect(findings[0].message).toMatch(/works, but leaves through the NAT instead of the endpoint/);
  });

  test('fires on isolated subnets left out of the endpoint: the requests time out', () => {
    // GIVEN an endpoint on the app subnets only and a function in the isolated subnets
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    const fn = vpcFunction(stack, vpc, ISOLATED);

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN
    expect(findings).toEqual([
      { level: 'error', path: pathOf(fn), message: expect.stringMatching(/dataSubnet1.*has no route and times out$/) },
      { level: 'error', path: pathOf(fn), message: expect.stringMatching(/dataSubnet2.*has no route and times out$/) },
    ]);
  });

  test('says nothing about workloads that do not use S3 (an ECS service with a public image, a rotation Lambda)', () => {
    // GIVEN the isolated-subnet fault, but a service with no bucket, no task role grants and a public-registry image,
    // and a function whose role has no S3 permission
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    fargateService(stack, vpc, ISOLATED, 'Svc', {});
    const rotation = vpcFunction(stack, vpc, ISOLATED, 'Rotation', {});
    rotation.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resources: ['*'] }));

    // THEN
    expect(findingsOf(stack, routeNotAssociated)).toEqual([]);
  });

  test('warns when the workload may use S3 but the app cannot tell (a role not defined in the app)', () => {
    // GIVEN the isolated-subnet fault and a function running as an imported role
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      vpc,
      vpcSubnets: ISOLATED,
      role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/shared-lambda', { mutable: false }),
    });

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN warnings that say why the app cannot tell
    expect(findings.map(f => f.level)).toEqual(['warning', 'warning']);
    expect(findings[0].message).toMatch(/if it uses S3 \(the app does not show whether it uses S3: it runs as role .*shared-lambda/);
  });

  test('counts a NAT instance as a way out: the requests work through it', () => {
    // GIVEN a VPC whose private subnets route through a NAT instance (NatProvider.instanceV2), an endpoint on the
    // isolated subnets only, and a function in the private subnets
    const stack = envStack();
    const vpc = threeTierVpc(stack, 'Vpc', {
      natGatewayProvider: ec2.NatProvider.instanceV2({
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
      }),
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    vpcFunction(stack, vpc, PRIVATE);

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN notes, not errors
    expect(findings.map(f => f.level)).toEqual(['warning', 'warning']);
    expect(findings[0].message).toContain('leaves through the NAT instead of the endpoint');
  });

  test('names the fix and the rule id on the finding', () => {
    // GIVEN the timeout fault with a Lambda function
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    vpcFunction(stack, vpc, ISOLATED);

    // WHEN
    const [finding] = findingsOf(stack, routeNotAssociated);

    // THEN
    expect(finding.ruleId).toBe('S3PA-RouteNotAssociated');
    expect(finding.fix).toContain('`subnets` prop');
  });

  test('reports nothing when the endpoint covers the workload subnets', () => {
    // GIVEN an endpoint on both private tiers
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE, ISOLATED] });
    fargateService(stack, vpc, PRIVATE);
    vpcFunction(stack, vpc, ISOLATED);

    // THEN
    expect(findingsOf(stack, routeNotAssociated)).toEqual([]);
  });

  test('leaves a VPC without any S3 gateway endpoint to S3PA-NoEndpoint', () => {
    // GIVEN only a DynamoDB gateway endpoint
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('Ddb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [ISOLATED] });
    vpcFunction(stack, vpc, PRIVATE);

    // THEN
    expect(findingsOf(stack, routeNotAssociated)).toEqual([]);
  });

  test('recognises the S3 endpoint in an env-agnostic stack', () => {
    // GIVEN ServiceName is com.amazonaws.${AWS::Region}.s3
    const stack = agnosticStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [PRIVATE] });
    vpcFunction(stack, vpc, ISOLATED);

    // THEN the fault is still an error
    expect(summary(findingsOf(stack, routeNotAssociated)).map(f => f.level)).toEqual(['error', 'error']);
  });

  test('cannot judge a subnet that uses the main route table', () => {
    // GIVEN an L1 subnet with no route table association
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bare = new ec2.CfnSubnet(stack, 'Bare', { vpcId: vpc.vpcId, cidrBlock: '10.0.250.0/24' });
    const fn = vpcFunction(stack, vpc, {
      subnets: [ec2.Subnet.fromSubnetAttributes(stack, 'BareRef', { subnetId: bare.ref, availabilityZone: 'eu-west-1a' })],
    });

    // WHEN
    const findings = findingsOf(stack, routeNotAssociated);

    // THEN a warning, never an error
    expect(summary(findings)).toEqual([{
      level: 'warning', path: pathOf(fn), message: expect.stringContaining('the main route table of the VPC'),
    }]);
    expect(findings[0].cannotJudge).toBe(true);
  });

  test('cannot judge subnets of an imported VPC when the app has an S3 gateway endpoint', () => {
    // GIVEN an imported VPC (literal subnet ids) with an endpoint added by the app
    const stack = envStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
      privateSubnetRouteTableIds: ['rtb-0bbbbbbbbbbbbbbbb'],
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const fn = vpcFunction(stack, vpc, PRIVATE);

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN
    expect(findings).toEqual([{
      level: 'warning', path: pathOf(fn), message: expect.stringContaining('subnet-0aaaaaaaaaaaaaaaa'),
    }]);
  });

  test('cannot judge when the endpoint names a route table from outside the app', () => {
    // GIVEN an endpoint whose RouteTableIds holds a literal id
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    new ec2.CfnVPCEndpoint(stack, 'L1S3', {
      vpcId: vpc.vpcId, serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: ['rtb-0ccccccccccccccc0'],
    });
    vpcFunction(stack, vpc, ISOLATED);

    // THEN warnings naming the literal id
    const findings = summary(findingsOf(stack, routeNotAssociated));
    expect(findings.map(f => f.level)).toEqual(['warning', 'warning']);
    expect(findings[0].message).toContain('rtb-0ccccccccccccccc0');
  });
});
