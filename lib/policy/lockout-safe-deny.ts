import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketRestriction } from './bucket-restriction';
import { validatePrincipalArn, validateResourceId } from './validation';

/**
 * Options for the Deny that limits a bucket to an endpoint or a VPC.
 */
export interface RestrictionStatementOptions {
  /** The bucket the statement protects. */
  readonly bucket: IBucket;
  /** Which network requests must come from. */
  readonly restriction: BucketRestriction;
  /** The S3 gateway endpoint id; required for `toEndpoint()`. */
  readonly endpointId?: string;
  /** The VPC id; required for `toVpc()`. */
  readonly vpcId?: string;
  /** Principals that keep access from anywhere: the CloudFormation execution role and admins. */
  readonly exemptPrincipalArns: string[];
}

/**
 * The network part of a lockout-safe Deny, shared by the construct's bucket policy and `BucketOwnerPolicy`.
 */
export interface NetworkDenyOptions {
  /** The bucket ARN. */
  readonly bucketArn: string;
  /** The ARN of every object of the bucket (`bucket/*`). */
  readonly objectsArn: string;
  /** Requests through any of these endpoints pass. */
  readonly endpointIds?: string[];
  /** Requests from any of these VPCs pass. */
  readonly vpcIds?: string[];
  /** Principals that keep access from anywhere. */
  readonly exemptPrincipalArns: string[];
}

/**
 * A Deny of every S3 action on the bucket for requests that come neither through the named endpoints nor from the
 * named VPCs, shaped after aws-samples' data-perimeter `s3_bucket_policy.json` (statement `EnforceNetworkPerimeter`)
 * so it cannot lock anyone out who must keep access:
 *
 * - `StringNotEquals` on `aws:SourceVpce` / `aws:SourceVpc`: a key that is absent (a request from the internet)
 *   makes a negated operator true, so such requests are denied.
 * - `ArnNotLike` on `aws:PrincipalArn`: the exempt principals (CloudFormation execution role, admins).
 * - `BoolIfExists` `aws:PrincipalIsAWSService` `false`: service principals (CloudTrail, S3 replication, log delivery)
 *   are not denied.
 * - `BoolIfExists` `aws:ViaAWSService` `false`: requests a service makes with a principal's credentials (forward
 *   access sessions, for example SSE-KMS or Athena) are not denied. `IfExists` keeps the Deny in force for requests that
 *   carry neither key (anonymous requests).
 *
 * A Deny may use `s3:*`: it only takes access away.
 */
export function networkDenyStatement(options: NetworkDenyOptions): iam.PolicyStatement {
  const endpointIds = options.endpointIds ?? [];
  const vpcIds = options.vpcIds ?? [];
  if (endpointIds.length === 0 && vpcIds.length === 0) {
    throw new Error('the network deny needs at least one endpoint id or vpc id: pass endpointIds or vpcIds');
  }
  const notEquals: Record<string, string | string[]> = {};
  if (endpointIds.length > 0) {
    notEquals['aws:SourceVpce'] = single(endpointIds);
  }
  if (vpcIds.length > 0) {
    notEquals['aws:SourceVpc'] = single(vpcIds);
  }
  const conditions: Record<string, Record<string, unknown>> = {
    StringNotEquals: notEquals,
    BoolIfExists: {
      'aws:PrincipalIsAWSService': 'false',
      'aws:ViaAWSService': 'false',
    },
  };
  const exempt = [...new Set(options.exemptPrincipalArns)];
  if (exempt.length > 0) {
    conditions.ArnNotLike = { 'aws:PrincipalArn': single(exempt) };
  }
  return new iam.PolicyStatement({
    sid: endpointIds.length > 0 ? 'DenyUnlessThroughVpcEndpoint' : 'DenyUnlessFromVpc',
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: ['s3:*'],
    resources: [options.bucketArn, options.objectsArn],
    conditions,
  });
}

/**
 * The Deny that a `BucketRestriction` writes into a bucket policy, or undefined for `none()`.
 *
 * The caller supplies the exemptions: the stack's CloudFormation execution role (see
 * `cloudFormationExecutionRoleArn`) and admin principals. With no exemption at all, only the owning account's root user
 * can still change the bucket policy: the caller should warn.
 */
export function restrictionStatement(options: RestrictionStatementOptions): iam.PolicyStatement | undefined {
  validateExemptions(options.exemptPrincipalArns);
  const common = {
    bucketArn: options.bucket.bucketArn,
    objectsArn: options.bucket.arnForObjects('*'),
    exemptPrincipalArns: options.exemptPrincipalArns,
  };
  switch (options.restriction.mode) {
    case 'none':
      return undefined;
    case 'endpoint':
      if (options.endpointId === undefined) {
        throw new Error('endpointId is missing: BucketRestriction.toEndpoint() needs the endpoint id; pass endpointId, or use BucketRestriction.toVpc()');
      }
      validateResourceId(options.endpointId, 'vpce', 'endpoint id');
      return networkDenyStatement({ ...common, endpointIds: [options.endpointId] });
    case 'vpc':
      if (options.vpcId === undefined) {
        throw new Error('vpcId is missing: BucketRestriction.toVpc() needs the vpc id; pass vpcId');
      }
      validateResourceId(options.vpcId, 'vpc', 'vpc id');
      return networkDenyStatement({ ...common, vpcIds: [options.vpcId] });
    default:
      throw new Error(`unknown bucket restriction mode '${options.restriction.mode}': use BucketRestriction.toEndpoint(), toVpc() or none()`);
  }
}

/**
 * The ARN of the role CloudFormation deploys the stack with, when the stack uses the `DefaultStackSynthesizer` (or a
 * subclass with an execution role); undefined for synthesizers that deploy with the caller's credentials
 * (`CliCredentialsStackSynthesizer`, `LegacyStackSynthesizer`): the caller should then warn.
 *
 * The synthesizer returns the ARN with CloudFormation placeholders (`${AWS::Partition}`, `${AWS::AccountId}`,
 * `${AWS::Region}`) that the CLI fills in for the deployment itself; in a template they must be real values, so they
 * become the stack's partition, account and region (literals for an env-bound stack, pseudo-parameter tokens otherwise).
 */
export function cloudFormationExecutionRoleArn(stack: Stack): string | undefined {
  const synthesizer = stack.synthesizer as { readonly cloudFormationExecutionRoleArn?: unknown };
  let arn: unknown;
  try {
    arn = synthesizer.cloudFormationExecutionRoleArn;
  } catch {
    return undefined;
  }
  if (typeof arn !== 'string' || arn.length === 0) {
    return undefined;
  }
  return arn
    .split('${AWS::Partition}').join(stack.partition)
    .split('${AWS::AccountId}').join(stack.account)
    .split('${AWS::Region}').join(stack.region);
}

/**
 * Throws for exemptions that would exempt everyone or a whole account: `*`, `arn:*…`, wildcards in the partition,
 * service or account position, or a name that is only a wildcard (`role/*`). Tokens are skipped.
 */
export function validateExemptions(arns: string[]): void {
  for (const arn of arns) {
    validatePrincipalArn(arn, 'exempt principal', true);
  }
}

function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

