import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { validatePrincipalArn } from './validation';

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
  /** Requests through any VPC endpoint owned by an account of these organizations pass (`aws:VpceOrgID`). */
  readonly organizationIds?: string[];
  /** Requests through any VPC endpoint owned by these accounts pass (`aws:VpceAccount`). */
  readonly endpointAccountIds?: string[];
  /** Principals that keep access from anywhere. */
  readonly exemptPrincipalArns: string[];
}

/**
 * A Deny of every S3 action on the bucket for requests that come neither through the named endpoints nor from the
 * named VPCs, shaped after aws-samples' data-perimeter `s3_bucket_policy.json` (statement `EnforceNetworkPerimeter`)
 * so it cannot lock anyone out who must keep access:
 *
 * - `StringNotEquals` on `aws:SourceVpce` / `aws:SourceVpc` / `aws:VpceOrgID` / `aws:VpceAccount`: the keys of one
 *   operator must all hold for the Deny to apply, so a request that matches any one of them passes; a key that is
 *   absent (a request from the internet) makes a negated operator true, so such requests are denied.
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
  const parts: NetworkDenyParts = {
    endpointIds: options.endpointIds ?? [],
    vpcIds: options.vpcIds ?? [],
    organizationIds: options.organizationIds ?? [],
    endpointAccountIds: options.endpointAccountIds ?? [],
    exemptPrincipalArns: options.exemptPrincipalArns,
  };
  if (allowedCount(parts) === 0) {
    throw new Error('the network deny needs at least one endpoint id, vpc id, organization id or endpoint account id: ' +
      'pass endpointIds, vpcIds, organizationIds or endpointAccountIds');
  }
  const conditions: Record<string, unknown> = { StringNotEquals: sourceNotEquals(parts), BoolIfExists: VIA_AWS_EXEMPTIONS };
  const exempt = exemptionCondition(parts);
  if (exempt) {
    conditions.ArnNotLike = exempt;
  }
  return new iam.PolicyStatement({
    sid: networkDenySid(parts.endpointIds, parts.vpcIds),
    effect: iam.Effect.DENY,
    principals: [new iam.StarPrincipal()],
    actions: ['s3:*'],
    resources: [options.bucketArn, options.objectsArn],
    conditions,
  });
}

/** What a network Deny lets through and whom it exempts. */
export interface NetworkDenyParts {
  readonly endpointIds: string[];
  readonly vpcIds: string[];
  readonly organizationIds?: string[];
  readonly endpointAccountIds?: string[];
  readonly exemptPrincipalArns: string[];
}

/** How many endpoints, VPCs, organizations and accounts a network Deny lets through. */
export function allowedCount(parts: NetworkDenyParts): number {
  return parts.endpointIds.length + parts.vpcIds.length + (parts.organizationIds ?? []).length
    + (parts.endpointAccountIds ?? []).length;
}

/**
 * The conditions of a network Deny whose parts are read when the template is written, so endpoints, VPCs and
 * exemptions added after the statement (by other constructs, or in other stacks) land in the same statement.
 */
export function networkDenyConditions(parts: () => NetworkDenyParts): Record<string, unknown> {
  return {
    StringNotEquals: Lazy.any({ produce: () => sourceNotEquals(parts()) }),
    BoolIfExists: VIA_AWS_EXEMPTIONS,
    ArnNotLike: Lazy.any({ produce: () => exemptionCondition(parts()) }),
  };
}

/**
 * The Sid of a network Deny: it names the endpoint when there is one, else the VPC when there is one, else the
 * organization's or accounts' endpoints (`aws:VpceOrgID`, `aws:VpceAccount`).
 */
export function networkDenySid(endpointIds: readonly string[], vpcIds?: readonly string[]): string {
  if (endpointIds.length > 0) return 'DenyUnlessThroughVpcEndpoint';
  return vpcIds === undefined || vpcIds.length > 0 ? 'DenyUnlessFromVpc' : 'DenyUnlessThroughPerimeterEndpoint';
}

/** Service principals and calls made by services on a principal's behalf are not denied (see networkDenyStatement). */
const VIA_AWS_EXEMPTIONS = { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' };

function sourceNotEquals(parts: NetworkDenyParts): Record<string, string | string[]> {
  const notEquals: Record<string, string | string[]> = {};
  if (parts.endpointIds.length > 0) {
    notEquals['aws:SourceVpce'] = single(parts.endpointIds);
  }
  if (parts.vpcIds.length > 0) {
    notEquals['aws:SourceVpc'] = single(parts.vpcIds);
  }
  if ((parts.organizationIds ?? []).length > 0) {
    notEquals['aws:VpceOrgID'] = single(parts.organizationIds!);
  }
  if ((parts.endpointAccountIds ?? []).length > 0) {
    notEquals['aws:VpceAccount'] = single(parts.endpointAccountIds!);
  }
  return notEquals;
}

function exemptionCondition(parts: NetworkDenyParts): Record<string, string | string[]> | undefined {
  const exempt = [...new Set(parts.exemptPrincipalArns)];
  return exempt.length > 0 ? { 'aws:PrincipalArn': single(exempt) } : undefined;
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
export function validateExemptions(arns: string[], scope?: IConstruct): void {
  for (const arn of arns) {
    validatePrincipalArn(arn, 'exempt principal', true, scope);
  }
}

function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}


/** The IAM ARNs a principal stands for; throws for principals an `aws:PrincipalArn` exemption cannot express. */
export function principalArnsOf(principal: iam.IPrincipal): string[] {
  const fragment = principal.policyFragment;
  const json = fragment.principalJson;
  const others = Object.keys(json).filter((k) => k !== 'AWS');
  if (others.length > 0 || Object.keys(fragment.conditions).length > 0) {
    throw new Error(`exemptPrincipals contains ${principal.toString()}, which is not an IAM role, user or account ` +
      `(principal keys: ${Object.keys(json).join(', ')}${Object.keys(fragment.conditions).length > 0 ? ', with conditions' : ''}): ` +
      'AWS service principals are exempt already; pass roles or users, or their ARNs in exemptPrincipalArns');
  }
  return json.AWS ?? [];
}

/** A bucket as messages name it: its literal name, else its construct path. */
export function describeBucket(bucket: IBucket): string {
  return Token.isUnresolved(bucket.bucketName) ? bucket.node.path : bucket.bucketName;
}
