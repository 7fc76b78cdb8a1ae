import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { endpointPolicyDenies } from '../../../lib/rules/policy/endpoint-policy-denies';
import { endpointPolicyPerimeter } from '../../../lib/rules/policy/endpoint-policy-perimeter';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

const LAYERS = 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*';

function isolatedVpc(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  return { vpc, endpoint };
}

/** A Fargate service pulling from ECR; the endpoint policy's only Allow is conditioned on `conditions`. */
function perimeterApp(stack: Stack, conditions: Record<string, any>) {
  const { vpc, endpoint } = isolatedVpc(stack);
  const data = new s3.Bucket(stack, 'Data');
  endpoint.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [data.arnForObjects('*'), LAYERS], conditions,
  }));
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')) });
  new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });
  return { vpc, endpoint, data };
}

/** A function granted on a bucket, behind an endpoint whose policy is Deny statements only. */
function denyOnlyApp(stack: Stack, grant: boolean) {
  const { vpc } = isolatedVpc(stack);
  const endpoint = vpc.node.findChild('S3') as ec2.GatewayVpcEndpoint;
  endpoint.addToPolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:DeleteObject'], resources: ['*'],
  }));
  const data = new s3.Bucket(stack, 'Data');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), vpc,
  });
  if (grant) data.grantRead(fn);
  return { endpoint, data, fn };
}

describe('S3PA-EndpointPolicyPerimeter', () => {
  test.each(['aws:PrincipalOrgID', 'aws:PrincipalAccount', 'aws:ResourceOrgID', 'aws:ResourceAccount'])(
    'fires when the ECR layer allowance of an ECS service is conditioned on %s', (key) => {
      // GIVEN
      const stack = envStack();
      perimeterApp(stack, { StringEquals: { [key]: key.endsWith('OrgID') ? 'o-abc123' : '111111111111' } });

      // WHEN
      const findings = findingsOf(stack, endpointPolicyPerimeter);

      // THEN
      expect(summary(findings)).toEqual([{
        level: 'error',
        path: 'Stack/Vpc/S3/Resource',
        message: `the policy of S3 endpoint Stack/Vpc/S3/Resource allows ${LAYERS} (ECR image layers: pulls fail with `
          + `CannotPullContainerError) only under ${key}, which requests to AWS-owned buckets never match (AWS owns them `
          + 'and makes or presigns the reads), so Stack/Service/Service is denied',
      }]);
      expect(findings[0].fix).toContain('AwsOwnedBuckets.ECR_LAYERS (s3:GetObject on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*) in its own statement');
      expect(findings[0].subjects.buckets).toEqual(['external:prod-eu-west-1-starport-layer-bucket']);
    });

  test('is quiet for the clean twin that carves the layer bucket out of the perimeter', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint } = perimeterApp(stack, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } });
    endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [LAYERS] }));

    // THEN
    expect(findingsOf(stack, endpointPolicyPerimeter)).toEqual([]);
  });

  test('is quiet for a perimeter that names no AWS-owned bucket at all (S3PA-EndpointPolicyAwsBuckets judges that)', () => {
    // GIVEN
    const stack = envStack();
    const { vpc, endpoint } = isolatedVpc(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data/*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    }));
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')) });
    new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });

    // THEN
    expect(findingsOf(stack, endpointPolicyPerimeter)).toEqual([]);
  });

  test('warns for an instance whose image the template does not show, behind a perimeter policy', () => {
    // GIVEN
    const stack = envStack();
    const { vpc, endpoint } = isolatedVpc(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceOrgID': 'o-abc123' } },
    }));
    new ec2.Instance(stack, 'Host', {
      vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
    });

    // THEN
    const found = summary(findingsOf(stack, endpointPolicyPerimeter));
    expect(found).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(found[0].message).toBe('the policy of S3 endpoint Stack/Vpc/S3/Resource conditions its Allow statements on '
      + 'aws:ResourceOrgID, which requests to AWS-owned buckets (package repositories, SSM Agent, ECS and CloudFormation '
      + 'buckets) never match; the app does not show whether Stack/Host/Resource reads them');
  });

  test('fires once for an endpoint policy of Deny statements only, and S3PA-EndpointPolicyDenies stays quiet', () => {
    // GIVEN
    const stack = envStack();
    denyOnlyApp(stack, true);

    // WHEN
    const found = summary(findingsOf(stack, endpointPolicyPerimeter));

    // THEN
    expect(found).toEqual([{
      level: 'error',
      path: 'Stack/Vpc/S3/Resource',
      message: 'the policy of S3 endpoint Stack/Vpc/S3/Resource has Deny statements only: it allows nothing, so every S3 '
        + 'request of Stack/Fn/Resource through the endpoint gets 403',
    }]);
    expect(findingsOf(stack, endpointPolicyDenies)).toEqual([]);
  });

  test('is quiet for the clean twin whose Deny sits beside an Allow', () => {
    // GIVEN
    const stack = envStack();
    const { endpoint, data } = denyOnlyApp(stack, true);
    endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: [data.bucketArn, data.arnForObjects('*')] }));

    // THEN
    expect(findingsOf(stack, endpointPolicyPerimeter)).toEqual([]);
  });

  test('warns for a Deny-only policy when no workload routed through it surely uses S3', () => {
    // GIVEN the function is granted nothing
    const stack = envStack();
    denyOnlyApp(stack, false);

    // THEN
    const found = summary(findingsOf(stack, endpointPolicyPerimeter));
    expect(found.map(f => f.level)).toEqual(['warning']);
    expect(found[0].message).toMatch(/every S3 request of Stack\/Fn\/Resource through the endpoint gets 403, if it uses S3 \(/);
  });

  test('cannot judge the perimeter in an environment-agnostic stack', () => {
    // GIVEN
    const stack = agnosticStack();
    perimeterApp(stack, { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } });

    // WHEN
    const findings = findingsOf(stack, endpointPolicyPerimeter);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(findings[0].cannotJudge).toBe(true);
    expect(findings[0].message).toMatch(/^cannot judge: whether the perimeter conditions \(aws:PrincipalOrgID\) .* that Stack\/Service\/Service need: their names depend on the region/);
  });
});
