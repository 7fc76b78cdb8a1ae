import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { noEndpoint } from '../../lib/rules/no-endpoint';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, isolatedVpc, pathOf, threeTierVpc, vpcFunction } from '../helpers/routing-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

describe('S3PA-NoEndpoint', () => {
  test('fires on a function in isolated subnets of a VPC without an S3 endpoint', () => {
    // GIVEN
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const bucket = new s3.Bucket(stack, 'Data');
    const fn = vpcFunction(stack, vpc, ISOLATED);
    bucket.grantRead(fn);

    // WHEN
    const findings = summary(findingsOf(stack, noEndpoint));

    // THEN one error naming both subnets, their route tables and the VPC
    expect(findings).toEqual([{ level: 'error', path: pathOf(fn), message: expect.stringContaining('no route out of the VPC') }]);
    expect(findings[0].message).toContain('Stack/Vpc/dataSubnet1/Subnet (route table Stack/Vpc/dataSubnet1/RouteTable)');
    expect(findings[0].message).toContain('Stack/Vpc/dataSubnet2/Subnet');
    expect(findings[0].message).toContain('VPC Stack/Vpc/Resource has no S3 gateway or interface endpoint');
  });

  test('fires for an imported bucket the workload role is granted on, with no bucket in the app', () => {
    // GIVEN
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const svc = fargateService(stack, vpc, ISOLATED);
    s3.Bucket.fromBucketName(stack, 'Ext', 'shared-data-bucket').grantRead(svc.taskDefinition.taskRole);

    // THEN
    expect(summary(findingsOf(stack, noEndpoint)).map(f => [f.level, f.path])).toEqual([['error', pathOf(svc)]]);
  });

  test('reports nothing when the VPC has an S3 gateway endpoint', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    new s3.Bucket(stack, 'Data');
    vpcFunction(stack, vpc, ISOLATED);

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });

  test('reports nothing when the VPC has an S3 interface endpoint', () => {
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('S3If', { service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsEnabled: false });
    new s3.Bucket(stack, 'Data');
    vpcFunction(stack, vpc, ISOLATED);

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });

  test('reports nothing for subnets with a NAT route', () => {
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    new s3.Bucket(stack, 'Data');
    vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });

  test('reports nothing for a workload that does not use S3, even when the app has a bucket', () => {
    // GIVEN a function with no S3 permission and no bucket in its environment, beside a bucket it never touches
    const stack = envStack();
    new s3.Bucket(stack, 'Data');
    vpcFunction(stack, isolatedVpc(stack), ISOLATED, 'Fn', {});

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });

  test('fires for a workload whose environment names a bucket of the app', () => {
    // GIVEN the twin of the test above: the function is told the bucket's name
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const fn = vpcFunction(stack, isolatedVpc(stack), ISOLATED, 'Fn', { DATA: bucket.bucketName });

    expect(summary(findingsOf(stack, noEndpoint)).map(f => [f.level, f.path])).toEqual([['error', pathOf(fn)]]);
  });

  test('leaves a default route to a transit gateway to S3PA-Transitive', () => {
    // GIVEN isolated subnets whose default route goes to a transit gateway
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    new s3.Bucket(stack, 'Data');
    vpc.isolatedSubnets.forEach((s, i) => new ec2.CfnRoute(stack, `ToTgw${i}`, {
      routeTableId: s.routeTable.routeTableId, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-0123456789abcdef0',
    }));
    vpcFunction(stack, vpc, ISOLATED);

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });

  test('still fires when the only extra routes stay in private address space', () => {
    // GIVEN a route to a peered VPC's private CIDR
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    new s3.Bucket(stack, 'Data');
    new ec2.CfnRoute(stack, 'ToPeer', {
      routeTableId: vpc.isolatedSubnets[0].routeTable.routeTableId, destinationCidrBlock: '10.20.0.0/16', vpcPeeringConnectionId: 'pcx-0123456789abcdef0',
    });
    const fn = vpcFunction(stack, vpc, ISOLATED);

    expect(summary(findingsOf(stack, noEndpoint)).map(f => [f.level, f.path])).toEqual([['error', pathOf(fn)]]);
  });

  test('cannot judge the subnets of an imported VPC', () => {
    // GIVEN
    const stack = envStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
    });
    new s3.Bucket(stack, 'Data');
    const fn = vpcFunction(stack, vpc, ISOLATED);

    // THEN
    const findings = findingsOf(stack, noEndpoint);
    expect(summary(findings)).toEqual([{ level: 'warning', path: pathOf(fn), message: expect.stringContaining('subnet-0aaaaaaaaaaaaaaaa') }]);
    expect(findings[0].cannotJudge).toBe(true);
  });

  test('cannot judge an endpoint whose service name is a parameter', () => {
    // GIVEN
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const service = new CfnParameter(stack, 'EndpointService', { type: 'String' });
    new ec2.CfnVPCEndpoint(stack, 'Ep', { vpcId: vpc.vpcId, serviceName: service.valueAsString });
    new s3.Bucket(stack, 'Data');
    vpcFunction(stack, vpc, ISOLATED);

    // THEN warnings only
    const findings = summary(findingsOf(stack, noEndpoint));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every(f => f.level === 'warning' && f.message.includes('Stack/Ep'))).toBe(true);
  });

  test('fires for a NAT-routed workload in a VPC without an endpoint whose bucket denies requests not through one', () => {
    // GIVEN a function in NAT subnets of a VPC with no S3 endpoint, reading a bucket restricted to some endpoint
    const stack = envStack();
    const vpc = threeTierVpc(stack);
    const bucket = new s3.Bucket(stack, 'Data');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    }));
    const fn = vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    bucket.grantRead(fn);

    // THEN
    const findings = summary(findingsOf(stack, noEndpoint));
    expect(findings).toEqual([{ level: 'error', path: pathOf(fn), message: expect.stringMatching(/through NAT or an internet gateway, since VPC Stack\/Vpc\/Resource has no S3 endpoint, and the bucket policy of Stack\/Data\/Resource denies s3:GetObject .*403$/) }]);
  });

  test('counts a NAT instance as a way out (NatProvider.instanceV2)', () => {
    const stack = envStack();
    const vpc = threeTierVpc(stack, 'Vpc', {
      natGatewayProvider: ec2.NatProvider.instanceV2({
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
      }),
    });
    new s3.Bucket(stack, 'Data').grantRead(vpcFunction(stack, vpc, { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }));

    expect(findingsOf(stack, noEndpoint)).toEqual([]);
  });
});
