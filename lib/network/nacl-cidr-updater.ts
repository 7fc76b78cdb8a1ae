import {
  Annotations, ArnFormat, CustomResource, Duration, Stack, Token, Validations,
  aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { naclUpdaterHandlerCode } from './nacl-cidr-updater-code';
import type { NaclUpdaterConfig, NaclUpdaterIpv6Config } from './nacl-cidr-updater-reconcile';
import { s3Ipv6Cidrs, s3NaclIpv4Cidrs } from '../aws/s3-ranges';
import { constructError } from '../private/errors';

/** The highest rule number a network-ACL entry may have (32767 is the default deny rule). */
const MAX_RULE_NUMBER = 32766;
/** The network-ACL rules-per-direction quota can be raised to 40 at most. */
const MAX_ENTRIES_QUOTA = 40;

/** Properties of a `NaclCidrUpdater`. */
export interface NaclCidrUpdaterProps {
  /**
   * The network ACLs whose S3 entries the updater manages. It only ever touches the entries in its own rule-number
   * ranges (`egressRuleNumberStart`, `ingressRuleNumberStart`, `maxEntriesPerDirection` numbers each).
   */
  readonly networkAcls: ec2.INetworkAcl[];

  /**
   * The region whose S3 CIDRs the entries allow: the region of the VPC that holds the network ACLs.
   *
   * @default - the stack's region
   */
  readonly region?: string;

  /**
   * The first rule number of the outbound entries (TCP 443 to each S3 CIDR).
   *
   * @default 32000
   */
  readonly egressRuleNumberStart?: number;

  /**
   * The first rule number of the inbound entries (TCP 1024-65535 from each S3 CIDR). Inbound and outbound rule
   * numbers are separate lists in a network ACL, so this may equal `egressRuleNumberStart`.
   *
   * @default 32000
   */
  readonly ingressRuleNumberStart?: number;

  /**
   * How many rule numbers the updater owns in each direction. When S3 publishes more CIDRs (after merging adjacent
   * blocks) for the region, the updater logs an error and leaves the entries as they are. Entries count against the
   * network ACL rules-per-direction quota (20 by default, 40 at most), together with the ACL's other entries.
   *
   * @default 20
   */
  readonly maxEntriesPerDirection?: number;

  /**
   * The account's quota of rules per network-ACL direction ("Rules per network ACL" in Service Quotas). At each run,
   * an ACL whose other entries plus the S3 CIDRs would exceed it is left as it is, and the deployment fails with a
   * message that names the ACL, the counts and the fix (notifications log it as an error).
   *
   * @default - no check beyond `maxEntriesPerDirection`
   */
  readonly entryQuota?: number;

  /**
   * Also write entries for S3's IPv6 CIDRs of the region (the same ports, `Ipv6CidrBlock`), in rule-number ranges of
   * their own: IPv4 and IPv6 entries share the rule numbers of a direction, so these must not overlap the IPv4
   * ranges. `entryQuota` applies to the IPv6 entries apart from the IPv4 ones, as AWS enforces it
   * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls).
   *
   * @default - IPv4 entries only
   */
  readonly ipv6?: NaclCidrUpdaterIpv6Options;

  /**
   * Subscribe the function to AWS's `AmazonIpSpaceChanged` topic, so the entries follow changes of S3's ranges
   * between deployments. Without it the entries are written at deployment only (each create and update of the stack),
   * from the ranges AWS publishes at that time.
   *
   * @default true
   */
  readonly subscribe?: boolean;
}

/** The rule-number ranges of a `NaclCidrUpdater`'s IPv6 entries. */
export interface NaclCidrUpdaterIpv6Options {
  /**
   * The first rule number of the outbound IPv6 entries.
   *
   * @default - right after the outbound IPv4 range (`egressRuleNumberStart + maxEntriesPerDirection`)
   */
  readonly egressRuleNumberStart?: number;

  /**
   * The first rule number of the inbound IPv6 entries.
   *
   * @default - right after the inbound IPv4 range (`ingressRuleNumberStart + maxEntriesPerDirection`)
   */
  readonly ingressRuleNumberStart?: number;

  /**
   * How many rule numbers the updater owns for IPv6 in each direction (the IPv6 rules-per-direction quota is 20 by
   * default, 40 at most).
   *
   * @default - the IPv4 `maxEntriesPerDirection`
   */
  readonly maxEntriesPerDirection?: number;
}

/**
 * Keeps network-ACL entries for the S3 CIDRs of a region current: a Lambda function subscribed to AWS's
 * `AmazonIpSpaceChanged` topic downloads ip-ranges.json on each change and reconciles the entries in its rule-number
 * ranges (outbound TCP 443 to each CIDR, inbound TCP 1024-65535 from each; IPv6 CIDRs too with `ipv6`). A custom resource (`Custom::S3NaclCidrs`)
 * runs the same reconciliation at each deployment, so the entries are right from the start, and removes them when
 * the stack is deleted; creating S3 entries in those ranges by other means would conflict with it. With
 * `subscribe: false` only the deployment runs it: that is how an environment-agnostic stack gets its entries, since
 * its region, and so its S3 CIDRs, are known at deploy time only.
 */
export class NaclCidrUpdater extends Construct {
  /** The SNS topic on which AWS announces changes to ip-ranges.json (it exists in us-east-1 of the aws partition only). */
  public static readonly AMAZON_IP_SPACE_CHANGED_TOPIC_ARN = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';

  /** The function that reconciles the entries. */
  public readonly updaterFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: NaclCidrUpdaterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const region = props.region ?? stack.region;
    const egressStart = props.egressRuleNumberStart ?? 32000;
    const ingressStart = props.ingressRuleNumberStart ?? 32000;
    const maxEntries = props.maxEntriesPerDirection ?? 20;
    validateProps(this, props, { region, egressStart, ingressStart, maxEntries });
    const ipv6: NaclUpdaterIpv6Config | undefined = props.ipv6 ? {
      egressRuleNumberStart: props.ipv6.egressRuleNumberStart ?? egressStart + maxEntries,
      ingressRuleNumberStart: props.ipv6.ingressRuleNumberStart ?? ingressStart + maxEntries,
      maxEntriesPerDirection: props.ipv6.maxEntriesPerDirection ?? maxEntries,
    } : undefined;
    if (ipv6) {
      validateIpv6Ranges(this, ipv6, { egressStart, ingressStart, maxEntries });
    }

    const config: NaclUpdaterConfig = {
      networkAclIds: props.networkAcls.map((acl) => acl.networkAclId),
      region,
      egressRuleNumberStart: egressStart,
      ingressRuleNumberStart: ingressStart,
      maxEntriesPerDirection: maxEntries,
      ...(props.entryQuota !== undefined ? { entryQuota: props.entryQuota } : {}),
      ...(ipv6 ? { ipv6 } : {}),
    };
    const configJson = stack.toJsonString(config);

    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.THREE_MONTHS });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reconciles the S3 network-ACL entries of cdk-s3-private-access',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkAclEntry', 'ec2:ReplaceNetworkAclEntry', 'ec2:DeleteNetworkAclEntry'],
      resources: props.networkAcls.map((acl) => stack.formatArn({
        service: 'ec2',
        resource: 'network-acl',
        resourceName: acl.networkAclId,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        region: acl.env.region,
        account: acl.env.account,
      })),
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkAcls'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeNetworkAcls supports no resource-level permissions (resource type "*" only); the mutating network-ACL actions are limited to the managed ACLs',
    });

    const fn = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(naclUpdaterHandlerCode()),
      role,
      logGroup,
      timeout: Duration.minutes(2),
      memorySize: 256,
      description: 'Keeps the network-ACL entries for the S3 CIDRs current (cdk-s3-private-access)',
      environment: { NACL_UPDATER_CONFIG: configJson },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is pinned on purpose: the inline handler is tested against it, and AWS SDK v3 ships with that runtime until its deprecation in 2027',
    });
    this.updaterFunction = fn;

    if (props.subscribe ?? true) {
      sns.Topic.fromTopicArn(this, 'AmazonIpSpaceChanged', NaclCidrUpdater.AMAZON_IP_SPACE_CHANGED_TOPIC_ARN)
        .addSubscription(new subscriptions.LambdaSubscription(fn));
    }

    const sync = new CustomResource(this, 'InitialSync', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::S3NaclCidrs',
      properties: { Config: configJson },
    });
    sync.node.addDependency(role);

    warnWhenSnapshotExceedsRange(this, region, maxEntries, ipv6?.maxEntriesPerDirection);
  }
}

