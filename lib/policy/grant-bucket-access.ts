import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { OBJECT_ACL_ACTIONS } from './actions';
import { BucketGrant } from './bucket-access';
import { BucketEndpointRestriction } from './bucket-endpoint-restriction';
import { describeBucket } from './lockout-safe-deny';
import { validatePrefix } from './validation';
import { constructError } from '../private/errors';
import { acknowledgeFinding, iam5ResourceFinding } from '../private/nag-acks';

/**
 * Grants a workload least-privilege access to one bucket, on its identity policy:
 *
 * - the bucket actions of the access level (`s3:ListBucket`, `s3:GetBucketLocation`) on the bucket ARN, with
 *   `StringLike` `s3:prefix` `[prefix, prefix*]` when a prefix is given;
 * - the object actions on `bucket/<prefix>*` (or `bucket/*`);
 * - `s3:PutObjectAcl` only with `allowObjectAcl`, and never for a bucket of the app whose ACLs are disabled;
 * - for an SSE-KMS bucket with a key (`bucket.encryptionKey`): `kms:Decrypt` to read, `kms:GenerateDataKey` and
 *   `kms:Decrypt` to write (multipart uploads decrypt the data key), on that key only.
 *
 * Never `s3:*`, never a `*` resource. A bucket in another account gets the same identity grant; the owner must allow the
 * role in the bucket policy too (`BucketOwnerPolicy`).
 *
 * Note: `s3:GetBucketLocation` is a bucket-level action and has no `s3:prefix`, so with a prefix it is granted in the
 * unconditioned bucket statement; `s3:ListBucket` alone carries the prefix condition.
 */
export function grantBucketAccess(grantee: iam.IGrantable, grant: BucketGrant): iam.Grant {
  validateGrant(grant);
  assertNoStackCycle(grantee, grant.bucket);
  const { bucket, access, prefix } = grant;

  const objectActions = [...access.objectActions, ...(grant.allowObjectAcl ? OBJECT_ACL_ACTIONS : [])];
  const listActions = access.bucketActions.filter((a) => a === 's3:ListBucket');
  const otherBucketActions = access.bucketActions.filter((a) => a !== 's3:ListBucket');

  const grants: iam.Grant[] = [];
  if (prefix !== undefined && listActions.length > 0) {
    grants.push(iam.Grant.addToPrincipal({
      grantee,
      actions: listActions,
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    }));
    if (otherBucketActions.length > 0) {
      grants.push(iam.Grant.addToPrincipal({ grantee, actions: otherBucketActions, resourceArns: [bucket.bucketArn] }));
    }
  } else if (access.bucketActions.length > 0) {
    grants.push(iam.Grant.addToPrincipal({ grantee, actions: [...access.bucketActions], resourceArns: [bucket.bucketArn] }));
  }
  const objectsArn = bucket.arnForObjects(`${prefix ?? ''}*`);
  grants.push(iam.Grant.addToPrincipal({ grantee, actions: objectActions, resourceArns: [objectsArn] }));
  acknowledgeObjectWildcard(grantee, objectsArn, prefix);

  const key = bucket.encryptionKey;
  if (key) {
    const writes = objectActions.some((a) => a !== 's3:GetObject');
    const reads = objectActions.includes('s3:GetObject');
    const kmsActions = writes ? ['kms:GenerateDataKey', 'kms:Decrypt'] : reads ? ['kms:Decrypt'] : [];
    if (kmsActions.length > 0) {
      grants.push(key.grant(grantee, ...kmsActions));
    }
  }
  return grants.reduce((combined, next) => combined.combine(next));
}

/**
 * Throws for a grant that cannot work: a prefix with a leading `/` or a wildcard, or `allowObjectAcl` on a bucket of
 * the app whose ACLs are disabled. Call it before creating anything, so bad input fails first.
 */
export function validateGrant(grant: BucketGrant): void {
  validatePrefix(grant.prefix, grant.bucket);
  if (grant.allowObjectAcl) {
    assertAclsAllowed(grant.bucket);
  }
}

/**
 * Acknowledges cdk-nag's IAM5 finding for the object ARN of the grant (`bucket/<prefix>*`) on the grantee, which holds
 * the policy: object actions must name object ARNs, and the wildcard covers only the keys of the bucket (or prefix).
 * The finding's id is the ARN as it resolves in the grantee's stack; a reference to a bucket of another stack resolves
 * to an import only once the app is prepared, so that id is acknowledged at synth time too (before policy-validation
 * plugins run).
 */
