/**
 * S3 actions by the resource type they are authorised against (the Service Authorization Reference, "Actions defined
 * by Amazon S3"): bucket-level actions match the bucket ARN `arn:aws:s3:::bucket`, object-level actions match object
 * ARNs `arn:aws:s3:::bucket/key`. An action on the other type never applies.
 *
 * Facts only: this file imports nothing.
 */

/** Where an S3 action is authorised: on the bucket ARN, on object ARNs, or elsewhere (the account, access points, jobs). */
export type S3ActionScope = 'bucket' | 'object' | 'other';

/** Account-level and access-point actions, whose names would otherwise read as bucket actions. */
const OTHER = /AllMyBuckets|AccessPoint|Job|StorageLens|AccountPublicAccessBlock|CreateSession|Directory|MultiRegion|AccessGrant|ObjectLambda/i;
const OBJECT = /Object|MultipartUploadParts|^AbortMultipartUpload$|^Replicate|^InitiateReplication$|^BypassGovernanceRetention$/i;
const BUCKET = /Bucket|Configuration|^ListMultipartUploads$|^PutReplicationConfiguration$/i;

/**
 * The resource type an S3 action (`s3:GetObject`, any case) is authorised against; `other` for actions that act on
 * neither (or that are not S3 actions). Wildcards are not classified: expand them first.
 */
export function s3ActionScope(action: string): S3ActionScope {
  const colon = action.indexOf(':');
  if (colon < 0 || action.slice(0, colon).toLowerCase() !== 's3') return 'other';
  const name = action.slice(colon + 1);
  if (OTHER.test(name)) return 'other';
  if (OBJECT.test(name)) return 'object';
  if (BUCKET.test(name)) return 'bucket';
  return 'other';
}
