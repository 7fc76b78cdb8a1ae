import { IBucket } from 'aws-cdk-lib/aws-s3';
import { DELETE_ACTIONS, LIST_ACTIONS, READ_ACTIONS, WRITE_ACTIONS } from './actions';

/**
 * A level of access to objects in a bucket, with the least S3 actions that level needs.
 */
export class BucketAccess {
  /** Read and list: `s3:GetObject` on objects, `s3:ListBucket` and `s3:GetBucketLocation` on the bucket. */
  public static readonly READ = new BucketAccess('read', [...READ_ACTIONS], [...LIST_ACTIONS]);

  /** Write: `s3:PutObject` (including multipart uploads) and `s3:AbortMultipartUpload` on objects. */
  public static readonly WRITE = new BucketAccess('write', [...WRITE_ACTIONS], []);

  /** Read, list and write: READ and WRITE together. No delete. */
  public static readonly READ_WRITE = new BucketAccess('read-write', [...READ_ACTIONS, ...WRITE_ACTIONS], [...LIST_ACTIONS]);

  /** Delete: `s3:DeleteObject` on objects. Combine with another grant for read or write. */
  public static readonly DELETE = new BucketAccess('delete', [...DELETE_ACTIONS], []);

  /** 'read', 'write', 'read-write' or 'delete'. */
  public readonly name: string;

  /** The actions granted on object ARNs (`bucket/<prefix>*`). */
  public readonly objectActions: string[];

  /** The actions granted on the bucket ARN. */
  public readonly bucketActions: string[];

  private constructor(name: string, objectActions: string[], bucketActions: string[]) {
    this.name = name;
    this.objectActions = objectActions;
    this.bucketActions = bucketActions;
  }
}

/**
 * Access for a workload to one bucket, optionally limited to a key prefix.
 */
export interface BucketGrant {
  /**
   * The bucket. For a bucket of another account (imported with `Bucket.fromBucketAttributes` and its `account`), the
   * grant goes on the workload role only: the owner must also allow the role in the bucket policy, for example with
   * `BucketOwnerPolicy`.
   */
  readonly bucket: IBucket;

  /**
   * What the workload may do.
   */
  readonly access: BucketAccess;

  /**
   * A key prefix that limits the grant: object actions on `bucket/<prefix>*` and `s3:ListBucket` only with an
   * `s3:prefix` that starts with it. No leading `/` and no wildcards; end it with `/` to stop `logs` from also
   * matching `logs-archive/`.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * Also grant `s3:PutObjectAcl`. Rejected for buckets of this app whose Object Ownership is `BucketOwnerEnforced`
   * (the S3 default for new buckets), where every ACL request fails.
   *
   * @default false
   */
  readonly allowObjectAcl?: boolean;
}
