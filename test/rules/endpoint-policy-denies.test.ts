import { Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { endpointPolicyDenies } from '../../lib/rules/endpoint-policy-denies';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';

function app(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const fn = new lambda.Function(stack, 'Fn', {
    vpc, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  return { vpc, endpoint, fn };
}

describe('S3PA-EndpointPolicyDenies', () => {
  test('fires when the endpoint policy allows another bucket than the one the workload reads', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint, fn } = app(stack);
    const allowed = new s3.Bucket(stack, 'Allowed');
    const data = new s3.Bucket(stack, 'Data');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: [allowed.bucketArn, allowed.arnForObjects('*')],
    }));
    data.grantRead(fn);

    // WHEN
    const findings = summary(findingsOf(stack, endpointPolicyDenies));

    // THEN
    // an error for the read, a warning for the listing that grantRead's s3:List* reaches
    expect(findings).toEqual([
      expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' }),
      expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' }),
    ]);
    expect(findings[0].message).toContain('does not allow s3:GetObject on arn:aws:s3:::{{Stack/Data');
    expect(findings[0].message).toContain('on bucket Stack/Data/Resource, which role Stack/Fn/ServiceRole/Resource of Stack/Fn/Resource');
    expect(findings[1].message).toContain('does not allow s3:ListBucket on arn:aws:s3:::{{Stack/Data');
  });

  test('fires when the endpoint policy allows reads but the workload writes', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint, fn } = app(stack);
    const data = new s3.Bucket(stack, 'Data', { bucketName: 'data-bucket-111111111111' });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: [data.bucketArn, data.arnForObjects('*')],
    }));
    data.grantReadWrite(fn);

    // WHEN
    const findings = summary(findingsOf(stack, endpointPolicyDenies));

    // THEN
    expect(findings.map(f => f.level)).toEqual(['error', 'warning']);
    expect(findings[0].message).toMatch(/does not allow s3:PutObject on arn:aws:s3:::data-bucket-111111111111\/s3pa-probe/);
    expect(findings[0].message).not.toContain('s3:GetObject');
    // what grantReadWrite reaches but a writer may never call (s3:DeleteObject*, tagging...): a warning
    expect(findings[1].message).toMatch(/does not allow s3:DeleteObject, s3:PutObjectLegalHold, s3:PutObjectRetention, s3:PutObjectTagging and s3:PutObjectVersionTagging on .*if the workload makes those requests, they get 403$/);
  });

  test('is quiet when the endpoint policy allows what the workload is granted', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint, fn } = app(stack);
    const data = new s3.Bucket(stack, 'Data');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [data.bucketArn, data.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    }));
    data.grantRead(fn);

    // WHEN / THEN
    expect(findingsOf(stack, endpointPolicyDenies)).toEqual([]);
  });

  test('is quiet for an endpoint without a policy (full access)', () => {
    // GIVEN
    const stack = envStack();
    const { fn } = app(stack);
    new s3.Bucket(stack, 'Data').grantReadWrite(fn);

    // WHEN / THEN
    expect(findingsOf(stack, endpointPolicyDenies)).toEqual([]);
  });

  test('knows that a condition on the stack\'s own unresolved account holds for a role of the same stack', () => {
    // GIVEN: an env-agnostic stack, so the principal account is a token, but the same token as the role's account
    const stack = agnosticStack();
    const { endpoint, fn } = app(stack);
    const data = new s3.Bucket(stack, 'Data');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [data.bucketArn, data.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
    }));
    data.grantRead(fn);

    // WHEN / THEN the role's account is the stack's account: the endpoint policy allows it
    expect(findingsOf(stack, endpointPolicyDenies)).toEqual([]);
  });

  test('cannot judge a policy whose condition names an account from a parameter', () => {
    // GIVEN the account comes from a parameter, not the stack
    const stack = agnosticStack();
    const { endpoint, fn } = app(stack);
    const data = new s3.Bucket(stack, 'Data');
    const account = new CfnParameter(stack, 'Account');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [data.bucketArn, data.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:PrincipalAccount': account.valueAsString } },
    }));
    data.grantRead(fn);

    // WHEN
    const findings = summary(findingsOf(stack, endpointPolicyDenies));

    // THEN
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].message).toMatch(/^cannot judge: whether the policy of S3 gateway endpoint Stack\/Vpc\/S3\/Resource allows s3:ListBucket .* and s3:GetObject/);
  });
});
