import { Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketAccess, BucketRestriction, EndpointSource, S3PrivateAccess, S3PrivateAccessChecks } from '../lib';
import { modelOf, summary } from './helpers/checks';
import { compliantVpc, envBoundStack, isolatedFunction } from './helpers/s3pa-fixtures';
import { ALL_RULES } from '../lib/rules/all';
import { runRules } from '../lib/rules/run';

/** Every finding of every rule over the app holding `stack`, after synthesis (so aspects and references resolved). */
function allFindings(stack: Stack) {
  (stack.node.root as any).synth();
  return summary(runRules(modelOf(stack), ALL_RULES));
}

describe('S3PrivateAccess never trips the checks itself', () => {
  test('GIVEN toVpc() restriction, a KMS bucket with autoDeleteObjects and a Lambda workload THEN no rule finds anything', () => {
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Data', {
      enforceSSL: true,
      encryptionKey: key,
      encryption: s3.BucketEncryption.KMS,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    const fn = isolatedFunction(stack, vpc, sg);
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], securityGroups: [sg], bucketRestriction: BucketRestriction.toVpc(),
    });
    access.grantReadWrite(fn, bucket, { prefix: 'in/' });

    expect(allFindings(stack)).toEqual([]);
  });

  test('GIVEN an ECS Fargate task role from taskRole() THEN no rule finds anything', () => {
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: true });
    new S3PrivateAccess(stack, 'S3', { vpc, buckets: [bucket], securityGroups: [sg] });
    const taskRole = S3PrivateAccess.taskRole(stack, 'TaskRole', { grants: [{ bucket, access: BucketAccess.READ, prefix: 'cfg/' }] });
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { taskRole });
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
    new ecs.FargateService(stack, 'Svc', {
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
      taskDefinition: task,
      securityGroups: [sg],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    expect(allFindings(stack)).toEqual([]);
  });

  test('GIVEN an adopted endpoint THEN the checks find nothing: they know it by its id', () => {
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const existing = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0');
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    const fn = isolatedFunction(stack, vpc, sg);
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], securityGroups: [sg], endpoint: EndpointSource.fromExisting(existing),
    });
    access.grantRead(fn, bucket);

    expect(allFindings(stack)).toEqual([]);
  });
});

describe('the checks prop', () => {
  /** A function in a subnet the construct is told not to route: S3PA-RouteNotAssociated must fire. */
  function misroutedStack(checks?: boolean) {
    const { app, stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    isolatedFunction(stack, vpc, sg);
    new S3PrivateAccess(stack, 'S3', {
      vpc, securityGroups: [sg], subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }], checks,
    });
    return { app, stack };
  }

  test('GIVEN the default THEN the construct turns the checks on for its stack', () => {
    const { stack } = misroutedStack();
    Annotations.fromStack(stack).hasError('/Stack/Fn/Resource', Match.stringLikeRegexp('\\[S3PA-RouteNotAssociated\\]'));
  });

  test('GIVEN checks: false THEN no finding is reported', () => {
    const { stack } = misroutedStack(false);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('S3PA-'))).toEqual([]);
  });

  test('GIVEN the app-wide Aspect with a rule disabled THEN the construct\'s own checks respect it', () => {
    const { app, stack } = misroutedStack();
    Aspects.of(app).add(new S3PrivateAccessChecks({ disabledRules: ['S3PA-RouteNotAssociated'] }));
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('S3PA-RouteNotAssociated'))).toEqual([]);
  });

  test('GIVEN two S3PrivateAccess in one stack THEN the stack gets one set of default checks', () => {
    const { stack } = misroutedStack();
    const vpc2 = compliantVpc(stack, 'Vpc2');
    new S3PrivateAccess(stack, 'S3b', { vpc: vpc2 });
    expect(Aspects.of(stack).all.length).toBe(1);
  });

  test('GIVEN the app-wide Aspect as well THEN each finding is reported once', () => {
    const { app, stack } = misroutedStack();
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const errors = Annotations.fromStack(stack).findError('/Stack/Fn/Resource', Match.stringLikeRegexp('S3PA-RouteNotAssociated'));
    const messages = errors.map(e => String(e.entry.data));
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages).size).toBe(messages.length);
  });
});
