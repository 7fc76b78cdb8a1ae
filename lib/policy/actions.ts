/**
 * The S3 action sets used everywhere in this library: endpoint policies, identity grants and bucket policies.
 *
 * One home, so that what a grant allows always passes the endpoint policy built from the same sets.
 * Each set is the least that the matching SDK operations need, and narrower than aws-cdk-lib's `grantRead`/`grantWrite`
 * (which grant `s3:GetObject*`, `s3:GetBucket*`, `s3:List*`, `s3:PutObject*`-style patterns):
 *
 * - READ: `s3:GetObject` authorises GetObject and HeadObject. `s3:GetObjectVersion` is left out: it is only needed to
 *   read a specific version (`versionId=`), which most workloads never do; add it through custom actions when needed.
 * - LIST: `s3:ListBucket` (ListObjectsV2, and HeadObject on a missing key returns 404 instead of 403) and
 *   `s3:GetBucketLocation` (SDKs and tools that discover the bucket region). Both act on the bucket ARN.
 * - WRITE: `s3:PutObject` authorises PutObject, CopyObject's target, and the whole multipart upload
 *   (CreateMultipartUpload, UploadPart, CompleteMultipartUpload); `s3:AbortMultipartUpload` lets an SDK clean up a failed
 *   upload (aws-cdk-lib grants it as `s3:Abort*`). `s3:ListMultipartUploadParts` is left out: aws-cdk-lib does not grant
 *   it either, and only resumable uploads need it. Object tagging, retention and legal hold are left out too.
 * - DELETE: `s3:DeleteObject` (DeleteObject and DeleteObjects); deleting a specific version is not included.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 */
export const READ_ACTIONS: readonly string[] = Object.freeze(['s3:GetObject']);

/** Bucket-level actions that let a workload list keys and find the bucket's region. */
export const LIST_ACTIONS: readonly string[] = Object.freeze(['s3:ListBucket', 's3:GetBucketLocation']);

/** Object-level actions for writing objects, including multipart uploads. */
export const WRITE_ACTIONS: readonly string[] = Object.freeze(['s3:PutObject', 's3:AbortMultipartUpload']);

/** Object-level action for deleting objects. */
export const DELETE_ACTIONS: readonly string[] = Object.freeze(['s3:DeleteObject']);

/** Object-level actions for setting object ACLs; only granted when explicitly asked for. */
export const OBJECT_ACL_ACTIONS: readonly string[] = Object.freeze(['s3:PutObjectAcl']);

/** Every action a grant of this library can allow: the default action set of a restricted endpoint policy. */
export const ALL_GRANTABLE_ACTIONS: readonly string[] = Object.freeze([
  ...READ_ACTIONS,
  ...LIST_ACTIONS,
  ...WRITE_ACTIONS,
  ...DELETE_ACTIONS,
]);

/** Where an action applies: to the bucket ARN, to object ARNs, or (unknown or wildcard) to both. */
export enum ActionTarget {
  BUCKET = 'bucket',
  OBJECT = 'object',
  BOTH = 'both',
}

/**
 * Classifies an S3 action by the resource type it is authorised against, so that statements put bucket actions on the
 * bucket ARN and object actions on `bucket/*` (an action on the wrong resource type never matches).
 */
export function actionTarget(action: string): ActionTarget {
  const name = action.slice(action.indexOf(':') + 1);
  if (name.includes('*') || name.includes('?')) {
    return ActionTarget.BOTH;
  }
  if (/^(ListBucket|GetBucket|PutBucket|DeleteBucket)/.test(name)) {
    return ActionTarget.BUCKET;
  }
  if (/Object|MultipartUpload/.test(name)) {
    return ActionTarget.OBJECT;
  }
  return ActionTarget.BOTH;
}
