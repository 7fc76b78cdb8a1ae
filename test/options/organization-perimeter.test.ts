import { Aws, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsOwnedBuckets, BucketEndpointRestriction, BucketOwnerPolicy, BucketRestriction, BucketRestrictionMode, EndpointPolicy,
  S3PrivateAccess,
} from '../../lib';
import { compliantVpc, envBoundStack } from '../helpers/s3pa-fixtures';

const ORG = 'o-a1b2c3d4e5';

function setup() {
  const { app, stack } = envBoundStack();
  const vpc = compliantVpc(stack);
  const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  return { app, stack, vpc, bucket };
}

function deny(stack: Stack): any {
  const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .find((s: any) => s.Effect === 'Deny' && s.Condition?.StringNotEquals);
}

describe('BucketRestrictionMode', () => {
  test.each([
    [BucketRestriction.toEndpoint(), BucketRestrictionMode.ENDPOINT, 'endpoint'],
    [BucketRestriction.toVpc(), BucketRestrictionMode.VPC, 'vpc'],
    [BucketRestriction.none(), BucketRestrictionMode.NONE, 'none'],
    [BucketRestriction.toOrganization(ORG), BucketRestrictionMode.ORGANIZATION, 'organization'],
    [BucketRestriction.toAccounts(['111111111111']), BucketRestrictionMode.ACCOUNTS, 'accounts'],
  ])('mode is the enum member, whose value is the old string', (restriction, mode, text) => {
    expect(restriction.mode).toBe(mode);
    expect(restriction.mode).toBe(text);
  });
});

describe('BucketRestriction.toOrganization / toAccounts', () => {
  test('toOrganization: the Deny conditions on aws:VpceOrgID, with the usual exemptions', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], bucketRestriction: BucketRestriction.toOrganization(ORG) });
    // THEN
    const statement = deny(stack);
    expect(statement.Sid).toBe('DenyUnlessThroughPerimeterEndpoint');
    expect(statement.Condition.StringNotEquals).toEqual({ 'aws:VpceOrgID': ORG });
    expect(statement.Condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' });
    expect(JSON.stringify(stack.resolve(statement.Condition.ArnNotLike))).toContain('cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1');
  });

  test('toAccounts: the Deny conditions on aws:VpceAccount', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], bucketRestriction: BucketRestriction.toAccounts(['111111111111', '222222222222']),
    });
    // THEN
    expect(deny(stack).Condition.StringNotEquals).toEqual({ 'aws:VpceAccount': ['111111111111', '222222222222'] });
  });

  test('toAccounts without the stack\'s own account throws: its own endpoint would be denied', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN / THEN
    expect(() => new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], bucketRestriction: BucketRestriction.toAccounts(['222222222222']) }))
      .toThrow(/leaves out account 111111111111, which owns this construct's endpoint/);
  });

  test('an organization and an endpoint on one bucket: one Deny, either passes', () => {
    // GIVEN
    const { stack, vpc, bucket } = setup();
    // WHEN
    const access = new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket] });
    BucketEndpointRestriction.of(bucket).allowOrganization(ORG);
    // THEN
    expect(deny(stack).Condition.StringNotEquals).toEqual({ 'aws:SourceVpce': stack.resolve(access.endpointId), 'aws:VpceOrgID': ORG });
  });

  test.each([
    [() => BucketRestriction.toOrganization('org-1'), /is not an organization id/],
    [() => BucketRestriction.toOrganization('o-abc'), /is not an organization id/],
    [() => BucketRestriction.toAccounts([]), /needs at least one account id/],
    [() => BucketRestriction.toAccounts(['12345']), /is not an account id/],
  ])('rejects bad ids (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('tokens are not judged', () => {
    expect(() => BucketRestriction.toOrganization(Lazy.string({ produce: () => ORG }))).not.toThrow();
    expect(() => BucketRestriction.toAccounts([Aws.ACCOUNT_ID])).not.toThrow();
  });

  test('BucketOwnerPolicy takes organizationIds and endpointAccountIds', () => {
    // WHEN
    const statements = BucketOwnerPolicy.statements({
      bucketName: 'shared-data',
      organizationIds: [ORG],
      endpointAccountIds: ['111111111111'],
      workloadRoleArns: ['arn:aws:iam::111111111111:role/app'],
      adminPrincipalArns: ['arn:aws:iam::222222222222:role/admin'],
    }).map((s) => s.toStatementJson());
    // THEN
    const denyStatement = statements.find((s) => s.Effect === 'Deny')!;
    expect(denyStatement.Condition.StringNotEquals).toEqual({ 'aws:VpceOrgID': ORG, 'aws:VpceAccount': '111111111111' });
    expect(denyStatement.Condition.ArnNotLike).toEqual({ 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/admin' });
  });
});

describe('EndpointPolicy.restrictToOrganization / restrictToAccounts', () => {
  test('allows the organization\'s buckets by aws:ResourceOrgID, and carves the AWS-owned buckets out without it', () => {
    // GIVEN
    const { stack, vpc } = setup();
    // WHEN
    new S3PrivateAccess(stack, 'S3', {
      vpc,
      endpointPolicy: EndpointPolicy.restrictToOrganization(ORG, { allowAwsOwnedBuckets: [AwsOwnedBuckets.ECR_LAYERS] }),
    });
    // THEN
    const partitioned = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'AllowBucketActionsInOrganization',
            Principal: '*',
            Resource: partitioned(':s3:::*'),
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORG } },
          }),
          Match.objectLike({
            Sid: 'AllowObjectActionsInOrganization',
            Principal: '*',
            Resource: partitioned(':s3:::*/*'),
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORG } },
          }),
          {
            Sid: 'AllowAwsOwnedEcrLayers',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: partitioned(':s3:::prod-eu-west-1-starport-layer-bucket/*'),
          },
        ],
      },
    });
  });

  test('restrictToAccounts conditions on aws:ResourceAccount', () => {
    // GIVEN
    const { stack } = setup();
    // WHEN
    const statements = EndpointPolicy.restrictToAccounts(['111111111111']).statements(stack).map((s) => stack.resolve(s.toStatementJson()));
    // THEN
    expect(statements.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
      { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
    ]);
  });

  test.each([
    [() => EndpointPolicy.restrictToOrganization('nope'), /is not an organization id/],
    [() => EndpointPolicy.restrictToAccounts([]), /needs at least one account id/],
    [() => EndpointPolicy.restrictToAccounts(['abc']), /is not an account id/],
    [() => EndpointPolicy.restrictToOrganization(ORG, { actions: ['s3:*'] }), /too broad/],
  ])('rejects bad input (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
