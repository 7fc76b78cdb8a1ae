import { App, CustomResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { corpusStack, CorpusApp, ENV, isolatedOnly, nodeFunction } from './corpus';

const RESPONSES = [
  `arn:aws:s3:::cloudformation-custom-resource-response-${ENV.region.replace(/-/g, '')}/*`,
  `arn:aws:s3:::cloudformation-waitcondition-${ENV.region}/*`,
];

/**
 * A custom resource whose Provider framework runs in isolated subnets (it seeds a table in a private database, say),
 * behind an endpoint policy restricted to the app's bucket and CloudFormation's response buckets; the faulty twin
 * leaves the response buckets out.
 */
export const customResourceInVpc: CorpusApp = {
  name: 'custom-resource-in-vpc',
  about: 'a Provider framework in the VPC answers CloudFormation through its response bucket',
  faults: {
    'no-response-bucket': ['S3PA-CustomResourceResponse'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Seeder');
    const vpc = isolatedOnly(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Seeds', { enforceSSL: true });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    if (fault !== 'no-response-bucket') {
      endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'], resources: RESPONSES }));
    }
    const onEvent = nodeFunction(stack, 'SeedHandler', { vpc });
    bucket.grantRead(onEvent);
    const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: onEvent, vpc });
    new CustomResource(stack, 'Seed', { serviceToken: provider.serviceToken });
    return app;
  },
};

/**
 * An organization perimeter on the endpoint (only principals of the organization, only buckets of the organization),
 * with the AWS-owned ECR layer bucket carved out in its own statement for the Fargate service; the faulty twin puts
 * the layer bucket under the perimeter.
 */
export const organizationPerimeter: CorpusApp = {
  name: 'organization-perimeter',
  about: 'a data perimeter on the endpoint carves the AWS-owned buckets out',
  faults: {
    'layers-in-perimeter': ['S3PA-EndpointPolicyPerimeter'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Perimeter');
    const vpc = isolatedOnly(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const layers = `arn:aws:s3:::prod-${ENV.region}-starport-layer-bucket/*`;
    const inPerimeter = fault === 'layers-in-perimeter';
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*'), ...(inPerimeter ? [layers] : [])],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123', 'aws:ResourceOrgID': 'o-abc123' } },
    }));
    if (!inPerimeter) {
      endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [layers] }));
    }
    for (const [id, service] of [['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER]] as const) {
      vpc.addInterfaceEndpoint(id, { service });
    }
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('worker', { image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'worker')) });
    new ecs.FargateService(stack, 'Worker', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: task });
    return app;
  },
};

/**
 * A bucket restricted to the VPC's endpoint, in an app with a second region: the Deny compares aws:SourceVpce (an
 * endpoint id, no region guard needed) with the plain operator, and the function that reads it is not reachable from
 * outside;
 * the faulty twin writes the Deny with ForAnyValue:StringNotEquals (requests through no endpoint are let through).
 */
export const endpointOnlyBucket: CorpusApp = {
  name: 'endpoint-only-bucket',
  about: 'a bucket perimeter on aws:SourceVpce, written with the plain operator',
  faults: {
    'for-any-value': ['S3PA-SetOperatorSingleValued'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Primary');
    corpusStack(app, 'Replica', { env: { ...ENV, region: 'us-east-1' } });
    const vpc = isolatedOnly(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        [fault === 'for-any-value' ? 'ForAnyValue:StringNotEquals' : 'StringNotEquals']: { 'aws:SourceVpce': endpoint.vpcEndpointId },
        // the lockout exemptions: the deploy role, AWS services and calls they make for a principal
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ENV.account}:role/cdk-hnb659fds-cfn-exec-role-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
    const fn = nodeFunction(stack, 'Reader', { vpc, environment: { BUCKET: bucket.bucketName } });
    bucket.grantRead(fn);
    return app;
  },
};
