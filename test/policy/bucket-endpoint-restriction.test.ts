import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEndpointRestriction, BucketOwnerPolicy, BucketRestriction, S3PrivateAccess } from '../../lib';
import { envBoundStack } from '../helpers/s3pa-fixtures';

const ADMIN = 'arn:aws:iam::111111111111:role/admin';
const OPS = 'arn:aws:iam::111111111111:role/ops';
const ENDPOINT = 'vpce-0123456789abcdef0';

function isolatedVpc(stack: Stack, id: string, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 1,
    natGateways: 0,
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** The network Deny statements of the bucket policies of a stack. */
function denies(stack: Stack): any[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')) as any[];
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => st.Effect === 'Deny' && /aws:SourceVpce?"/.test(JSON.stringify(st.Condition ?? {})));
}

function endpointRef(stack: Stack, access: S3PrivateAccess): unknown {
  return stack.resolve(access.endpointId);
}

describe('BucketEndpointRestriction', () => {
  test('GIVEN two S3PrivateAccess in two VPCs on one bucket THEN the bucket has one Deny that lets both endpoints through', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    const a = new S3PrivateAccess(stack, 'A', { vpc: isolatedVpc(stack, 'VpcA', '10.1.0.0/16'), buckets: [bucket] });
    const b = new S3PrivateAccess(stack, 'B', { vpc: isolatedVpc(stack, 'VpcB', '10.2.0.0/16'), buckets: [bucket] });
    // THEN
    const [deny, ...others] = denies(stack);
    expect(others).toEqual([]);
    expect(deny.Sid).toBe('DenyUnlessThroughVpcEndpoint');
    expect(deny.Condition.StringNotEquals).toEqual({ 'aws:SourceVpce': [endpointRef(stack, a), endpointRef(stack, b)] });
  });

  test('GIVEN two constructs with exemptions THEN the one Deny exempts the deploy role and both constructs\' principals', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    new S3PrivateAccess(stack, 'A', { vpc: isolatedVpc(stack, 'VpcA', '10.1.0.0/16'), buckets: [bucket], exemptPrincipalArns: [ADMIN] });
    new S3PrivateAccess(stack, 'B', { vpc: isolatedVpc(stack, 'VpcB', '10.2.0.0/16'), buckets: [bucket], exemptPrincipalArns: [OPS, ADMIN] });
    // THEN
    const [deny] = denies(stack);
    expect(JSON.stringify(deny.Condition.ArnNotLike['aws:PrincipalArn'][0])).toContain('cdk-hnb659fds-cfn-exec-role');
    expect(deny.Condition.ArnNotLike['aws:PrincipalArn'].slice(1)).toEqual([ADMIN, OPS]);
    expect(deny.Condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' });
  });

  test('GIVEN one construct restricting to its endpoint and one to its VPC THEN a request passes through either', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const vpcB = isolatedVpc(stack, 'VpcB', '10.2.0.0/16');
    // WHEN
    const a = new S3PrivateAccess(stack, 'A', { vpc: isolatedVpc(stack, 'VpcA', '10.1.0.0/16'), buckets: [bucket] });
    new S3PrivateAccess(stack, 'B', { vpc: vpcB, buckets: [bucket], bucketRestriction: BucketRestriction.toVpc() });
    // THEN both keys sit in one StringNotEquals: the Deny applies only when neither matches
    expect(denies(stack).map((d) => d.Condition.StringNotEquals)).toEqual([
      { 'aws:SourceVpce': endpointRef(stack, a), 'aws:SourceVpc': stack.resolve(vpcB.vpcId) },
    ]);
  });

  test('GIVEN BucketOwnerPolicy.applyTo and S3PrivateAccess on one bucket THEN their endpoints and admins share one Deny', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data');
    // WHEN
    BucketOwnerPolicy.applyTo(bucket, { endpointIds: [ENDPOINT], workloadRoleArns: ['arn:aws:iam::222222222222:role/partner'], adminPrincipalArns: [ADMIN] });
    const access = new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack, 'Vpc', '10.1.0.0/16'), buckets: [bucket] });
    // THEN
    const [deny, ...others] = denies(stack);
    expect(others).toEqual([]);
    expect(deny.Condition.StringNotEquals['aws:SourceVpce']).toEqual([ENDPOINT, endpointRef(stack, access)]);
    expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toContain(ADMIN);
  });

  test('GIVEN the bucket in another stack THEN the Deny lives in the bucket\'s stack, imports the endpoint id and exempts that stack\'s deploy role', () => {
    // GIVEN
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const data = new Stack(app, 'Data', { env });
    const network = new Stack(app, 'Network', { env });
    const bucket = new s3.Bucket(data, 'Bucket');
    // WHEN
    new S3PrivateAccess(network, 'S3', { vpc: isolatedVpc(network, 'Vpc', '10.1.0.0/16'), buckets: [bucket] });
    const assembly = app.synth();
    // THEN
    const dataTemplate = assembly.getStackByName('Data').template;
    const [deny] = (Object.values(dataTemplate.Resources) as any[])
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(Object.keys(deny.Condition.StringNotEquals['aws:SourceVpce'])).toEqual(['Fn::ImportValue']);
    expect(JSON.stringify(deny.Condition.ArnNotLike)).toContain('cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1');
    expect(Template.fromStack(network).findResources('AWS::S3::BucketPolicy')).toEqual({});
    expect(assembly.getStackByName('Data').dependencies.map((d) => d.id)).toContain('Network');
  });

  test('GIVEN the bucket in another stack WHEN the construct grants a role of its own stack on that bucket THEN it throws, naming both stacks', () => {
    // GIVEN
    const app = new App();
    const data = new Stack(app, 'Data');
    const network = new Stack(app, 'Network');
    const bucket = new s3.Bucket(data, 'Bucket');
    const access = new S3PrivateAccess(network, 'S3', { vpc: isolatedVpc(network, 'Vpc', '10.1.0.0/16'), buckets: [bucket] });
    const role = new iam.Role(network, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // THEN
    expect(() => access.grantRead(role, bucket)).toThrow(
      'granting Network/Worker access to bucket Data/Bucket would make stack Network depend on stack Data, whose bucket ' +
      'policy already names an endpoint, vpc or role of Network: give the bucket a bucketName and grant on ' +
      's3.Bucket.fromBucketName(this, id, name) in Network, or define the bucket in Network');
    // and granting on the bucket imported by name works: no reference back to the bucket's stack
    expect(() => access.grantRead(role, s3.Bucket.fromBucketName(network, 'ByName', 'data-bucket'))).not.toThrow();
  });

  test('the public API: chained calls, literal and token ids, duplicates ignored', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const vpc = isolatedVpc(stack, 'Vpc', '10.1.0.0/16');
    // WHEN
    const restriction = BucketEndpointRestriction.of(bucket)
      .allowEndpoint(ENDPOINT).allowEndpoint(ENDPOINT)
      .allowVpc(vpc.vpcId).allowVpc(vpc.vpcId)
      .exempt(ADMIN)
      .exemptPrincipal(new iam.ArnPrincipal(OPS));
    // THEN
    expect(BucketEndpointRestriction.of(bucket)).toBe(restriction);
    expect(restriction.endpointIds).toEqual([ENDPOINT]);
    expect(restriction.vpcIds).toEqual([vpc.vpcId]);
    expect(restriction.exemptPrincipalArns.slice(1)).toEqual([ADMIN, OPS]);
    expect(denies(stack)).toHaveLength(1);
  });

  test('GIVEN a restriction that allows nothing THEN synth fails saying to allow an endpoint or a vpc', () => {
    // GIVEN
    const { app, stack } = envBoundStack();
    BucketEndpointRestriction.of(new s3.Bucket(stack, 'Data')).exempt(ADMIN);
    // THEN
    expect(() => app.synth()).toThrow(/the endpoint restriction of bucket Stack\/Data allows no endpoint and no vpc, so its Deny would deny every request: call allowEndpoint\(id\) or allowVpc\(id\)/);
  });

  test('GIVEN an imported bucket THEN S3PrivateAccess warns and writes no restriction', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const theirs = s3.Bucket.fromBucketName(stack, 'Theirs', 'their-bucket');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack, 'Vpc', '10.1.0.0/16'), buckets: [theirs] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp('bucketPolicyNotApplied'));
    expect(theirs.node.tryFindChild(BucketEndpointRestriction.CONSTRUCT_ID)).toBeUndefined();
  });
});
