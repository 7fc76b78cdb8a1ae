import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess } from '../../lib';
import { ACCOUNT, lookupContext, REGION } from '../generate';

/** Options of {@link buildLambdaApp}. */
export interface LambdaAppOptions {
  /** Leave the construct's default checks on (the Aspect every `S3PrivateAccess` user gets). */
  readonly defaultChecks: boolean;
  readonly outdir?: string;
  readonly context?: Record<string, unknown>;
}

/** VPC Lambda functions per stack. */
export const FUNCTIONS_PER_STACK = 10;

/**
 * The app of issue 12: `n` stacks, each a VPC (2 AZs, public and private-with-egress subnets, one NAT gateway) with
 * 10 VPC Lambda functions in the private subnets and a bucket behind `S3PrivateAccess` (endpoint, restriction,
 * `allowFrom` and `grantRead` per function); about 67 resources per stack. In stack 3 of every 4 one function keeps
 * a closed security group, so that the checks have findings to report.
 */
export function buildLambdaApp(n: number, options: LambdaAppOptions): App {
  const app = new App({ outdir: options.outdir, context: { ...lookupContext(), ...options.context } });
  for (let i = 0; i < n; i++) {
    const stack = new Stack(app, `Service${i}`, { env: { account: ACCOUNT, region: REGION } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
    });
    const bucket = new s3.Bucket(stack, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    const access = new S3PrivateAccess(stack, 'S3Access', {
      vpc,
      buckets: [bucket],
      ...(options.defaultChecks ? {} : { checks: false }),
    });
    for (let f = 0; f < FUNCTIONS_PER_STACK; f++) {
      const fn = new lambda.Function(stack, `Fn${f}`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        allowAllOutbound: false,
      });
      // one function in stack 3 of every 4 keeps a closed security group: an S3PA-SgEgress error to report
      if (!(i % 4 === 3 && f === FUNCTIONS_PER_STACK - 1)) access.allowFrom(fn);
      access.grantRead(fn, bucket, { prefix: `fn${f}/` });
    }
  }
  return app;
}
