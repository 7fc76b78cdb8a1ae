/**
 * How a bucket policy limits where requests to a bucket may come from.
 *
 * Every restricting mode writes a lockout-safe Deny: the deploying CloudFormation execution role, named admin
 * principals, AWS service principals and requests that AWS services make on a principal's behalf stay exempt.
 */
export class BucketRestriction {
  /**
   * Deny requests that do not arrive through the S3 gateway endpoint (`aws:SourceVpce`). The default.
   */
  public static toEndpoint(): BucketRestriction {
    return new BucketRestriction('endpoint');
  }

  /**
   * Deny requests that do not come from the VPC (`aws:SourceVpc`): any S3 endpoint of the VPC qualifies.
   */
  public static toVpc(): BucketRestriction {
    return new BucketRestriction('vpc');
  }

  /**
   * Write no restricting statement: the bucket policy only carries grants, if any.
   */
  public static none(): BucketRestriction {
    return new BucketRestriction('none');
  }

  /** 'endpoint', 'vpc' or 'none'. */
  public readonly mode: string;

  private constructor(mode: string) {
    this.mode = mode;
  }
}
