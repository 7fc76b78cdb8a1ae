import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { proxyEnv } from '../../lib/rules/proxy-env';
import { envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, isolatedVpc } from '../helpers/routing-fixtures';

const PROXY = 'http://proxy.internal:3128';

function fn(stack: Stack, environment: Record<string, string>): lambda.Function {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), environment,
  });
}

function task(stack: Stack, environment: Record<string, string>): ecs.TaskDefinition {
  const td = new ecs.FargateTaskDefinition(stack, 'Task');
  td.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), environment });
  return td;
}

describe('S3PA-ProxyEnv', () => {
  test('fires on a service whose container sets HTTPS_PROXY and a NO_PROXY missing the credential endpoints', () => {
    // GIVEN a Fargate service that uses S3, with the proxy settings
    const stack = envStack();
    fargateService(stack, isolatedVpc(stack), { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, 'Svc',
      { BUCKET_NAME: 'app-data-bucket', HTTPS_PROXY: PROXY, NO_PROXY: 'localhost,10.0.0.0/8' });

    // WHEN
    const findings = summary(findingsOf(stack, proxyEnv));

    // THEN
    expect(findings).toEqual([{
      level: 'error',
      path: 'Stack/SvcTask/Resource',
      message: expect.stringMatching(/does not cover .amazonaws.com, 169.254.169.254, 169.254.170.2, so those calls go to the proxy: the SDK gets no credentials through the proxy$/),
    }]);
  });

  test('warns on a task definition that no workload of the app runs in a VPC', () => {
    // GIVEN
    const stack = envStack();
    task(stack, { HTTPS_PROXY: PROXY, NO_PROXY: 'localhost,10.0.0.0/8' });

    // WHEN
    const findings = summary(findingsOf(stack, proxyEnv));

    // THEN
    expect(findings).toEqual([{
      level: 'warning',
      path: 'Stack/Task/Resource',
      message: 'container app of task definition Stack/Task/Resource sets HTTPS_PROXY but NO_PROXY "localhost,10.0.0.0/8" '
        + 'does not cover .amazonaws.com, 169.254.169.254, 169.254.170.2, so those calls go to the proxy: the SDK gets no credentials through the proxy',
    }]);
  });

  test('warns on a VPC-less Lambda function with a lower-case proxy and no no_proxy at all', () => {
    // GIVEN a function outside any VPC
    const stack = envStack();
    fn(stack, { http_proxy: PROXY });

    // THEN
    expect(summary(findingsOf(stack, proxyEnv))).toEqual([{
      level: 'warning', path: 'Stack/Fn/Resource', message: 'Lambda function Stack/Fn/Resource sets http_proxy and no NO_PROXY, so calls to .amazonaws.com go to the proxy',
    }]);
  });

  test('passes a container whose NO_PROXY covers the AWS names and both credential endpoints', () => {
    // GIVEN a CIDR entry for the link-local range and a leading-dot suffix
    const stack = envStack();
    task(stack, { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, no_proxy: '.amazonaws.com, 169.254.0.0/16' });

    // THEN
    expect(findingsOf(stack, proxyEnv)).toEqual([]);
  });

  test('passes a Lambda function whose NO_PROXY names the regional S3 endpoint (no credential endpoints needed)', () => {
    // GIVEN
    const stack = envStack();
    fn(stack, { HTTPS_PROXY: PROXY, NO_PROXY: 's3.eu-west-1.amazonaws.com' });

    // THEN
    expect(findingsOf(stack, proxyEnv)).toEqual([]);
  });

  test('passes environments without a proxy', () => {
    // GIVEN
    const stack = envStack();
    task(stack, { NO_PROXY: 'localhost' });

    // THEN
    expect(findingsOf(stack, proxyEnv)).toEqual([]);
  });

  test('cannot judge a NO_PROXY read from a parameter', () => {
    // GIVEN a value that is a token at synth time
    const stack = envStack();
    fn(stack, { HTTPS_PROXY: PROXY, NO_PROXY: ssm.StringParameter.valueForStringParameter(stack, '/proxy/no-proxy') });

    // THEN
    expect(summary(findingsOf(stack, proxyEnv))).toEqual([{
      level: 'warning', path: 'Stack/Fn/Resource', message: expect.stringContaining('cannot judge: the NO_PROXY of Lambda function Stack/Fn/Resource'),
    }]);
  });
});