function acknowledgeObjectWildcard(grantee: iam.IGrantable, objectsArn: string, prefix: string | undefined): void {
  const principal: unknown = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) {
    return;
  }
  const reason = `object actions granted by cdk-s3-private-access apply to ${prefix === undefined ? 'the keys of the bucket' : `the keys under ${prefix}`}: ` +
    'object ARNs need a key wildcard, and this one covers only those keys (least privilege for objects)';
  const finding = () => iam5ResourceFinding(Stack.of(principal).resolve(objectsArn));
  const now = finding();
  acknowledgeFinding(principal, now, reason);
  // once the app is prepared, a reference to a bucket of another stack has become an import with another finding id
  principal.node.addValidation({
    validate: () => {
      const prepared = finding();
      if (prepared !== now) acknowledgeFinding(principal, prepared, reason);
      return [];
    },
  });
}

/**
 * Throws when the grant would close a dependency cycle between two stacks: the grantee's policy in stack A names a
 * bucket of stack B (A depends on B), while B's bucket policy already names an endpoint, VPC or role of A (B depends on
 * A), as when an `S3PrivateAccess` in A restricts a bucket of B. CloudFormation could deploy neither stack first.
 */
function assertNoStackCycle(grantee: iam.IGrantable, bucket: IBucket): void {
  const principal: unknown = grantee.grantPrincipal;
  const restriction = bucket.node.tryFindChild(BucketEndpointRestriction.CONSTRUCT_ID);
  if (!Construct.isConstruct(principal) || !(restriction instanceof BucketEndpointRestriction)) {
    return;
  }
  const granteeStack = Stack.of(principal);
  const bucketStack = Stack.of(bucket);
  if (granteeStack === bucketStack || !restriction._stacksReferenced().includes(granteeStack)) {
    return;
  }
  throw constructError(`granting ${principal.node.path} access to bucket ${describeBucket(bucket)} would make stack ` +
    `${granteeStack.stackName} depend on stack ${bucketStack.stackName}, whose bucket policy already names an endpoint, ` +
    `vpc or role of ${granteeStack.stackName}: give the bucket a bucketName and grant on ` +
    `s3.Bucket.fromBucketName(this, id, name) in ${granteeStack.stackName}, or define the bucket in ${granteeStack.stackName}`, principal);
}

/**
 * Throws when the bucket is defined in this app (its default child is an `AWS::S3::Bucket`) and its Object Ownership
 * is `BucketOwnerEnforced`, explicitly or by default (S3 applies it to every new bucket created without
 * `OwnershipControls`): ACL requests to such a bucket fail with AccessControlListNotSupported.
 */
function assertAclsAllowed(bucket: IBucket): void {
  const child = bucket.node.defaultChild;
  if (!child || !CfnResource.isCfnResource(child) || child.cfnResourceType !== 'AWS::S3::Bucket') {
    return;
  }
  const controls = Stack.of(child).resolve((child as unknown as { ownershipControls?: unknown }).ownershipControls);
  const ownership = objectOwnership(controls);
  if (ownership === undefined || ownership === 'BucketOwnerEnforced') {
    const why = ownership === undefined ? 'has no OwnershipControls, so S3 applies BucketOwnerEnforced' : 'has Object Ownership BucketOwnerEnforced';
    throw constructError(`allowObjectAcl is set for bucket ${bucket.node.path}, which ${why} and rejects every ACL: drop allowObjectAcl, or set objectOwnership to BUCKET_OWNER_PREFERRED or OBJECT_WRITER`, bucket);
  }
}

function objectOwnership(controls: unknown): string | undefined {
  if (typeof controls !== 'object' || controls === null) {
    return undefined;
  }
  const c = controls as Record<string, unknown>;
  const rules = (c.rules ?? c.Rules) as Array<Record<string, unknown>> | undefined;
  if (!Array.isArray(rules) || rules.length === 0) {
    return undefined;
  }
  const value = rules[0].objectOwnership ?? rules[0].ObjectOwnership;
  return typeof value === 'string' ? value : undefined;
}
