/**
 * The AWS-owned S3 buckets that workloads in a VPC read through an S3 gateway endpoint, as data: one set per use, its
 * object ARN patterns (`{region}` and `{partition}` placeholders) and where AWS documents them. The construct's
 * public `AwsOwnedBuckets` class, the rules and explain all read these.
 *
 * Facts only: this file imports nothing.
 */

/** One set of AWS-owned buckets. */
export interface AwsOwnedBucketSet {
  /** A short name, used in statement ids (`ecr-layers`). */
  readonly name: string;
  /** How the construct's API names the set (`AwsOwnedBuckets.ECR_LAYERS`), for messages and fixes. */
  readonly label: string;
  /**
   * Object ARN patterns with `{region}`, `{regionNoDashes}` (`uswest2`, as CloudFormation's custom-resource response
   * buckets spell the region) and `{partition}` placeholders.
   */
  readonly objectArnPatterns: readonly string[];
  /**
   * For sets whose bucket names carry something other than the region (CodeArtifact's carry an AWS account per
   * region): the region each pattern of `objectArnPatterns` serves. A set with this field names a bucket only for the
   * regions listed.
   */
  readonly regions?: readonly string[];
}

/**
 * Amazon ECR image layers: `prod-<region>-starport-layer-bucket/*`
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms).
 */
export const ECR_LAYERS: AwsOwnedBucketSet = {
  name: 'ecr-layers',
  label: 'AwsOwnedBuckets.ECR_LAYERS',
  objectArnPatterns: ['arn:{partition}:s3:::prod-{region}-starport-layer-bucket/*'],
};

/**
 * Amazon Linux package repositories: AL2023 and Amazon Linux 2
 * (https://docs.aws.amazon.com/linux/al2023/ug/live-patching.html, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/al2-live-patching.html).
 */
export const AMAZON_LINUX_REPOS: AwsOwnedBucketSet = {
  name: 'amazon-linux-repos',
  label: 'AwsOwnedBuckets.AMAZON_LINUX_REPOS',
  objectArnPatterns: [
    'arn:{partition}:s3:::al2023-repos-{region}-de612dc2/*',
    'arn:{partition}:s3:::amazonlinux.{region}.amazonaws.com/*',
    'arn:{partition}:s3:::amazonlinux-2-repos-{region}/*',
  ],
};

/**
 * The buckets SSM Agent reads for Systems Manager operations
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions).
 */
export const SSM: AwsOwnedBucketSet = {
  name: 'ssm',
  label: 'AwsOwnedBuckets.SSM',
  objectArnPatterns: [
    'arn:{partition}:s3:::aws-ssm-{region}/*',
    'arn:{partition}:s3:::aws-windows-downloads-{region}/*',
    'arn:{partition}:s3:::amazon-ssm-{region}/*',
    'arn:{partition}:s3:::amazon-ssm-packages-{region}/*',
    'arn:{partition}:s3:::{region}-birdwatcher-prod/*',
    'arn:{partition}:s3:::aws-ssm-distributor-file-{region}/*',
    'arn:{partition}:s3:::aws-ssm-document-attachments-{region}/*',
    'arn:{partition}:s3:::patch-baseline-snapshot-{region}/*',
    'arn:{partition}:s3:::aws-patchmanager-macos-{region}/*',
  ],
};

/**
 * The buckets CloudFormation reads responses from: a custom resource's handler PUTs its response to a presigned URL
 * in `cloudformation-custom-resource-response-<region without dashes>`, and a wait condition's signal goes to
 * `cloudformation-waitcondition-<region>` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html).
 * A handler in a VPC whose S3 endpoint policy does not allow them cannot answer, and the stack waits for an hour.
 */
export const CLOUDFORMATION_RESPONSES: AwsOwnedBucketSet = {
  name: 'cloudformation-responses',
  label: 'AwsOwnedBuckets.CLOUDFORMATION_RESPONSES',
  objectArnPatterns: [
    'arn:{partition}:s3:::cloudformation-custom-resource-response-{regionNoDashes}/*',
    'arn:{partition}:s3:::cloudformation-waitcondition-{region}/*',
  ],
};

/**
 * The bucket the CloudWatch agent's packages are downloaded from: `amazoncloudwatch-agent-<region>`, as the regional
 * download links of the CloudWatch guide spell it (`https://amazoncloudwatch-agent-<region>.s3.<region>.amazonaws.com/…`,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/download-CloudWatch-Agent-on-EC2-Instance-commandline-first.html).
 */
export const CLOUDWATCH_AGENT: AwsOwnedBucketSet = {
  name: 'cloudwatch-agent',
  label: 'AwsOwnedBuckets.CLOUDWATCH_AGENT',
  objectArnPatterns: ['arn:{partition}:s3:::amazoncloudwatch-agent-{region}/*'],
};

/**
 * The CodeDeploy resource kit (the agent's installer and packages): `aws-codedeploy-<region>`
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/resource-kit.html#resource-kit-bucket-names).
 */
export const CODEDEPLOY_AGENT: AwsOwnedBucketSet = {
  name: 'codedeploy-agent',
  label: 'AwsOwnedBuckets.CODEDEPLOY_AGENT',
  objectArnPatterns: ['arn:{partition}:s3:::aws-codedeploy-{region}/*'],
};

/**
 * The buckets Elastic Beanstalk keeps its platform assets in: `elasticbeanstalk-samples-<region>`,
 * `elasticbeanstalk-platform-assets-<region>` (Amazon Linux 2 and later) and `elasticbeanstalk-env-resources-<region>`
 * (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/vpc-vpce.policy.html#AWSHowTo.S3.VPCendpoints).
 */
