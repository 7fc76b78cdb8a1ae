import { Token } from 'aws-cdk-lib';
import * as facts from '../aws/aws-owned-buckets';

/**
 * A set of AWS-owned S3 buckets that workloads in a VPC read through the S3 gateway endpoint.
 *
 * A restricted endpoint policy (`EndpointPolicy.restrictToBuckets`) blocks every bucket it does not name, including
 * the buckets AWS services serve their own content from: ECR image layers, Amazon Linux package repositories, SSM Agent
 * documents and packages. Each set lists `s3:GetObject` resources for one such use, taken from the AWS documentation
 * and from aws-samples' data-perimeter policy examples (`vpc_endpoint_policies/README.md`, statement
 * `AllowRequestsToAWSOwnedResources`).
 *
 * Patterns may contain `{region}` and `{partition}`; `objectArns()` fills them in. Bucket names are those of the
 * commercial partition (`aws`); the China and GovCloud partitions may use other names: check the service's
 * documentation there and use `AwsOwnedBuckets.of()`.
 */
export class AwsOwnedBuckets {
  /**
   * Amazon ECR image layers: `prod-<region>-starport-layer-bucket/*`.
   *
   * Needed by every ECS task, EKS node or Lambda container image pull from ECR through the gateway endpoint.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
   */
  public static readonly ECR_LAYERS = AwsOwnedBuckets.fromSet(facts.ECR_LAYERS);

  /**
   * Amazon Linux package repositories: AL2023 (`al2023-repos-<region>-de612dc2/*`) and Amazon Linux 2
   * (`amazonlinux.<region>.amazonaws.com/*`, `amazonlinux-2-repos-<region>/*`).
   *
   * Needed by `dnf`/`yum` on instances and in container builds. Kernel live patching on AL2023 also reads
   * `al2023-<region>/*`, and Amazon Linux 1 reads `packages.<region>.amazonaws.com/*` and `repo.<region>.amazonaws.com/*`:
   * add those with `AwsOwnedBuckets.of()` when needed.
   *
   * @see https://docs.aws.amazon.com/linux/al2023/ug/live-patching.html
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/al2-live-patching.html
   */
  public static readonly AMAZON_LINUX_REPOS = AwsOwnedBuckets.fromSet(facts.AMAZON_LINUX_REPOS);

  /**
   * The buckets SSM Agent reads for Systems Manager operations (documents, packages, Distributor, patch baselines).
   *
   * From the Systems Manager guide "SSM Agent communications with AWS managed S3 buckets"
   * (ssm-agent-minimum-s3-permissions). Patch Manager also reads the command-document buckets listed per region in
   * "Reference: Amazon S3 buckets for patching operations" (`aws-patch-manager-<region>-<suffix>`), whose names carry a
   * region-specific suffix: add the one for your region with `AwsOwnedBuckets.of()`.
   *
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html
   */
  public static readonly SSM = AwsOwnedBuckets.fromSet(facts.SSM);

  /**
   * A custom set of AWS-owned (or other third-party) buckets.
   *
   * @param name a short name for the set, used in statement ids
   * @param objectArnPatterns object ARN patterns, for example `arn:{partition}:s3:::aws-codedeploy-{region}/*`
   */
  public static of(name: string, objectArnPatterns: string[]): AwsOwnedBuckets {
    if (!/^[A-Za-z0-9-]+$/.test(name)) {
      throw new Error(`aws-owned bucket set name '${name}' is not valid: use letters, digits and '-'`);
    }
    if (objectArnPatterns.length === 0) {
      throw new Error(`aws-owned bucket set '${name}' has no patterns: pass at least one object ARN pattern such as arn:{partition}:s3:::bucket-{region}/*`);
    }
    for (const pattern of objectArnPatterns) {
      if (Token.isUnresolved(pattern)) {
        continue;
      }
      const match = /^arn:[^:]+:s3:::([^/]+)\/(.+)$/.exec(pattern);
      if (!match) {
        throw new Error(`aws-owned bucket pattern '${pattern}' is not an S3 object ARN: use arn:{partition}:s3:::<bucket>/<key pattern>`);
      }
      if (/^[*?]/.test(match[1])) {
        throw new Error(`aws-owned bucket pattern '${pattern}' starts the bucket name with a wildcard: name the bucket`);
      }
    }
    return new AwsOwnedBuckets(name, objectArnPatterns);
  }

  private static fromSet(set: facts.AwsOwnedBucketSet): AwsOwnedBuckets {
    return new AwsOwnedBuckets(set.name, [...set.objectArnPatterns]);
  }

  /** A short name for the set, used in statement ids. */
  public readonly name: string;

  /** Object ARN patterns with `{region}` and `{partition}` placeholders. */
  public readonly objectArnPatterns: string[];

  private constructor(name: string, objectArnPatterns: string[]) {
    this.name = name;
    this.objectArnPatterns = [...objectArnPatterns];
  }

  /**
   * The object ARNs of this set for a region and partition.
   *
   * @param region the region, a literal or a token such as `Stack.of(this).region`
   * @param partition the partition, a literal or a token such as `Stack.of(this).partition`
   */
  public objectArns(region: string, partition: string): string[] {
    return this.objectArnPatterns.map((pattern) => facts.fillArnPattern(pattern, region, partition));
  }
}
