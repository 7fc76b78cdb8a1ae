import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { NagAcknowledgement } from './nag';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
/** The id the tests' context gives the S3 prefix list of eu-west-1. */
export const S3_PREFIX_LIST_ID = 'pl-6da54004';

/**
 * The context key under which `PrefixList.fromLookup` finds the S3 prefix list of `region` (the cc-api provider's
 * key format of aws-cdk-lib 2.257.0, with `::` escaped as `$:$:`).
 */
export function s3PrefixListContextKey(account: string, region: string): string {
  return `cc-api-provider:account=${account}:expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId:` +
    `propertyMatch.PrefixListName=com.amazonaws.${region}.s3:region=${region}:typeName=AWS$:$:EC2$:$:PrefixList`;
}

/** An app whose context answers the S3 prefix-list lookup of eu-west-1, and an env-bound stack in it. */
export function envBoundStack(id = 'Stack'): { app: App; stack: Stack } {
  const app = new App({
    context: { [s3PrefixListContextKey(ACCOUNT, REGION)]: [{ PrefixListId: S3_PREFIX_LIST_ID }] },
  });
  return { app, stack: new Stack(app, id, { env: { account: ACCOUNT, region: REGION } }) };
}

/** An app and an environment-agnostic stack in it. */
export function agnosticStackAndApp(id = 'Stack'): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, id) };
}

/**
 * A VPC that cdk-nag's AwsSolutions pack accepts (flow logs on): public, private-with-egress and isolated subnets
 * in two AZs, one NAT gateway.
 */
export function compliantVpc(
  scope: IConstruct, id = 'Vpc', subnetTypes?: ec2.SubnetType[], gatewayEndpoints?: Record<string, ec2.GatewayVpcEndpointOptions>,
): ec2.Vpc {
  const types = subnetTypes ?? [ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_WITH_EGRESS, ec2.SubnetType.PRIVATE_ISOLATED];
  return new ec2.Vpc(scope as Stack, id, {
    maxAzs: 2,
    natGateways: types.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0,
    subnetConfiguration: types.map((subnetType) => ({ name: subnetType.toString(), subnetType, cidrMask: 24 })),
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    gatewayEndpoints,
  });
}

/**
 * A dual-stack VPC that cdk-nag's AwsSolutions pack accepts (flow logs on): public and isolated subnets in two AZs,
 * each with an IPv4 and an IPv6 range, no NAT gateway.
 */
export function dualStackVpc(scope: IConstruct, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(scope as Stack, id, {
    maxAzs: 2,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
  });
}

/**
 * A bucket that cdk-nag's AwsSolutions pack accepts: TLS enforced, server access logs into a log bucket.
 * Returns the acknowledgement the log bucket needs (it cannot log into itself).
 */
export function compliantBucket(scope: IConstruct, id = 'Data'): { bucket: s3.Bucket; acks: NagAcknowledgement[] } {
  const logs = new s3.Bucket(scope as Stack, `${id}Logs`, {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const bucket = new s3.Bucket(scope as Stack, id, {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    serverAccessLogsBucket: logs,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return {
    bucket,
    acks: [{ scope: logs, id: 'AwsSolutions-S1', reason: 'this is the access-log bucket of the test bucket; it does not log into itself' }],
  };
}

/** A Lambda function in the VPC's isolated subnets with the given security group. */
export function isolatedFunction(scope: IConstruct, vpc: ec2.IVpc, sg: ec2.ISecurityGroup, id = 'Fn'): lambda.Function {
  return new lambda.Function(scope as Stack, id, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [sg],
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    // it uses S3: the checks judge a workload's path to S3 only when it does
    environment: { BUCKET_NAME: 'app-data-bucket' },
  });
}
