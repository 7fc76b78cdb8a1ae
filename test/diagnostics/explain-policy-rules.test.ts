import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { explainTemplates } from '../../lib/diagnostics/explain';
import { PathExplanation } from '../../lib/diagnostics/types';
import { templatesOfScope } from '../../lib/input/scope';

/**
 * The policy rules of issue 14 in explain: each finding shows on the hop its rule declares, on the paths of the
 * requests it concerns and on no other.
 */

const ENV = { account: '111111111111', region: 'eu-west-1' };
const CODE = lambda.Code.fromInline('exports.handler = async () => ({})');

function explain(app: App, from: string, bucket: string, action?: string): PathExplanation {
  return explainTemplates(templatesOfScope(app).stacks, { from, bucket, action });
}

function hop(e: PathExplanation, name: string) {
  return e.hops.find(h => h.name === name)!;
}

/**
 * A bucket restricted to the endpoint by a Deny on aws:SourceVpce with `operator`, read by a function through the
 * endpoint (`Inside`) and by one whose subnets reach S3 through NAT (`Outside`).
 */
function perimeterApp(operator: string): App {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'nat', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'isolated' }] });
  const bucket = new s3.Bucket(stack, 'Data');
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { [operator]: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
  }));
  for (const [id, group] of [['Inside', 'isolated'], ['Outside', 'nat']]) {
    const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc, vpcSubnets: { subnetGroupName: group } });
    bucket.grantRead(fn);
  }
  return app;
}

describe('explain shows the policy rules of issue 14 on their hops', () => {
  test('S3PA-SetOperatorSingleValued fails the bucket policy hop of a request through no endpoint, not of one through it', () => {
    // GIVEN
    const app = perimeterApp('ForAnyValue:StringNotEquals');

    // WHEN
    const outside = explain(app, 'Outside', 'Data');
    const inside = explain(app, 'Inside', 'Data');

    // THEN the hole is on the NAT path: the Deny should have stopped it
    expect(hop(outside, 'bucket-policy')).toMatchObject({ verdict: 'fail', ruleId: 'S3PA-SetOperatorSingleValued' });
    expect(inside.hops.filter(h => h.verdict === 'fail')).toEqual([]);
  });

  test('the clean twin with the plain operator: no set-operator finding on the NAT path', () => {
    // GIVEN
    const app = perimeterApp('StringNotEquals');

    // WHEN
    const outside = explain(app, 'Outside', 'Data');

    // THEN
    expect(hop(outside, 'bucket-policy').evidence.join('\n')).not.toMatch(/S3PA-SetOperatorSingleValued/);
  });

  test('S3PA-EndpointPolicyPerimeter fails the endpoint policy hop of an ECS service\'s path to the ECR layer bucket', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    }));
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app')) });
    new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: task });

    // WHEN
    const e = explain(app, 'Service', 'prod-eu-west-1-starport-layer-bucket');

    // THEN
    expect(e.firstFailure).toMatchObject({ name: 'endpoint-policy', ruleId: 'S3PA-EndpointPolicyPerimeter' });
  });

  test('S3PA-SourceVpcRegion is a warning in the bucket policy hop; S3PA-PresignedOutsideVpc (requests through no endpoint) stays off a path through it', () => {
    // GIVEN a two-region app whose CORS bucket trusts a VPC id
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new Stack(app, 'Replica', { env: { ...ENV, region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Data', { cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['https://app.example.com'] }] });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpc': vpc.vpcId } },
    }));
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, vpc });
    bucket.grantRead(fn);

    // WHEN
    const e = explain(app, 'Fn', 'Data');

    // THEN the region warning concerns every path; the CORS one concerns requests through no endpoint, not this one
    const evidence = hop(e, 'bucket-policy').evidence.join('\n');
    expect(hop(e, 'bucket-policy').verdict).toBe('ok');
    expect(evidence).toMatch(/warning: \[S3PA-SourceVpcRegion\] bucket policy Stack\/Data\/Policy\/Resource compares aws:SourceVpc/);
    expect(evidence).not.toMatch(/S3PA-PresignedOutsideVpc/);
  });
});