function validateProps(
  scope: Construct,
  props: NaclCidrUpdaterProps,
  v: { region: string; egressStart: number; ingressStart: number; maxEntries: number },
) {
  if (props.networkAcls.length === 0) {
    throw constructError('networkAcls is empty: pass the network ACLs whose S3 entries the updater should manage', scope);
  }
  if (props.entryQuota !== undefined && !Token.isUnresolved(props.entryQuota) && (!Number.isInteger(props.entryQuota) || props.entryQuota < 1)) {
    throw constructError(`entryQuota must be an integer of at least 1 (the account's rules per network ACL direction, 20 unless raised), got ${props.entryQuota}`, scope);
  }
  if ((props.subscribe ?? true) && !Token.isUnresolved(v.region) && /^(cn|us-gov|us-iso[a-z]?|eu-isoe)-/.test(v.region)) {
    throw constructError(`region '${v.region}' is outside the aws partition, where the AmazonIpSpaceChanged topic lives: `
      + 'keep the network-ACL entries current by refreshing the bundled ranges instead', scope);
  }
  validateMaxEntries(scope, 'maxEntriesPerDirection', v.maxEntries, 'the network ACL rules quota');
  validateRange(scope, 'egressRuleNumberStart', v.egressStart, v.maxEntries);
  validateRange(scope, 'ingressRuleNumberStart', v.ingressStart, v.maxEntries);
}

