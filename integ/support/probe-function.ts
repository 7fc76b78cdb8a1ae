import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The handler of the probe functions (Node.js 22, AWS SDK v3 from the runtime), as inline code.
 *
 * Events:
 * - `{ "action": "roundtrip", "key": "k", "body": "b" }`: PutObject, GetObject and ListObjectsV2 (prefix = the key);
 *   returns `{ ok: true, read, listed }`. Any error fails the invocation.
 * - `{ "action": "get", "key": "k" }`: GetObject; returns `{ ok: true, body }`, or `{ ok: false, error, status }` when
 *   S3 refuses the request or cannot be reached (`TimeoutError`); the error is returned, not thrown, so an assertion
 *   can expect it.
 * - `{ "action": "statement", "sid": "s" }`: GetBucketPolicy; returns `{ ok: true, statement }`, the statement with
 *   that Sid (only that one, to keep the custom-resource response under CloudFormation's 4 KB).
 */
export const PROBE_HANDLER_CODE = `
const { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, GetBucketPolicyCommand } = require('@aws-sdk/client-s3');
// a short connect timeout: a blocked path (security group, network ACL) fails in seconds, not at the Lambda timeout
const s3 = new S3Client({ requestHandler: { connectionTimeout: 3000 }, maxAttempts: 2 });
const Bucket = process.env.BUCKET_NAME;
exports.handler = async (event) => {
  const Key = event.key;
  if (event.action === 'roundtrip') {
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: event.body }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const read = await got.Body.transformToString();
    const list = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: Key }));
    return { ok: true, read, listed: (list.Contents || []).map((o) => o.Key) };
  }
  if (event.action === 'get') {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      return { ok: true, body: await got.Body.transformToString() };
    } catch (e) {
      return { ok: false, error: e.name, status: e.$metadata && e.$metadata.httpStatusCode };
    }
  }
  if (event.action === 'statement') {
    const got = await s3.send(new GetBucketPolicyCommand({ Bucket }));
    const statement = JSON.parse(got.Policy).Statement.find((s) => s.Sid === event.sid);
    return { ok: statement !== undefined, statement };
  }
  throw new Error('unknown action ' + event.action + ': use roundtrip, get or statement');
};
`;

/**
 * Properties of an `S3ProbeFunction`.
 */
export interface S3ProbeFunctionProps {
  /** The bucket the probe reads and writes (`BUCKET_NAME`). */
  readonly bucket: IBucket;
  /** The VPC to run in; omit for a function outside any VPC. */
  readonly vpc?: ec2.IVpc;
  /** The subnets, when in a VPC. @default - the isolated subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Security groups, when in a VPC. @default - a new group that allows all outbound traffic */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * A small Lambda function that exercises S3 from where it runs (see `PROBE_HANDLER_CODE`). Its log group is
 * destroyed with the stack. Grants are the caller's business: the probe's permissions are part of what is tested.
 */
export class S3ProbeFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: S3ProbeFunctionProps) {
    super(scope, id);
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PROBE_HANDLER_CODE),
      timeout: Duration.seconds(30),
      environment: { BUCKET_NAME: props.bucket.bucketName },
      logGroup: probeLogGroup(this),
      vpc: props.vpc,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }) : undefined,
      securityGroups: props.securityGroups,
    });
  }
}

/** A log group with a short retention that is deleted with the stack. */
export function probeLogGroup(scope: Construct): logs.LogGroup {
  return new logs.LogGroup(scope, 'Logs', {
    retention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
