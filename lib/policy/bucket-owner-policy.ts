import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketAccess } from './bucket-access';
import { BucketEndpointRestriction } from './bucket-endpoint-restriction';
import { cloudFormationExecutionRoleArn, networkDenyStatement, validateExemptions } from './lockout-safe-deny';
import { validateAccountId, validateOrganizationId, validatePrefix, validatePrincipalArn, validateResourceId } from './validation';
import { constructError } from '../private/errors';

/**
 * What the bucket owner allows and from where: the options of `BucketOwnerPolicy.applyTo`, which takes the bucket itself.
 */
export interface BucketOwnerAccessOptions {
  /**
   * Ids of the S3 gateway endpoints (`vpce-…`) the workloads' requests come through, usually in the workload account.
   * Requests through any of them pass the Deny.
   *
   * @default - none; then `vpcIds`, `organizationIds` or `endpointAccountIds` is required
   */
  readonly endpointIds?: string[];

  /**
   * Ids of the VPCs (`vpc-…`) the workloads' requests come from. Requests from any of them pass the Deny.
   *
   * @default - none; then `endpointIds`, `organizationIds` or `endpointAccountIds` is required
   */
  readonly vpcIds?: string[];

  /**
   * Ids of organizations (`o-…`) whose VPC endpoints the workloads' requests may come through (`aws:VpceOrgID`):
   * every endpoint of every account of the organization qualifies.
   *
   * @default - none
   */
  readonly organizationIds?: string[];

  /**
   * Ids of accounts whose VPC endpoints the workloads' requests may come through (`aws:VpceAccount`).
   *
   * @default - none
   */
  readonly endpointAccountIds?: string[];

  /**
   * ARNs of the workload roles to allow (exact role ARNs; a Principal element accepts no wildcard).
   */
  readonly workloadRoleArns: string[];

  /**
   * What the workload roles may do.
   *
   * @default BucketAccess.READ
   */
  readonly access?: BucketAccess;

  /**
   * A key prefix that limits the workload roles: object actions on `bucket/<prefix>*`, `s3:ListBucket` only with an
   * `s3:prefix` starting with it. No leading `/`, no wildcards.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * Principals of the owner account that keep access from anywhere (console, CI, break-glass roles), so the Deny
   * cannot lock the owner out. Wildcards in the name (`role/admin-*`) are allowed, not in the account.
   *
   * @default - none; `statements()` and `document()` then throw, `applyTo()` exempts only the stack's
   * CloudFormation execution role
   */
  readonly adminPrincipalArns?: string[];
}

/**
 * Options for a bucket policy written by the bucket owner for workloads of another account.
 */
export interface BucketOwnerPolicyOptions extends BucketOwnerAccessOptions {
  /**
   * The name of the bucket.
   */
  readonly bucketName: string;

  /**
   * The partition of the bucket.
   *
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * The bucket policy for the cross-account story: a bucket owned by account B that workloads in account A reach through
 * A's S3 gateway endpoint.
 *
 * A cross-account request needs an Allow on both sides: the workload role's identity policy (the construct's grants)
 * and this bucket policy. It renders:
 *
 * - an Allow for the workload roles: the bucket actions of the access level on the bucket ARN (with `s3:prefix` when a
 *   prefix is given) and its object actions on `bucket/<prefix>*`;
 * - a lockout-safe Deny of every request that comes neither through the named endpoints nor from the named VPCs (nor
 *   through an endpoint of the named organizations or accounts), with
 *   the admin principals, AWS service principals and requests made via AWS services exempt. It applies to every
 *   principal, including the owner's other roles: list them as admins if they must keep access from elsewhere.
 */
export class BucketOwnerPolicy {
  /**
   * The statements of the owner's bucket policy, for use outside a CDK stack or in a policy of your own.
   *
   * @param options the bucket, the workloads, where they come from and the admins
   */
  public static statements(options: BucketOwnerPolicyOptions): iam.PolicyStatement[] {
    validateBucketName(options.bucketName);
    const partition = options.partition ?? 'aws';
    const bucketArn = `arn:${partition}:s3:::${options.bucketName}`;
    if ((options.adminPrincipalArns ?? []).length === 0) {
      throw new Error(`bucket owner policy for '${options.bucketName}' has no adminPrincipalArns: name at least one owner role that keeps access from anywhere, so the Deny cannot lock the owner out`);
    }
    return [
      ...allowStatements(bucketArn, (key) => `${bucketArn}/${key}`, options),
      networkDenyStatement({
        bucketArn,
        objectsArn: `${bucketArn}/*`,
        endpointIds: options.endpointIds,
        vpcIds: options.vpcIds,
        organizationIds: options.organizationIds,
        endpointAccountIds: options.endpointAccountIds,
        exemptPrincipalArns: options.adminPrincipalArns ?? [],
      }),
    ];
  }

  /**
   * The owner's bucket policy as a document, for use outside a CDK stack (`JSON.stringify(doc.toJSON())` in a
   * script, or `PutBucketPolicy`).
   *
   * @param options the bucket, the workloads, where they come from and the admins
   */
  public static document(options: BucketOwnerPolicyOptions): iam.PolicyDocument {
    return new iam.PolicyDocument({ statements: BucketOwnerPolicy.statements(options) });
  }

