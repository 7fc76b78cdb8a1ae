import { Fn, Token } from 'aws-cdk-lib';
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
 * Patterns may contain `{region}`, `{regionNoDashes}` and `{partition}`; `objectArns()` fills them in. Bucket names are those of the
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
   * The buckets CloudFormation takes answers in: custom-resource responses
   * (`cloudformation-custom-resource-response-<region without dashes>/*`, the presigned URL a handler PUTs its answer to)
   * and wait-condition signals (`cloudformation-waitcondition-<region>/*`).
   *
   * Needed by every custom resource whose handler runs in the VPC (the CDK's own providers, `AwsCustomResource`,
   * `Provider`), and by wait conditions signalled from the VPC: without it the answer never arrives and the stack
   * waits for an hour before it fails. The handler PUTs through the presigned URL, so the endpoint policy must allow
   * `s3:PutObject` there: this set allows `s3:GetObject` and `s3:PutObject`.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
   */
  public static readonly CLOUDFORMATION_RESPONSES = AwsOwnedBuckets.fromSet(facts.CLOUDFORMATION_RESPONSES, ['s3:GetObject', 's3:PutObject']);

  /**
   * The CloudWatch agent's download bucket: `amazoncloudwatch-agent-<region>/*`, from which the agent's packages are
   * installed (the regional download links of the CloudWatch guide).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/download-CloudWatch-Agent-on-EC2-Instance-commandline-first.html
   */
  public static readonly CLOUDWATCH_AGENT = AwsOwnedBuckets.fromSet(facts.CLOUDWATCH_AGENT);

  /**
   * The CodeDeploy resource kit: `aws-codedeploy-<region>/*`, from which instances install and update the CodeDeploy
   * agent. Revisions live in your own buckets: grant and list those as usual.
   *
   * @see https://docs.aws.amazon.com/codedeploy/latest/userguide/resource-kit.html#resource-kit-bucket-names
   */
  public static readonly CODEDEPLOY_AGENT = AwsOwnedBuckets.fromSet(facts.CODEDEPLOY_AGENT);

  /**
   * Elastic Beanstalk's platform assets: `elasticbeanstalk-samples-<region>/*`,
   * `elasticbeanstalk-platform-assets-<region>/*` (Amazon Linux 2 and later) and
   * `elasticbeanstalk-env-resources-<region>/*`. Environments also need CloudFormation's buckets
   * (`AwsOwnedBuckets.CLOUDFORMATION_RESPONSES`) and the environment's own storage bucket in your account
   * (`elasticbeanstalk-<region>-<account>`), which you list as a bucket. In cn-north-1 the platform-assets bucket is
   * named `elasticbeanstalk-platform-assets-public-beta-cn-north-1`: add it with `AwsOwnedBuckets.of()`.
   *
   * @see https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/vpc-vpce.policy.html#AWSHowTo.S3.VPCendpoints
   */
  public static readonly ELASTIC_BEANSTALK = AwsOwnedBuckets.fromSet(facts.ELASTIC_BEANSTALK);

  /**
   * The Amazon EMR repository: `repo.<region>.emr.amazonaws.com/*` (EMR 5.22.0 and later). EMR clusters also read the
   * Amazon Linux repositories (`AwsOwnedBuckets.AMAZON_LINUX_REPOS`; AL1's `packages.<region>.amazonaws.com` and
   * `repo.<region>.amazonaws.com` for EMR 5.29.0 and earlier), and EMR 8.0.0 and later the instance-data buckets
   * `aws157-instance-data-0-prod-<region>` and `aws157-instance-data-1-prod-<region>` (named differently in
   * ap-southeast-2): add those with `AwsOwnedBuckets.of()` when your release needs them.
   *
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html
   */
  public static readonly EMR = AwsOwnedBuckets.fromSet(facts.EMR);

  /**
   * EC2 Image Builder: the AWSTOE component manager (`ec2imagebuilder-toe-<region>-prod/*`) and the Amazon-managed
   * components (`ec2imagebuilder-managed-resources-<region>-prod/components/*`), which build and test instances
   * download. Builds also install SSM Agent and OS packages: add `AwsOwnedBuckets.SSM` and
   * `AwsOwnedBuckets.AMAZON_LINUX_REPOS` as your images need them.
   *
   * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html
   */
  public static readonly IMAGE_BUILDER = AwsOwnedBuckets.fromSet(facts.IMAGE_BUILDER);

  /**
   * CodeArtifact's package assets (Maven `.jar`s, npm tarballs, NuGet packages; Python and Swift packages need no S3
   * endpoint): `assets-<AWS account of the region>-<region>/*`, the account differing per region, as the CodeArtifact
   * guide's table lists them for us-east-1, us-east-2, us-west-2, eu-west-1, eu-west-2, eu-west-3, eu-north-1,
   * eu-south-1, eu-central-1, ap-northeast-1, ap-southeast-1, ap-southeast-2 and ap-south-1.
   *
   * In a stack of one of those regions the policy names that region's bucket; in an environment-agnostic stack it names
   * all of them (each an AWS-owned asset bucket); in another region construction fails: read your domain's bucket
   * with `aws codeartifact describe-domain` (`s3BucketArn`) and add it with `AwsOwnedBuckets.of()`.
   *
   * @see https://docs.aws.amazon.com/codeartifact/latest/ug/create-s3-gateway-endpoint.html
   */
  public static readonly CODEARTIFACT = AwsOwnedBuckets.fromSet(facts.CODEARTIFACT);

  /**
   * A custom set of AWS-owned (or other third-party) buckets: those a service documents for your region or partition
   * that the sets above do not carry.
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

  private static fromSet(set: facts.AwsOwnedBucketSet, actions?: string[]): AwsOwnedBuckets {
    return new AwsOwnedBuckets(set.name, [...set.objectArnPatterns], actions, set);
  }

  /** A short name for the set, used in statement ids. */
  public readonly name: string;

  /**
   * Object ARN patterns with `{region}`, `{regionNoDashes}` (`uswest2`) and `{partition}` placeholders.
   */
  public readonly objectArnPatterns: string[];

  /**
   * The actions an endpoint policy allows on the set's objects: `s3:GetObject`, and `s3:PutObject` for the sets
   * services answer into (`CLOUDFORMATION_RESPONSES`).
   */
  public readonly actions: string[];

  /** The facts of a built-in set; undefined for `of()` sets. */
  private readonly set?: facts.AwsOwnedBucketSet;

  private constructor(name: string, objectArnPatterns: string[], actions?: string[], set?: facts.AwsOwnedBucketSet) {
    this.name = name;
    this.objectArnPatterns = [...objectArnPatterns];
    this.actions = [...(actions ?? ['s3:GetObject'])];
    this.set = set;
  }

  /**
   * The object ARNs of this set for a region and partition.
   *
   * For a set with one bucket per listed region (`CODEARTIFACT`): the bucket of the region, or all of them when the
   * region is a token; a region not listed throws.
   *
   * @param region the region, a literal or a token such as `Stack.of(this).region`
   * @param partition the partition, a literal or a token such as `Stack.of(this).partition`
   */
  public objectArns(region: string, partition: string): string[] {
    // a token region cannot lose its dashes at synth time: CloudFormation joins the parts of its split instead
    const noDashes = Token.isUnresolved(region) ? Fn.join('', Fn.split('-', region)) : region.replace(/-/g, '');
    const patterns = this.set ? facts.patternsForRegion(this.set, Token.isUnresolved(region) ? undefined : region) : this.objectArnPatterns;
    if (patterns.length === 0) {
      throw new Error(`aws-owned bucket set '${this.name}' names no bucket in region '${region}': AWS documents it for `
        + `${this.set!.regions!.join(', ')}; find the bucket your service uses there (for CodeArtifact, s3BucketArn of `
        + '`aws codeartifact describe-domain`) and add it with AwsOwnedBuckets.of()');
    }
    return patterns.map((pattern) =>
      facts.fillArnPattern(pattern.split('{regionNoDashes}').join(noDashes), region, partition));
  }
}
