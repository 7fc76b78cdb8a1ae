import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { templatesOfScope } from '../../lib/input/scope';
import { StackTemplate } from '../../lib/model/values';

/**
 * A realistic app of the precision corpus: a pattern seen in public CDK apps (aws-samples and others), written anew,
 * with a clean variant that must raise no error and faulty twins that differ in one fault each.
 */
export interface CorpusApp {
  readonly name: string;
  /** The pattern it reproduces. */
  readonly about: string;
  /** The faults it can plant, each with the rule ids that must report an error for it (and no other rule). */
  readonly faults: Readonly<Record<string, readonly string[]>>;
  /** Builds the app with one fault planted, or none. */
  build(fault?: string): App;
}

export const ENV = { account: '111111111111', region: 'eu-west-1' };

/** A stack with the corpus environment (or none, for environment-agnostic apps). */
export function corpusStack(app: App, id: string, props: StackProps = { env: ENV }): Stack {
  return new Stack(app, id, props);
}

/**
 * The synthesized templates of every stack of the app, Stages included, as the checks read them (after synthesis,
 * so cross-stack references are exports and imports, as the Aspect sees them).
 */
export function templatesOf(app: App): StackTemplate[] {
  app.synth();
  return templatesOfScope(app).stacks;
}

/** A Node.js function with inline code. */
export function nodeFunction(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    ...props,
  });
}

/** The common three-tier VPC: public, private with one NAT gateway, isolated. */
export function threeTier(scope: Construct, id = 'Vpc', props: Partial<ec2.VpcProps> = {}): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    ...props,
  });
}

/** A VPC of isolated subnets only. */
export function isolatedOnly(scope: Construct, id = 'Vpc', cidr = '10.0.0.0/16'): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

export const PRIVATE = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
export const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
export const PUBLIC = { subnetType: ec2.SubnetType.PUBLIC };
