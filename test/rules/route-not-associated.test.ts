import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { routeNotAssociated } from '../../lib/rules/route-not-associated';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, pathOf, threeTierVpc, vpcFunction } from '../helpers/routing-fixtures';

const PRIVATE = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

describe('S3PA-RouteNotAssociated', () => {
  test('fires on a Fargate service whose subnets are not associated with the S3 gateway endpoint', () => {
    // GIVEN an endpoint on the isolated subnets only, and a service in the private-with-egress subnets
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    const service = fargateService(stack, vpc, PRIVATE);

    // WHEN
    const findings = summary(findingsOf(stack, routeNotAssociated));

    // THEN one error per subnet, on the service, naming subnet, route table and endpoint
    expect(findings).toHaveLength(2);
    expect(findings[0]).toEqual({
      level: 'error',
      path: pathOf(service),
      message: expect.stringContaining('subnet Stack/Vpc/appSubnet1/Subnet, whose route table Stack/Vpc/appSubnet1/RouteTable'),
    });
    expect(findings[0].message).toContain('S3 gateway endpoint Stack/Vpc/S3/Resource');
    expect(findings[0].message).toContain('NAT');
    expect(findings[1].message).toContain('Stack/Vpc/appSubnet2/Subnet');
  });

  test('names the fix and the rule id on the finding', () => {
    // GIVEN the same fault with a Lambda function
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    vpcFunction(stack, vpc, PRIVATE);

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
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [ISOLATED] });
    vpcFunction(stack, vpc, PRIVATE);

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
