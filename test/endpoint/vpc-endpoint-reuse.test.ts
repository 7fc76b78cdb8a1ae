import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointPolicy, EndpointSource, S3PrivateAccess } from '../../lib';
import { envBoundStack } from '../helpers/s3pa-fixtures';

/*
 * A VPC whose S3 gateway endpoint the app already defines must not get a second one on the same route tables: a
 * route table holds one route per prefix list, and CloudFormation fails to create the second endpoint.
 */

const S3 = ec2.GatewayVpcEndpointAwsService.S3;

function vpcWith(stack: Stack, props: Partial<ec2.VpcProps> = {}): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'batch', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    ...props,
  });
}

/** The S3 gateway endpoints of the template, each with the refs of its route tables. */
function s3Endpoints(stack: Stack): Array<{ id: string; routeTables: string[] }> {
  const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
  return Object.entries(endpoints)
    .filter(([, r]) => JSON.stringify(r.Properties.ServiceName).endsWith('.s3"]]}'))
    .map(([id, r]) => ({ id, routeTables: r.Properties.RouteTableIds.map((x: { Ref: string }) => x.Ref).sort() }));
}

function tablesOf(stack: Stack, vpc: ec2.Vpc, group: string): string[] {
  return vpc.selectSubnets({ subnetGroupName: group }).subnets.map((s) => (stack.resolve(s.routeTable.routeTableId) as { Ref: string }).Ref);
}

describe('the VPC\'s own S3 gateway endpoint is reused', () => {
  test('GIVEN ec2.Vpc({ gatewayEndpoints: { S3 } }) THEN S3PrivateAccess writes no second endpoint and uses the VPC\'s', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack, { gatewayEndpoints: { S3: { service: S3 } } });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    const [only, ...others] = s3Endpoints(stack);
    expect(others).toEqual([]);
    expect(stack.resolve(access.endpointId)).toEqual({ Ref: only.id });
    expect(access.node.tryFindChild('Endpoint')).toBeUndefined();
    Annotations.fromStack(stack).hasInfo('/Stack/S3', Match.stringLikeRegexp('^reusing the S3 gateway endpoint Stack/Vpc/S3/Resource'));
  });

  test('GIVEN the VPC\'s endpoint serves other subnets THEN the selected route tables are added to it', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    vpc.addGatewayEndpoint('S3', { service: S3, subnets: [{ subnetGroupName: 'app' }] });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetGroupName: 'batch' }] });
    // THEN
    expect(s3Endpoints(stack).map((e) => e.routeTables)).toEqual([[...tablesOf(stack, vpc, 'app'), ...tablesOf(stack, vpc, 'batch')].sort()]);
  });

  test('GIVEN two S3PrivateAccess on one VPC THEN they share one endpoint, and the bucket policy names it once', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    const app = new S3PrivateAccess(stack, 'App', { vpc, subnets: [{ subnetGroupName: 'app' }], buckets: [bucket] });
    const batch = new S3PrivateAccess(stack, 'Batch', { vpc, subnets: [{ subnetGroupName: 'batch' }], buckets: [bucket] });
    // THEN
    expect(s3Endpoints(stack)).toHaveLength(1);
    expect(batch.endpointId).toBe(app.endpointId);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'))[0] as any;
    const deny = policy.Properties.PolicyDocument.Statement.find((st: any) => st.Effect === 'Deny');
    expect(deny.Condition.StringNotEquals).toEqual({ 'aws:SourceVpce': stack.resolve(app.endpointId) });
  });

  test('GIVEN fromExisting with an endpoint of the app THEN its route tables are extended, with no custom resource', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const mine = vpc.addGatewayEndpoint('S3', { service: S3, subnets: [{ subnetGroupName: 'app' }] });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetGroupName: 'batch' }], endpoint: EndpointSource.fromExisting(mine) });
    // THEN
    Template.fromStack(stack).resourceCountIs('Custom::S3GatewayEndpointRouteTable', 0);
    expect(s3Endpoints(stack).map((e) => e.routeTables)).toEqual([[...tablesOf(stack, vpc, 'app'), ...tablesOf(stack, vpc, 'batch')].sort()]);
  });

  test('GIVEN a restricted endpoint policy on a reused endpoint THEN the policy is not applied, with a warning naming it', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack, { gatewayEndpoints: { S3: { service: S3 } } });
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]) });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp("the vpc's own S3 gateway endpoint Stack/Vpc/S3/Resource, which it reuses"));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { PolicyDocument: Match.absent() });
  });

  test('GIVEN an S3 Express or DynamoDB gateway endpoint in the VPC THEN S3PrivateAccess creates its own', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack, {
      gatewayEndpoints: {
        Ddb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        Express: { service: ec2.GatewayVpcEndpointAwsService.S3_EXPRESS },
      },
    });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    expect(access.node.tryFindChild('Endpoint')).toBeDefined();
    expect(s3Endpoints(stack)).toHaveLength(1);
  });
});

