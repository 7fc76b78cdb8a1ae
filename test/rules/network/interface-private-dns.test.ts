import { Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { interfacePrivateDns } from '../../../lib/rules/network/interface-private-dns';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

interface Options {
  readonly privateDns?: boolean | string;
  readonly nat?: boolean;
  readonly environment?: Record<string, string>;
  readonly endpointOnly?: boolean;
}

/** A function granted on a bucket, in a VPC whose only S3 endpoint is an L1 interface endpoint. */
function app(stack: Stack, o: Options = {}) {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: o.nat ? 1 : 0,
    subnetConfiguration: [
      ...(o.nat ? [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] : []),
      { name: 'app', subnetType: o.nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const endpoint = new ec2.CfnVPCEndpoint(stack, 'S3Interface', {
    vpcId: vpc.vpcId,
    vpcEndpointType: 'Interface',
    // the service name as env-agnostic stacks and many L1 apps write it
    serviceName: Fn.join('', ['com.amazonaws.', Aws.REGION, '.s3']),
    subnetIds: vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds,
    ...(o.privateDns === undefined ? {} : { privateDnsEnabled: o.privateDns as any }),
  });
  const bucket = new s3.Bucket(stack, 'Data');
  const fn = new lambda.Function(stack, 'Fn', {
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    environment: o.environment,
  });
  bucket.grantRead(fn);
  if (o.endpointOnly) {
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.ref } },
    }));
  }
  return { vpc, endpoint };
}

const WHERE = 'Stack/Fn/Resource runs in subnet Stack/Vpc/appSubnet1/Subnet of VPC Stack/Vpc/Resource, whose only S3 endpoint '
  + 'Stack/S3Interface has no private DNS: S3\'s default names resolve to public addresses';

describe('S3PA-InterfacePrivateDns', () => {
  test('GIVEN an isolated subnet and an S3 interface endpoint without private DNS WHEN checked THEN an error: the calls time out', () => {
    // GIVEN
    const stack = envStack();
    app(stack);

    // WHEN
    const found = summary(findingsOf(stack, interfacePrivateDns));

    // THEN
    expect(found).toEqual([{
      level: 'error',
      path: 'Stack/S3Interface',
      message: `${WHERE}, and the subnet has no route out of the VPC: its S3 calls time out`,
    }]);
  });

  test('GIVEN the same endpoint with private DNS WHEN checked THEN nothing is reported', () => {
    // GIVEN: the clean twin
    const stack = envStack();
    app(stack, { privateDns: true });

    // WHEN / THEN
    expect(findingsOf(stack, interfacePrivateDns)).toEqual([]);
  });

  test('GIVEN the service name with ${AWS::Region} in an env-agnostic stack WHEN checked THEN the endpoint is still judged', () => {
    const stack = agnosticStack();
    app(stack);
    expect(summary(findingsOf(stack, interfacePrivateDns)).map(f => f.level)).toEqual(['error']);
  });

  test('GIVEN a subnet with NAT WHEN checked THEN a warning: the requests work, outside the endpoint', () => {
    const stack = envStack();
    app(stack, { nat: true });
    const found = summary(findingsOf(stack, interfacePrivateDns));
    expect(found).toEqual([{
      level: 'warning',
      path: 'Stack/S3Interface',
      message: expect.stringMatching(/so its S3 traffic works, but leaves through NAT or an internet gateway instead of the endpoint$/),
    }]);
  });

  test('GIVEN a subnet with NAT and a bucket that requires the endpoint WHEN checked THEN an error: 403', () => {
    const stack = envStack();
    app(stack, { nat: true, endpointOnly: true });
    const found = summary(findingsOf(stack, interfacePrivateDns));
    expect(found).toEqual([{ level: 'error', path: 'Stack/S3Interface', message: expect.stringContaining('denies s3:GetObject from outside the endpoint: those requests get 403') }]);
  });

  test('GIVEN a workload pointed at the endpoint-specific name WHEN checked THEN nothing is reported', () => {
    const stack = envStack();
    app(stack, { environment: { AWS_ENDPOINT_URL_S3: 'https://bucket.vpce-0123456789abcdef0-abcdefgh.s3.eu-west-1.vpce.amazonaws.com' } });
    expect(findingsOf(stack, interfacePrivateDns)).toEqual([]);
  });

  test('GIVEN a private hosted zone for s3.<region>.amazonaws.com associated with the VPC WHEN checked THEN nothing is reported', () => {
    // GIVEN: the pre-private-DNS pattern, an alias of S3's regional name to the endpoint
    const stack = envStack();
    const { vpc } = app(stack);
    new route53.PrivateHostedZone(stack, 'S3Zone', { zoneName: 's3.eu-west-1.amazonaws.com', vpc });

    // WHEN / THEN
    expect(findingsOf(stack, interfacePrivateDns)).toEqual([]);
  });

  test('GIVEN a VPC with an S3 gateway endpoint beside the interface endpoint WHEN checked THEN nothing is reported', () => {
    const stack = envStack();
    const { vpc } = app(stack);
    vpc.addGatewayEndpoint('Gateway', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    expect(findingsOf(stack, interfacePrivateDns)).toEqual([]);
  });

  test('GIVEN PrivateDnsEnabled from a parameter WHEN checked THEN a cannot-judge warning', () => {
    const stack = envStack();
    const param = new CfnParameter(stack, 'PrivateDns');
    app(stack, { privateDns: param.valueAsString });
    expect(summary(findingsOf(stack, interfacePrivateDns))).toEqual([{
      level: 'warning',
      path: 'Stack/S3Interface',
      message: 'cannot judge: whether S3 interface endpoint Stack/S3Interface of VPC Stack/Vpc/Resource answers S3\'s default names '
        + 'for Stack/Fn/Resource: PrivateDnsEnabled of endpoint Stack/S3Interface (PrivateDns (a parameter or a value not defined in the app))',
    }]);
  });
});
