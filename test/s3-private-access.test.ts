import { App, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess, BucketRestriction, EndpointSource, S3PrivateAccess } from '../lib';
import { compliantVpc, envBoundStack } from './helpers/s3pa-fixtures';

function denyStatement(stack: Stack, bucket: s3.IBucket): Record<string, any> | undefined {
  const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: stack.resolve(bucket.bucketName) },
  });
  const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  return statements.find((s: any) => s.Effect === 'Deny' && s.Action === 's3:*' && s.Condition?.StringNotEquals);
}

function setup() {
  const { app, stack } = envBoundStack();
  const vpc = compliantVpc(stack);
  const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  return { app, stack, vpc, bucket };
}

describe('bucket restriction', () => {
  test('default: each bucket denies requests not through the endpoint, exempting the deploy role', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket] });
    // THEN
    const deny = denyStatement(stack, bucket)!;
    expect(deny).toBeDefined();
    expect(deny.Condition.StringNotEquals).toEqual({ 'aws:SourceVpce': stack.resolve(access.endpointId) });
    expect(deny.Condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' });
    expect(JSON.stringify(stack.resolve(deny.Condition.ArnNotLike))).toContain('cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1');
  });

  test('toVpc() conditions on aws:SourceVpc with the vpc id', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], bucketRestriction: BucketRestriction.toVpc() });
    // THEN
    expect(denyStatement(stack, bucket)!.Condition.StringNotEquals).toEqual({ 'aws:SourceVpc': stack.resolve(vpc.vpcId) });
  });

  test('none() writes no deny', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], bucketRestriction: BucketRestriction.none() });
    // THEN
    expect(denyStatement(stack, bucket)).toBeUndefined();
  });

  test('an adopted endpoint\'s id is the one the deny names', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], endpoint: EndpointSource.fromExisting(existing) });
    // THEN
    expect(denyStatement(stack, bucket)!.Condition.StringNotEquals).toEqual({ 'aws:SourceVpce': 'vpce-0123456789abcdef0' });
  });

  test('an imported bucket gets a bucketPolicyNotApplied warning pointing to BucketOwnerPolicy', () => {
    // GIVEN
    const { stack, vpc } = setup();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'their-bucket');
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [imported] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/S3', Match.stringLikeRegexp(
      '^bucket their-bucket is imported, .*BucketOwnerPolicy.*\\[ack: cdk-s3-private-access:bucketPolicyNotApplied\\]$'));
  });

  test('a bucket of the app gives no bucketPolicyNotApplied warning', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket] });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('/Stack/S3', Match.stringLikeRegexp('bucketPolicyNotApplied'));
  });

  test('a bucket in another region throws', () => {
    // GIVEN
    const { stack, vpc } = setup();
    const far = s3.Bucket.fromBucketAttributes(stack, 'Far', { bucketName: 'far-bucket', region: 'us-east-1' });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [far] }))
      .toThrow(/^bucket far-bucket is in region 'us-east-1' but the stack is in 'eu-west-1': a gateway endpoint only reaches buckets of its own region/);
  });

  test('a bucket imported with the stack\'s region is accepted', () => {
    // GIVEN
    const { stack, vpc } = setup();
    const near = s3.Bucket.fromBucketAttributes(stack, 'Near', { bucketName: 'near-bucket', region: 'eu-west-1' });
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [near] })).not.toThrow();
  });

  test('a stack without a nameable deploy role warns (noDeployRoleExemption)', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { synthesizer: new CliCredentialsStackSynthesizer() });
    const vpc = compliantVpc(stack);
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], exemptPrincipalArns: ['arn:aws:iam::111111111111:role/admin'] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Data/S3EndpointRestriction', Match.stringLikeRegexp('noDeployRoleExemption'));
  });

  test('the default synthesizer gives no noDeployRoleExemption warning', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket] });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('noDeployRoleExemption'));
  });
});

describe('exemptions', () => {
  test('exemptPrincipals (roles) and exemptPrincipalArns join the deploy role in aws:PrincipalArn', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    const imported = iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::111111111111:role/ops');
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], exemptPrincipals: [admin, imported], exemptPrincipalArns: ['arn:aws:iam::111111111111:role/break-glass-*'],
    });
    // THEN
    const exempt = denyStatement(stack, bucket)!.Condition.ArnNotLike['aws:PrincipalArn'];
    expect(exempt).toHaveLength(4);
    expect(exempt).toEqual(expect.arrayContaining([
      stack.resolve(admin.roleArn),
      'arn:aws:iam::111111111111:role/ops',
      'arn:aws:iam::111111111111:role/break-glass-*',
    ]));
  });

  test('a wildcard principal ARN throws', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], exemptPrincipalArns: ['arn:aws:iam::*:role/admin'] }))
      .toThrow(/^exempt principal 'arn:aws:iam::\*:role\/admin' has a wildcard in the partition, service or account/);
  });

  test('AnyPrincipal in exemptPrincipals throws', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], exemptPrincipals: [new iam.AnyPrincipal()] }))
      .toThrow(/^exempt principal '\*' matches any principal/);
  });

  test('a service principal in exemptPrincipals throws: services are exempt already', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], exemptPrincipals: [new iam.ServicePrincipal('lambda.amazonaws.com')] }))
      .toThrow(/^exemptPrincipals contains .*lambda.amazonaws.com.*AWS service principals are exempt already/);
  });

  test('bad exemptions throw before anything is created', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], exemptPrincipalArns: ['*'] })).toThrow();
    // THEN
    expect(stack.node.tryFindChild('S3')?.node.children.length ?? 0).toBe(0);
  });
});

describe('grants and roles', () => {
  test.each([
    ['grantRead', ['s3:GetObject']],
    ['grantWrite', ['s3:PutObject', 's3:AbortMultipartUpload']],
    ['grantReadWrite', ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']],
    ['grantDelete', ['s3:DeleteObject']],
  ] as const)('%s grants the object actions on the prefix only, never s3:*', (method, actions) => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // WHEN
    access[method](role, bucket, { prefix: 'in/' });
    // THEN
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [stack.resolve(role.roleName)] },
    })) as any[];
    const statements = policy.Properties.PolicyDocument.Statement;
    const objectStatement = statements.find((s: any) => JSON.stringify(s.Resource).includes('/in/*'));
    expect([objectStatement.Action].flat().sort()).toEqual([...actions].sort());
    expect(JSON.stringify(statements)).not.toContain('"s3:*"');
  });

  test('grantRead lists only under the prefix', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // WHEN
    access.grantRead(role, bucket, { prefix: 'in/' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['in/', 'in/*'] } }, Resource: stack.resolve(bucket.bucketArn),
        })]),
      },
    });
  });

  test('a prefix with a leading slash throws', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // THEN
    expect(() => access.grantRead(role, bucket, { prefix: '/in/' })).toThrow(/^prefix '\/in\/' starts with '\/'/);
  });

  test('instanceRole creates an EC2 role with its grants and an instance profile', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    const { role, instanceProfile } = S3PrivateAccess.instanceRole(stack, 'App', { grants: [{ bucket, access: BucketAccess.READ }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::InstanceProfile', 1);
    expect(instanceProfile.role).toBe(role);
  });

  test('taskRole creates an ECS task role limited to this account', () => {
    // GIVEN
    const { stack, bucket } = setup();
    // WHEN
    S3PrivateAccess.taskRole(stack, 'Task', { grants: [{ bucket, access: BucketAccess.WRITE, prefix: 'out/' }] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }),
        })],
      },
    });
  });
});