describe('an adopted endpoint is reused too', () => {
  const existing = (stack: Stack, id = 'vpce-0123456789abcdef0') => ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, `Existing${id}`, id);

  test('GIVEN a construct adopting an endpoint WHEN a second one targets the same route tables THEN it uses that endpoint, with no second association', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const first = new S3PrivateAccess(stack, 'First', { vpc, endpoint: EndpointSource.fromExisting(existing(stack)) });
    // WHEN
    const second = new S3PrivateAccess(stack, 'Second', { vpc });
    // THEN
    expect(second.endpointId).toBe(first.endpointId);
    expect(second.node.tryFindChild('Endpoint')).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::S3GatewayEndpointRouteTable', 4);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('GIVEN a construct adopting an endpoint for one group WHEN a second one adopts it for both THEN only the missing route tables are associated', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const endpoint = existing(stack);
    new S3PrivateAccess(stack, 'First', { vpc, subnets: [{ subnetGroupName: 'app' }], endpoint: EndpointSource.fromExisting(endpoint) });
    // WHEN the same endpoint, imported a second time under another id
    new S3PrivateAccess(stack, 'Second', { vpc, endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Again', 'vpce-0123456789abcdef0')) });
    // THEN
    const associations = Object.values(Template.fromStack(stack).findResources('Custom::S3GatewayEndpointRouteTable'))
      .map((r: any) => /"Ref":"(Vpc\w+RouteTable\w+)"/.exec(JSON.stringify(r.Properties.Create))?.[1]);
    expect(associations).toHaveLength(4);
    expect(new Set(associations).size).toBe(4);
  });

  test('GIVEN route tables adopted for one endpoint WHEN another adopted endpoint is given for them THEN it throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    new S3PrivateAccess(stack, 'First', { vpc, endpoint: EndpointSource.fromExisting(existing(stack)) });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'Second', { vpc, endpoint: EndpointSource.fromExisting(existing(stack, 'vpce-0fedcba9876543210')) }))
      .toThrow(/of the selection already get their S3 route from the adopted endpoint vpce-0123456789abcdef0 \(Stack\/First\/EndpointRouteTables\), so the adopted endpoint cannot be associated with them/);
  });
});

describe('when reuse cannot be decided, S3PrivateAccess fails clearly', () => {
  test('GIVEN two S3 endpoints in the VPC serving the two groups WHEN the selection spans both THEN it throws, asking for fromExisting', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    vpc.addGatewayEndpoint('S3App', { service: S3, subnets: [{ subnetGroupName: 'app' }] });
    vpc.addGatewayEndpoint('S3Batch', { service: S3, subnets: [{ subnetGroupName: 'batch' }] });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc })).toThrow(
      'the vpc Stack/Vpc already has S3 gateway endpoints Stack/Vpc/S3App/Resource, Stack/Vpc/S3Batch/Resource, which serve ' +
      'different route tables of the selection, and S3PrivateAccess cannot tell which one to use: pass it with ' +
      '`endpoint: EndpointSource.fromExisting(endpoint)`, and select the subnets of its route tables');
  });

  test('GIVEN two S3 endpoints WHEN the selection is served by one of them THEN that one is reused', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    vpc.addGatewayEndpoint('S3App', { service: S3, subnets: [{ subnetGroupName: 'app' }] });
    const batch = vpc.addGatewayEndpoint('S3Batch', { service: S3, subnets: [{ subnetGroupName: 'batch' }] });
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, subnets: [{ subnetGroupName: 'batch' }] });
    // THEN
    expect(access.endpoint).toBe(batch);
    expect(s3Endpoints(stack)).toHaveLength(2);
  });

  test('GIVEN an endpoint whose route tables are a token THEN it throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    new ec2.CfnVPCEndpoint(stack, 'Raw', {
      vpcId: vpc.vpcId, serviceName: S3.name, routeTableIds: Lazy.list({ produce: () => [] }),
    });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc })).toThrow(/^the S3 gateway endpoint Stack\/Raw of the vpc takes its route tables from a token/);
  });

  test('GIVEN fromExisting with the app\'s DynamoDB endpoint THEN it throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const ddb = vpc.addGatewayEndpoint('Ddb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, endpoint: EndpointSource.fromExisting(ddb) }))
      .toThrow(/^endpoint Stack\/Vpc\/Ddb\/Resource is not an S3 gateway endpoint \(service .*dynamodb.*\): pass the vpc's gateway endpoint/);
  });

  test('GIVEN fromExisting with the S3 endpoint of another VPC THEN it throws', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = vpcWith(stack);
    const other = new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const theirs = other.addGatewayEndpoint('S3', { service: S3 });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, endpoint: EndpointSource.fromExisting(theirs) }))
      .toThrow('endpoint Stack/Other/S3/Resource belongs to another vpc than Stack/Vpc: pass an S3 gateway endpoint of the vpc given to S3PrivateAccess');
  });

  test('GIVEN an S3 endpoint added to the VPC after S3PrivateAccess on the same route tables THEN synth fails naming both', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = vpcWith(stack);
    new S3PrivateAccess(stack, 'S3', { vpc, checks: false });
    // WHEN
    vpc.addGatewayEndpoint('Late', { service: S3 });
    // THEN
    expect(() => app.synth()).toThrow(/route table .* would get its S3 gateway endpoint route from 2 places \(Stack\/Vpc\/Late\/Resource, Stack\/S3\/Endpoint\/Resource\)/);
  });

  test('GIVEN an adopted endpoint and an S3 endpoint of the app on one route table THEN synth fails', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    const vpc = vpcWith(stack);
    new S3PrivateAccess(stack, 'S3', {
      vpc,
      checks: false,
      endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0')),
    });
    // WHEN
    vpc.addGatewayEndpoint('Late', { service: S3 });
    // THEN
    expect(() => app.synth()).toThrow(/from 2 places \(Stack\/Vpc\/Late\/Resource, Stack\/S3\/EndpointRouteTables \(an adopted endpoint\)\)/);
  });
});
