import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { corpusStack, CorpusApp, ENV, isolatedOnly, nodeFunction } from './corpus';

/** A restricted endpoint policy that allows the app's bucket only (and, optionally, the ECR layer bucket). */
function restrictTo(endpoint: ec2.GatewayVpcEndpoint, bucket: s3.IBucket, layers: boolean): void {
  endpoint.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
  }));
  if (layers) {
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [`arn:aws:s3:::prod-${ENV.region}-starport-layer-bucket/*`],
    }));
  }
}

/**
 * Container images in isolated subnets behind a restricted endpoint policy: a Lambda function from ECR (pulled by the
 * Lambda service, outside the VPC) and, in the faulty twin, an ECS service from ECR without the layer allowance.
 */
export const containerImages: CorpusApp = {
  name: 'container-images',
  about: 'Lambda container images need no ECR-layer allowance; ECS tasks do',
  faults: {
    'ecs-without-layers': ['S3PA-EndpointPolicyAwsBuckets'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Images');
    const vpc = isolatedOnly(stack);
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    restrictTo(endpoint, bucket, false);
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'processor');
    const fn = new lambda.DockerImageFunction(stack, 'Processor', { code: lambda.DockerImageCode.fromEcr(repo), vpc });
    bucket.grantReadWrite(fn);
    if (fault === 'ecs-without-layers') {
      for (const [id, service] of [['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER]] as const) {
        vpc.addInterfaceEndpoint(id, { service });
      }
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('worker', { image: ecs.ContainerImage.fromEcrRepository(repo) });
      bucket.grantRead(task.taskRole);
      new ecs.FargateService(stack, 'Worker', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: task });
    }
    return app;
  },
};

/** Grants through IAM wildcards: objects under `arn:aws:s3:::prefix*`, the key through `key/*` of the account. */
export const wildcardGrants: CorpusApp = {
  name: 'wildcard-grants',
  about: 'IAM * matches across /, and key/* covers the bucket key',
  faults: {
    'key-of-other-region': ['S3PA-KmsGrant'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Wildcards');
    const vpc = isolatedOnly(stack);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new s3.Bucket(stack, 'Reports', { bucketName: 'reports-eu-west-1-111111111111', encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    const fn = nodeFunction(stack, 'Reader', { vpc });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetObject'], resources: ['arn:aws:s3:::reports-*'] }));
    const region = fault === 'key-of-other-region' ? 'us-east-1' : ENV.region;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [`arn:aws:kms:${region}:${ENV.account}:key/*`] }));
    return app;
  },
};

/**
 * One bucket read from two VPCs, each with its own S3 gateway endpoint, restricted by a Deny that lists the
 * endpoints, beside a partner's literal endpoint id.
 */
export const sharedBucketTwoVpcs: CorpusApp = {
  name: 'shared-bucket-two-vpcs',
  about: 'a Deny on aws:SourceVpce is judged per request: the partner literal is fine, a missing endpoint is not',
  faults: {
    'second-endpoint-missing': ['S3PA-SourceVpceValue'],
    'vpc-id-in-source-vpce': ['S3PA-SourceVpceValue'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Shared');
    const bucket = new s3.Bucket(stack, 'Shared', { enforceSSL: true });
    const endpoints: string[] = [];
    const vpcIds: string[] = [];
    for (const [id, cidr] of [['A', '10.1.0.0/16'], ['B', '10.2.0.0/16']]) {
      const vpc = isolatedOnly(stack, `Vpc${id}`, cidr);
      endpoints.push(vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }).vpcEndpointId);
      vpcIds.push(vpc.vpcId);
      bucket.grantRead(nodeFunction(stack, `Reader${id}`, { vpc }));
    }
    const allowed = fault === 'second-endpoint-missing' ? [endpoints[0]]
      : fault === 'vpc-id-in-source-vpce' ? vpcIds : endpoints;
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyOutsideEndpoints',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': [...allowed, 'vpce-0fedcba9876543210'] },
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ENV.account}:role/cdk-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
    return app;
  },
};

/**
 * A network stack (VPC and S3 endpoint) and an app stack (a function in the NAT tier and a bucket that requires the
 * endpoint), the endpoint id crossing stacks as an export.
 */
export const crossStackEndpoint: CorpusApp = {
  name: 'cross-stack-endpoint',
  about: 'two stacks: the app\'s bucket requires the network stack\'s endpoint, referenced across stacks',
  faults: {
    'fn-tier-off-endpoint': ['S3PA-RouteNotAssociated'],
  },
  build(fault) {
    const app = new App();
    const network = corpusStack(app, 'Network');
    const vpc = new ec2.Vpc(network, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'batch', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'app' }] });
    const stack = corpusStack(app, 'App');
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ENV.account}:role/cdk-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
    const fn = nodeFunction(stack, 'Writer', { vpc, vpcSubnets: { subnetGroupName: fault === 'fn-tier-off-endpoint' ? 'batch' : 'app' } });
    bucket.grantReadWrite(fn);
    return app;
  },
};