export const ELASTIC_BEANSTALK: AwsOwnedBucketSet = {
  name: 'elastic-beanstalk',
  label: 'AwsOwnedBuckets.ELASTIC_BEANSTALK',
  objectArnPatterns: [
    'arn:{partition}:s3:::elasticbeanstalk-samples-{region}/*',
    'arn:{partition}:s3:::elasticbeanstalk-platform-assets-{region}/*',
    'arn:{partition}:s3:::elasticbeanstalk-env-resources-{region}/*',
  ],
};

/**
 * The Amazon EMR repository bucket, `repo.<region>.emr.amazonaws.com` (EMR 5.22.0 and later;
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html).
 */
export const EMR: AwsOwnedBucketSet = {
  name: 'emr',
  label: 'AwsOwnedBuckets.EMR',
  objectArnPatterns: ['arn:{partition}:s3:::repo.{region}.emr.amazonaws.com/*'],
};

/**
 * EC2 Image Builder: the AWSTOE component manager bucket `ec2imagebuilder-toe-<region>-prod` and the managed
 * components under `ec2imagebuilder-managed-resources-<region>-prod/components`
 * (https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html, "Amazon S3 bucket access";
 * the same two in aws-samples' data-perimeter endpoint policy examples).
 */
export const IMAGE_BUILDER: AwsOwnedBucketSet = {
  name: 'image-builder',
  label: 'AwsOwnedBuckets.IMAGE_BUILDER',
  objectArnPatterns: [
    'arn:{partition}:s3:::ec2imagebuilder-toe-{region}-prod/*',
    'arn:{partition}:s3:::ec2imagebuilder-managed-resources-{region}-prod/components/*',
  ],
};

/**
 * The regions of CodeArtifact's package-asset buckets, `assets-<AWS account of the region>-<region>`, and the account
 * in each name, as the table "Minimum Amazon S3 bucket permissions for AWS CodeArtifact" lists them
 * (https://docs.aws.amazon.com/codeartifact/latest/ug/create-s3-gateway-endpoint.html).
 */
const CODEARTIFACT_ASSET_ACCOUNTS: ReadonlyArray<readonly [string, string]> = [
  ['us-east-1', '193858265520'], ['us-east-2', '250872398865'], ['us-west-2', '787052242323'],
  ['eu-west-1', '438097961670'], ['eu-west-2', '247805302724'], ['eu-west-3', '762466490029'],
  ['eu-north-1', '611884512288'], ['eu-south-1', '484130244270'], ['eu-central-1', '769407342218'],
  ['ap-northeast-1', '660291247815'], ['ap-southeast-1', '421485864821'], ['ap-southeast-2', '860415559748'],
  ['ap-south-1', '681137435769'],
];

/**
 * CodeArtifact's package assets (Maven, npm, NuGet, ... files; Python and Swift packages need no S3 endpoint): one
 * bucket per region, named after an AWS account that differs per region, so one pattern per documented region.
 */
export const CODEARTIFACT: AwsOwnedBucketSet = {
  name: 'codeartifact',
  label: 'AwsOwnedBuckets.CODEARTIFACT',
  objectArnPatterns: CODEARTIFACT_ASSET_ACCOUNTS.map(([region, account]) => `arn:{partition}:s3:::assets-${account}-${region}/*`),
  regions: CODEARTIFACT_ASSET_ACCOUNTS.map(([region]) => region),
};

/** Every set above. */
export const AWS_OWNED_BUCKET_SETS: readonly AwsOwnedBucketSet[] = [
  ECR_LAYERS, AMAZON_LINUX_REPOS, SSM, CLOUDFORMATION_RESPONSES, CLOUDWATCH_AGENT, CODEDEPLOY_AGENT, ELASTIC_BEANSTALK, EMR,
  IMAGE_BUILDER, CODEARTIFACT,
];

/**
 * The patterns of a set that serve a region: all of them for a set named by region, the one of the region for a set
 * with a per-region table (none when the region is not in it), all of the table when the region is unknown.
 */
export function patternsForRegion(set: AwsOwnedBucketSet, region: string | undefined): readonly string[] {
  if (!set.regions || region === undefined) return set.objectArnPatterns;
  return set.objectArnPatterns.filter((_, i) => set.regions![i] === region);
}

/** An ARN pattern with its `{region}` and `{partition}` placeholders filled. */
export function fillArnPattern(pattern: string, region: string, partition: string): string {
  return pattern.split('{regionNoDashes}').join(region.replace(/-/g, '')).split('{region}').join(region)
    .split('{partition}').join(partition);
}

/** The set a bucket name belongs to, in a region (any region when undefined). */
export function awsOwnedSetOfBucket(name: string, region: string | undefined): AwsOwnedBucketSet | undefined {
  const regionPattern = region ? region.replace(/-/g, '\\-') : '[a-z0-9-]+';
  const compactPattern = region ? region.replace(/-/g, '') : '[a-z0-9]+';
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const set of AWS_OWNED_BUCKET_SETS) {
    for (const pattern of patternsForRegion(set, region)) {
      const bucket = /^arn:[^:]+:s3:::([^/]+)\//.exec(pattern)?.[1];
      const source = bucket?.split('{regionNoDashes}').map(part => part.split('{region}').map(escape).join(regionPattern))
        .join(compactPattern);
      if (source && new RegExp(`^${source}$`).test(name)) return set;
    }
  }
  return undefined;
}
