import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointPolicy, S3PrivateAccess } from '../../lib';
import { compliantVpc, envBoundStack } from '../helpers/s3pa-fixtures';

function setup() {
  const { app, stack } = envBoundStack();
  const vpc = compliantVpc(stack);
  const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  return { app, stack, vpc, bucket };
}

function interfaceEndpoint(stack: ec2.Vpc['stack']): { id: string; props: any; dependsOn: string[] } {
  const found = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } });
  const [id, res] = Object.entries(found)[0] as [string, any];
  return { id, props: res.Properties, dependsOn: res.DependsOn ?? [] };
}

describe('remoteAccess (S3 interface endpoint for remote networks)', () => {
  test('adds an S3 interface endpoint with private DNS for inbound resolver endpoints only', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, remoteAccess: { cidrs: ['10.20.0.0/16'] } });
    // THEN
    const ep = interfaceEndpoint(stack);
    expect(JSON.stringify(ep.props.ServiceName)).toContain('.s3');
    expect(ep.props.PrivateDnsEnabled).toBe(true);
    expect(ep.props.DnsOptions).toEqual(expect.objectContaining({ PrivateDnsOnlyForInboundResolverEndpoint: 'OnlyInboundResolver' }));
    expect(access.interfaceEndpoint).toBeDefined();
  });

  test('depends on the gateway endpoint, which must exist first', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, remoteAccess: { cidrs: ['10.20.0.0/16'] } });
    // THEN
    const gatewayId = stack.resolve(access.endpointId).Ref;
    expect(interfaceEndpoint(stack).dependsOn).toContain(gatewayId);
  });

  test('its security group allows TCP 443 from the given CIDRs only', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, remoteAccess: { cidrs: ['10.20.0.0/16', '2001:db8::/32'] } });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'HTTPS from the remote networks to the S3 interface endpoint',
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
        Match.objectLike({ CidrIpv6: '2001:db8::/32', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
      ],
    });
  });

  test('the bucket restriction lists both endpoint ids', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], remoteAccess: { cidrs: ['10.20.0.0/16'] } });
    // THEN
    expect(access.endpointIds).toHaveLength(2);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Condition: Match.objectLike({ StringNotEquals: { 'aws:SourceVpce': access.endpointIds.map((id) => stack.resolve(id)) } }),
        })]),
      },
    });
  });

  test('a restricted endpoint policy applies to the interface endpoint too', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], remoteAccess: { cidrs: ['10.20.0.0/16'] }, endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]),
    });
    // THEN
    const statements = interfaceEndpoint(stack).props.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['AllowBucketActionsOnNamedBuckets', 'AllowObjectActionsOnNamedBuckets']);
  });

  test.each([
    [[], /remoteAccess.cidrs is empty/],
    [['10.0.0.0'], /not an IPv4 or IPv6 CIDR/],
    [['0.0.0.0/0'], /opens the S3 interface endpoint to every network/],
    [['::/0'], /opens the S3 interface endpoint to every network/],
  ])('rejects cidrs %j', (cidrs, message) => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN / THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, remoteAccess: { cidrs } })).toThrow(message);
  });

  test('without remoteAccess there is no interface endpoint', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // THEN
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 0);
    expect(access.endpointIds).toEqual([access.endpointId]);
  });
});
