import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** The construct path of a construct's CloudFormation resource (what findings name). */
export function cfnPath(c: IConstruct): string {
  const child = c.node.defaultChild ?? c;
  return (CfnResource.isCfnResource(child) ? child : c).node.path;
}

/** A one-AZ VPC with isolated subnets only (no internet route). */
export function isolatedVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/**
 * A Lambda function in the VPC's isolated subnets with the given security group. It uses S3 (a bucket name in its
 * environment) unless `props.environment` says otherwise.
 */
export function vpcFunction(stack: Stack, vpc: ec2.IVpc, props: Partial<lambda.FunctionProps> = {}, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
    environment: { BUCKET_NAME: 'app-data-bucket' },
    ...props,
  });
}

/** An app with prefix-list lookups answered, as `cdk.context.json` would hold them. */
export function appWithPrefixListLookups(answers: Record<string, string>, account = '111111111111', region = 'eu-west-1'): App {
  const context: Record<string, unknown> = {};
  for (const [name, id] of Object.entries(answers)) {
    context[`cc-api-provider:account=${account}:expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId:`
      + `propertyMatch.PrefixListName=${name}:region=${region}:typeName=AWS$:$:EC2$:$:PrefixList`] = [{ PrefixListId: id }];
  }
  return new App({ context });
}