  /**
   * Adds the owner's statements to the policy of a bucket defined in the owner's stack.
   *
   * The Allows are added as they are; the Deny is the bucket's one `BucketEndpointRestriction`, to which the endpoints,
   * VPCs and admins named here are added, so other `applyTo` calls and `S3PrivateAccess` constructs on the same bucket
   * widen the same Deny instead of each denying what comes through the others. The stack's CloudFormation execution
   * role is exempt in addition to the admins, so later deployments can still update the bucket. Throws for an imported
   * bucket, whose policy this stack cannot change.
   *
   * @param bucket the bucket, defined in this app
   * @param options the workloads, where they come from and the admins
   * @returns the Allow statements added, then the bucket's Deny (`BucketEndpointRestriction.of(bucket).statement`)
   */
  public static applyTo(bucket: IBucket, options: BucketOwnerAccessOptions): iam.PolicyStatement[] {
    const stack = Stack.of(bucket);
    const admins = options.adminPrincipalArns ?? [];
    if (cloudFormationExecutionRoleArn(stack) === undefined && admins.length === 0) {
      throw constructError(`bucket owner policy for ${bucket.node.path} has no principal to exempt from its Deny: pass adminPrincipalArns, or deploy with the DefaultStackSynthesizer`, bucket);
    }
    const allows = allowStatements(bucket.bucketArn, (key) => bucket.arnForObjects(key), options);
    for (const statement of allows) {
      if (!bucket.addToResourcePolicy(statement).statementAdded) {
        throw constructError(`bucket ${bucket.node.path} is imported, so this stack cannot change its policy: apply BucketOwnerPolicy in the stack that defines the bucket, or use BucketOwnerPolicy.document()`, bucket);
      }
    }
    const restriction = BucketEndpointRestriction.of(bucket);
    (options.endpointIds ?? []).forEach((id) => restriction.allowEndpoint(id));
    (options.vpcIds ?? []).forEach((id) => restriction.allowVpc(id));
    (options.organizationIds ?? []).forEach((id) => restriction.allowOrganization(id));
    (options.endpointAccountIds ?? []).forEach((id) => restriction.allowAccount(id));
    admins.forEach((arn) => restriction.exempt(arn));
    return [...allows, restriction.statement];
  }

  private constructor() {}
}

/** The Allow statements for the workload roles, after validating every option. */
function allowStatements(bucketArn: string, objectArn: (key: string) => string, options: BucketOwnerAccessOptions): iam.PolicyStatement[] {
  const endpointIds = options.endpointIds ?? [];
  const vpcIds = options.vpcIds ?? [];
  const organizationIds = options.organizationIds ?? [];
  const endpointAccountIds = options.endpointAccountIds ?? [];
  if (endpointIds.length + vpcIds.length + organizationIds.length + endpointAccountIds.length === 0) {
    throw new Error('bucket owner policy needs endpointIds or vpcIds (or organizationIds, endpointAccountIds): name the ' +
      'S3 gateway endpoint (vpce-…) or the VPC (vpc-…) the workloads use, or the organization or accounts whose endpoints they use');
  }
  endpointIds.forEach((id) => validateResourceId(id, 'vpce', 'endpoint id'));
  vpcIds.forEach((id) => validateResourceId(id, 'vpc', 'vpc id'));
  organizationIds.forEach((id) => validateOrganizationId(id, 'organization id'));
  endpointAccountIds.forEach((id) => validateAccountId(id, 'endpoint account id'));
  if (options.workloadRoleArns.length === 0) {
    throw new Error('bucket owner policy needs workloadRoleArns: name the roles that reach the bucket');
  }
  options.workloadRoleArns.forEach((arn) => validatePrincipalArn(arn, 'workload role', false));
  validateExemptions(options.adminPrincipalArns ?? []);
  validatePrefix(options.prefix);

  const access = options.access ?? BucketAccess.READ;
  const principals = options.workloadRoleArns.map((arn) => new iam.ArnPrincipal(arn));
  const statements: iam.PolicyStatement[] = [];
  const listActions = access.bucketActions.filter((a) => a === 's3:ListBucket');
  const otherBucketActions = access.bucketActions.filter((a) => a !== 's3:ListBucket');
  if (options.prefix !== undefined && listActions.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'AllowWorkloadsToListPrefix',
      principals,
      actions: listActions,
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [options.prefix, `${options.prefix}*`] } },
    }));
    if (otherBucketActions.length > 0) {
      statements.push(new iam.PolicyStatement({ sid: 'AllowWorkloadsBucketActions', principals, actions: otherBucketActions, resources: [bucketArn] }));
    }
  } else if (access.bucketActions.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'AllowWorkloadsBucketActions', principals, actions: [...access.bucketActions], resources: [bucketArn] }));
  }
  statements.push(new iam.PolicyStatement({
    sid: 'AllowWorkloadsObjectActions',
    principals,
    actions: [...access.objectActions],
    resources: [objectArn(`${options.prefix ?? ''}*`)],
  }));
  return statements;
}

function validateBucketName(name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    throw new Error(`bucket name '${name}' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' and '-'`);
  }
}
