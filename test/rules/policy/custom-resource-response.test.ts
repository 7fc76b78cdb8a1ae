import { CfnWaitCondition, CfnWaitConditionHandle, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { customResourceResponse } from '../../../lib/rules/policy/custom-resource-response';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

const CODE = lambda.Code.fromInline('exports.handler = async () => ({})');

/** An isolated VPC whose S3 gateway endpoint allows only the app's bucket. */
function restrictedVpc(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const data = new s3.Bucket(stack, 'Data');
  endpoint.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:PutObject'], resources: [data.arnForObjects('*')],
  }));
  return { vpc, endpoint };
}

/** The clean twin's addition: CloudFormation's response buckets, as AwsOwnedBuckets.CLOUDFORMATION_RESPONSES writes them. */
function allowResponses(endpoint: ec2.GatewayVpcEndpoint) {
  endpoint.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: ['arn:aws:s3:::cloudformation-custom-resource-response-euwest1/*', 'arn:aws:s3:::cloudformation-waitcondition-eu-west-1/*'],
  }));
}

/** A custom resource whose ServiceToken is a function in the VPC. */
function directCustomResource(stack: Stack, vpc: ec2.IVpc) {
  const handler = new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc });
  new CustomResource(stack, 'Thing', { serviceToken: handler.functionArn });
}

describe('S3PA-CustomResourceResponse', () => {
  test('fires when a VPC function answers a custom resource behind an endpoint policy without the response bucket', () => {
    // GIVEN
    const stack = envStack();
    const { vpc } = restrictedVpc(stack);
    directCustomResource(stack, vpc);

    // WHEN
    const findings = findingsOf(stack, customResourceResponse);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].message).toBe('the policy of S3 endpoint Stack/Vpc/S3/Resource does not allow s3:PutObject on '
      + 'arn:aws:s3:::cloudformation-custom-resource-response-euwest1/*, CloudFormation\'s response bucket for custom '
      + 'resource Stack/Thing/Default (answered by Stack/Handler/Resource): the response PUT gets 403 and the deployment '
      + 'hangs until CloudFormation times out');
    expect(findings[0].fix).toContain('AwsOwnedBuckets.CLOUDFORMATION_RESPONSES');
    expect(findings[0].subjects.buckets).toEqual(['external:cloudformation-custom-resource-response-euwest1']);
    expect(findings[0].hop).toBe('endpoint-policy');
  });

  test('is quiet for the clean twin whose endpoint policy allows CloudFormation\'s response buckets', () => {
    // GIVEN
    const stack = envStack();
    const { vpc, endpoint } = restrictedVpc(stack);
    directCustomResource(stack, vpc);
    allowResponses(endpoint);

    // THEN
    expect(findingsOf(stack, customResourceResponse)).toEqual([]);
  });

  test('names the perimeter condition that keeps the presigned response out', () => {
    // GIVEN the response bucket is allowed, but only for the organization's principals
    const stack = envStack();
    const { vpc, endpoint } = restrictedVpc(stack);
    directCustomResource(stack, vpc);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::cloudformation-custom-resource-response-euwest1/*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    }));

    // THEN
    const found = summary(findingsOf(stack, customResourceResponse));
    expect(found.map(f => f.level)).toEqual(['error']);
    expect(found[0].message).toContain('(its Allow statements are conditioned on aws:PrincipalOrgID, which the presigned response never matches)');
  });

  test('fires for a Provider framework in the VPC: its isComplete function answers too, the user handlers do not', () => {
    // GIVEN a provider whose framework functions run in the VPC
    const stack = envStack();
    const { vpc } = restrictedVpc(stack);
    const onEvent = new lambda.Function(stack, 'OnEvent', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc });
    const isComplete = new lambda.Function(stack, 'IsComplete', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent, isCompleteHandler: isComplete, vpc, totalTimeout: Duration.minutes(30) });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken });

    // WHEN
    const found = summary(findingsOf(stack, customResourceResponse));

    // THEN the framework's onEvent, isComplete and onTimeout functions, not the user's
    expect(found.map(f => f.level)).toEqual(['error', 'error', 'error']);
    expect(found.map(f => /answered by (\S+)\)/.exec(f.message)![1]).sort()).toEqual([
      'Stack/Provider/framework-isComplete/Resource', 'Stack/Provider/framework-onEvent/Resource', 'Stack/Provider/framework-onTimeout/Resource',
    ]);
  });

  test('is quiet for a Provider framework outside the VPC whose user handler runs in the VPC', () => {
    // GIVEN the twin of the test above without the provider's vpc
    const stack = envStack();
    const { vpc } = restrictedVpc(stack);
    const onEvent = new lambda.Function(stack, 'OnEvent', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent });
    new CustomResource(stack, 'Thing', { serviceToken: provider.serviceToken });

    // THEN
    expect(findingsOf(stack, customResourceResponse)).toEqual([]);
  });

  test('fires for an instance whose user data signals a wait condition handle', () => {
    // GIVEN
    const stack = envStack();
    const { vpc } = restrictedVpc(stack);
    const handle = new CfnWaitConditionHandle(stack, 'Handle');
    new CfnWaitCondition(stack, 'Wait', { handle: handle.ref, timeout: '900' });
    const host = new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    host.userData.addCommands(`/opt/aws/bin/cfn-signal -e 0 '${handle.ref}'`);

    // WHEN
    const found = summary(findingsOf(stack, customResourceResponse));

    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' })]);
    expect(found[0].message).toContain('s3:PutObject on arn:aws:s3:::cloudformation-waitcondition-eu-west-1/*, CloudFormation\'s '
      + 'response bucket for wait condition handle Stack/Handle (answered by Stack/Host/Resource)');
  });

  test('is quiet for the wait condition\'s clean twin', () => {
    // GIVEN
    const stack = envStack();
    const { vpc, endpoint } = restrictedVpc(stack);
    allowResponses(endpoint);
    const handle = new CfnWaitConditionHandle(stack, 'Handle');
    const host = new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    host.userData.addCommands(`/opt/aws/bin/cfn-signal -e 0 '${handle.ref}'`);

    // THEN
    expect(findingsOf(stack, customResourceResponse)).toEqual([]);
  });

  test('warns when only some of the function\'s subnets route through the restricted endpoint', () => {
    // GIVEN two subnets, only one of whose route tables the endpoint serves
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets: [vpc.isolatedSubnets[0]] }] });
    endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] }));
    directCustomResource(stack, vpc);

    // THEN
    const found = summary(findingsOf(stack, customResourceResponse));
    expect(found.map(f => f.level)).toEqual(['warning']);
    expect(found[0].message).toMatch(/responses from subnet Stack\/Vpc\/PrivateSubnet1\/Subnet get 403, so some deployments hang/);
  });

  test('is quiet for a function outside the VPC', () => {
    // GIVEN
    const stack = envStack();
    restrictedVpc(stack);
    const handler = new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE });
    new CustomResource(stack, 'Thing', { serviceToken: handler.functionArn });

    // THEN
    expect(findingsOf(stack, customResourceResponse)).toEqual([]);
  });

  test('cannot judge in an environment-agnostic stack: the bucket\'s name depends on the region', () => {
    // GIVEN
    const stack = agnosticStack();
    const { vpc } = restrictedVpc(stack);
    directCustomResource(stack, vpc);

    // WHEN
    const findings = findingsOf(stack, customResourceResponse);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].cannotJudge).toBe(true);
    expect(findings[0].message).toMatch(/^cannot judge: whether the policy of S3 endpoint Stack\/Vpc\/S3\/Resource lets custom resource Stack\/Thing\/Default/);
  });
});