/** A count of rule numbers per direction: an integer within the network-ACL rules quota (`quota` names it). */
function validateMaxEntries(scope: Construct, name: string, maxEntries: number, quota: string) {
  if (!Token.isUnresolved(maxEntries) && (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_ENTRIES_QUOTA)) {
    throw constructError(`${name} must be an integer from 1 to ${MAX_ENTRIES_QUOTA} (${quota}), got ${maxEntries}`, scope);
  }
}

function validateRange(scope: Construct, name: string, start: number, maxEntries: number) {
  if (Token.isUnresolved(start) || Token.isUnresolved(maxEntries)) {
    return;
  }
  if (!Number.isInteger(start) || start < 1 || start + maxEntries - 1 > MAX_RULE_NUMBER) {
    throw constructError(`${name} must be an integer from 1 to ${MAX_RULE_NUMBER - maxEntries + 1} so that its ${maxEntries} `
      + `rule numbers stay within 1-${MAX_RULE_NUMBER}, got ${start}`, scope);
  }
}

/** The IPv6 ranges lie within the rule numbers and clear of the IPv4 range of their direction. */
function validateIpv6Ranges(scope: Construct, v6: NaclUpdaterIpv6Config, v4: { egressStart: number; ingressStart: number; maxEntries: number }) {
  const max = v6.maxEntriesPerDirection;
  validateMaxEntries(scope, 'ipv6.maxEntriesPerDirection', max, 'the network ACL IPv6 rules quota');
  for (const [name, start, start4] of [
    ['ipv6.egressRuleNumberStart', v6.egressRuleNumberStart, v4.egressStart],
    ['ipv6.ingressRuleNumberStart', v6.ingressRuleNumberStart, v4.ingressStart],
  ] as const) {
    validateRange(scope, name, start, max);
    if ([start, start4, max, v4.maxEntries].some((n) => Token.isUnresolved(n))) {
      continue;
    }
    if (start < start4 + v4.maxEntries && start4 < start + max) {
      throw constructError(`${name} range ${start}-${start + max - 1} overlaps the IPv4 range ${start4}-${start4 + v4.maxEntries - 1} `
        + 'of the same direction (IPv4 and IPv6 entries share its rule numbers): pick a start outside it, or leave it unset '
        + 'to follow the IPv4 range', scope);
    }
  }
}

function warnWhenSnapshotExceedsRange(scope: Construct, region: string, maxEntries: number, ipv6MaxEntries?: number) {
  if (Token.isUnresolved(region) || Token.isUnresolved(maxEntries)) {
    return;
  }
  const cidrs = s3NaclIpv4Cidrs(region);
  if (cidrs && cidrs.length > maxEntries) {
    Annotations.of(scope).addWarningV2('cdk-s3-private-access:naclCidrsExceedRange',
      `S3 publishes ${cidrs.length} IPv4 CIDRs for ${region} (bundled snapshot) but maxEntriesPerDirection is ${maxEntries}: `
      + 'the updater will leave the entries as they are; raise maxEntriesPerDirection and the network ACL rules quota');
  }
  const ipv6Cidrs = ipv6MaxEntries === undefined || Token.isUnresolved(ipv6MaxEntries) ? undefined : s3Ipv6Cidrs(region);
  if (ipv6Cidrs && ipv6Cidrs.length > ipv6MaxEntries!) {
    Annotations.of(scope).addWarningV2('cdk-s3-private-access:naclIpv6CidrsExceedRange',
      `S3 publishes ${ipv6Cidrs.length} IPv6 CIDRs for ${region} (bundled snapshot) but ipv6.maxEntriesPerDirection is ${ipv6MaxEntries}: `
      + 'the updater will leave the entries as they are; raise ipv6.maxEntriesPerDirection and the network ACL rules quota');
  }
}
