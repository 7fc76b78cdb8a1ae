import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { interfaceVpceRequired } from '../../../lib/rules/policy/interface-vpce-required';
import { sourceVpceValue } from '../../../lib/rules/policy/source-vpce-value';
import { envStack, findingsOf, summary } from '../../helpers/checks';

interface Options {
  /** What the Deny's aws:SourceVpce lists: the interface endpoint only (the fault) or both endpoints. */
  readonly allow: 'interface' | 'both';
  readonly privateDns?: boolean;
  readonly dnsOptions?: string;
}

/**
 * An isolated VPC with an S3 gateway endpoint for its own workloads and an S3 interface endpoint for remote
 * networks, a function granted on a bucket, and the bucket's Deny unless aws:SourceVpce.
 */
function app(stack: Stack, o: Options) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const gateway = vpc.addGatewayEndpoint('Gateway', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const iface = new ec2.CfnVPCEndpoint(stack, 'Remote', {
    vpcId: vpc.vpcId,
    vpcEndpointType: 'Interface',
    serviceName: 'com.amazonaws.eu-west-1.s3',
    subnetIds: vpc.isolatedSubnets.map(s => s.subnetId),
    privateDnsEnabled: o.privateDns ?? false,
    ...(o.dnsOptions ? { dnsOptions: { privateDnsOnlyForInboundResolverEndpoint: o.dnsOptions } } : {}),
  });
  const bucket = new s3.Bucket(stack, 'Data');
  const fn = new lambda.Function(stack, 'Fn', {
    vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  bucket.grantRead(fn);
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EndpointOnly',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { StringNotEquals: { 'aws:SourceVpce': o.allow === 'both' ? [iface.ref, gateway.vpcEndpointId] : iface.ref } },
  }));
  return { vpc, iface };
}

describe('S3PA-InterfaceVpceRequired', () => {
  test('GIVEN a Deny unless the interface endpoint, and subnets routed through the gateway endpoint WHEN checked THEN an error (403)', () => {
    // GIVEN
    const stack = envStack();
    app(stack, { allow: 'interface' });

    // WHEN
    const found = summary(findingsOf(stack, interfaceVpceRequired));

    // THEN
    expect(found).toEqual([{
      level: 'error',
      path: 'Stack/Data/Policy/Resource',
      message: 'Stack/Data/Policy/Resource denies s3:GetObject on bucket Stack/Data/Resource unless aws:SourceVpce is S3 interface '
        + 'endpoint Stack/Remote, but Stack/Fn/Resource runs in subnet Stack/Vpc/appSubnet1/Subnet, whose route table sends S3 '
        + 'traffic to gateway endpoint Stack/Vpc/Gateway/Resource: the requests carry the gateway endpoint\'s id in '
        + 'aws:SourceVpce, so they get 403',
    }]);
  });

  test('GIVEN the same fault WHEN S3PA-SourceVpceValue checks THEN it leaves the denial to this rule (reported once)', () => {
    const stack = envStack();
    app(stack, { allow: 'interface' });
    expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
  });

  test('GIVEN a Deny listing both endpoints WHEN checked THEN nothing is reported', () => {
    // GIVEN: the clean twin
    const stack = envStack();
    app(stack, { allow: 'both' });

    // WHEN / THEN
    expect(findingsOf(stack, interfaceVpceRequired)).toEqual([]);
    expect(findingsOf(stack, sourceVpceValue)).toEqual([]);
  });

  test('GIVEN private DNS only for inbound resolvers WHEN checked THEN still an error (in-VPC requests take the gateway)', () => {
    const stack = envStack();
    app(stack, { allow: 'interface', privateDns: true, dnsOptions: 'OnlyInboundResolver' });
    expect(summary(findingsOf(stack, interfaceVpceRequired)).map(f => f.level)).toEqual(['error']);
  });

  test('GIVEN private DNS for all resolvers WHEN checked THEN nothing is reported (in-VPC requests take the interface endpoint)', () => {
    const stack = envStack();
    app(stack, { allow: 'interface', privateDns: true, dnsOptions: 'AllResolvers' });
    expect(findingsOf(stack, interfaceVpceRequired)).toEqual([]);
  });

  test('GIVEN private DNS with the inbound-only option unset WHEN checked THEN a warning', () => {
    const stack = envStack();
    app(stack, { allow: 'interface', privateDns: true });
    const found = summary(findingsOf(stack, interfaceVpceRequired));
    expect(found).toEqual([{ level: 'warning', path: 'Stack/Data/Policy/Resource', message: expect.stringContaining('PrivateDnsOnlyForInboundResolverEndpoint unset') }]);
  });

  test('GIVEN the Deny names the interface endpoint (private DNS for all resolvers) of another VPC WHEN checked THEN an error', () => {
    // GIVEN: private DNS answers in its own VPC only, so the function's VPC still routes through its gateway endpoint
    const stack = envStack();
    const { iface } = app(stack, { allow: 'interface', privateDns: true, dnsOptions: 'AllResolvers' });
    const other = new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    iface.vpcId = other.vpcId;
    iface.subnetIds = other.isolatedSubnets.map(s => s.subnetId);

    // WHEN / THEN
    expect(summary(findingsOf(stack, interfaceVpceRequired)).map(f => [f.level, f.path])).toEqual([['error', 'Stack/Data/Policy/Resource']]);
  });

  test('GIVEN the inbound-only option from a parameter WHEN checked THEN a cannot-judge warning', () => {
    const stack = envStack();
    const param = new CfnParameter(stack, 'DnsMode');
    app(stack, { allow: 'interface', privateDns: true, dnsOptions: param.valueAsString });
    const found = summary(findingsOf(stack, interfaceVpceRequired));
    expect(found).toEqual([{
      level: 'warning',
      path: 'Stack/Data/Policy/Resource',
      message: expect.stringMatching(/^cannot judge: whether .* denies its requests: PrivateDnsOnlyForInboundResolverEndpoint of endpoint Stack\/Remote \(DnsMode/),
    }]);
  });
});
