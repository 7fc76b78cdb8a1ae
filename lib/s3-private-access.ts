import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConnectable, IGatewayVpcEndpoint, INetworkAcl, ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { enableDefaultChecks } from './default-checks-hook';
import { EndpointSource } from './endpoint/endpoint-source';
import { S3NetworkAclEntries } from './network/nacl-entries';
import { selectPrivateRouteTables } from './network/route-table-selection';
import { S3PrefixList } from './network/s3-prefix-list';
import { BucketAccess } from './policy/bucket-access';
import { BucketEndpointRestriction } from './policy/bucket-endpoint-restriction';
import { BucketRestriction } from './policy/bucket-restriction';
import { EndpointPolicy } from './policy/endpoint-policy';
import { grantBucketAccess } from './policy/grant-bucket-access';
import { describeBucket, principalArnsOf, validateExemptions } from './policy/lockout-safe-deny';
import { InstanceRoleResult, WorkloadRoleOptions } from './policy/workload-role-options';
import { createInstanceRole, createTaskRole } from './policy/workload-roles';
import { constructError } from './private/errors';

/**
 * Everything `S3PrivateAccess` takes except the VPC, for helpers that supply the VPC themselves.
 */
export interface S3PrivateAccessOptions {
  /**
   * The subnets whose route tables get the route to the S3 gateway endpoint. Public subnets are refused: a route
   * in a public route table would send the S3 traffic of every public subnet through the endpoint.
   *
   * @default - all PRIVATE_WITH_EGRESS and PRIVATE_ISOLATED subnets of the VPC
   */
  readonly subnets?: SubnetSelection[];

  /**
   * Where the S3 gateway endpoint comes from.
   *
   * @default - EndpointSource.create(): a new gateway endpoint for `com.amazonaws.<region>.s3`, or the VPC's own S3
   * gateway endpoint when the app already defines one (with the selected route tables added to it)
   */
  readonly endpoint?: EndpointSource;

  /**
   * The buckets the workloads use. Each bucket defined in this app gets `bucketRestriction` in its bucket policy: the
   * endpoint (or VPC) is added to the bucket's one `BucketEndpointRestriction`, which every construct listing the bucket
   * shares; for an imported bucket the construct warns, since its policy belongs to the stack or account that owns it.
   *
   * @default - no bucket policy changes
   */
  readonly buckets?: IBucket[];

  /**
   * Security groups of the workloads: each gets TCP 443 egress to the S3 prefix list. Groups that allow all
   * outbound traffic need nothing and are left as they are.
   *
   * @default - no security group changes
   */
  readonly securityGroups?: ISecurityGroup[];

  /**
   * Network ACLs of the workloads' subnets: each gets outbound TCP 443 to, and inbound TCP 1024-65535 from, every S3
   * IPv4 CIDR of the region (bundled snapshot of AWS's published ranges). In an environment-agnostic stack the
   * entries are written at deploy time, when the region is known, by a function run as a custom resource.
   *
   * @default - no network ACL changes
   */
  readonly networkAcls?: INetworkAcl[];

  /**
   * The lowest rule number of the network-ACL entries. Numbers used by entries of an ACL defined in this app are
   * skipped; an imported ACL's entries are unknown, so pick a free range for it.
   *
   * @default - 500
   */
  readonly naclRuleNumberBase?: number;

  /**
   * The number of rules per direction the account allows in a network ACL ("Rules per network ACL" in Service
   * Quotas). Raise it after a quota increase.
   *
   * @default - 20, AWS's default quota
   */
  readonly naclEntryQuota?: number;

  /**
   * Keep the network-ACL entries current when AWS changes S3's address ranges: a Lambda function subscribed to
   * AWS's `AmazonIpSpaceChanged` topic (and run at deployment) writes the entries, in a block of rule numbers
   * reserved for it, instead of CloudFormation. Only with `networkAcls`; not available in China or GovCloud.
   *
   * @default - false: the entries follow the snapshot of S3's ranges bundled with this library
   */
  readonly keepNaclCidrsCurrent?: boolean;

  /**
   * The policy of the gateway endpoint. Applied only to an endpoint this construct creates; an adopted endpoint
   * keeps its policy (the construct warns when a restricted policy was asked for).
   *
   * @default - EndpointPolicy.fullAccess(): AWS's default endpoint policy
   */
  readonly endpointPolicy?: EndpointPolicy;

  /**
   * How the bucket policy of each bucket in `buckets` limits where requests may come from: which of this construct's
   * endpoint or VPC it adds to the bucket's Deny. The Deny exempts the bucket stack's CloudFormation execution role,
   * `exemptPrincipals`, `exemptPrincipalArns`, AWS service principals and requests made by AWS services on a
   * principal's behalf.
   *
   * @default - BucketRestriction.toEndpoint(): requests through this construct's gateway endpoint pass
   */
  readonly bucketRestriction?: BucketRestriction;

  /**
   * Principals that keep access to the buckets from anywhere, for example an administrator role.
   *
   * @default - only the CloudFormation execution role, AWS services and `exemptPrincipalArns`
   */
  readonly exemptPrincipals?: iam.IPrincipal[];

  /**
   * ARNs of principals that keep access to the buckets from anywhere; `*` may appear in the name part only
   * (`arn:aws:iam::111122223333:role/admin-*`).
   *
   * @default - only the CloudFormation execution role, AWS services and `exemptPrincipals`
   */
  readonly exemptPrincipalArns?: string[];

  /**
   * Run the synth-time checks (`S3PrivateAccessChecks`) over this construct's stack, so a misconfiguration around
   * it (a workload subnet left out, a security group without egress, a bucket policy naming another endpoint) fails
   * `cdk synth`. Findings reported by an app-wide `S3PrivateAccessChecks` too are not repeated.
   *
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * Properties of `S3PrivateAccess`.
 */
export interface S3PrivateAccessProps extends S3PrivateAccessOptions {
  /**
   * The VPC whose workloads reach Amazon S3.
   */
  readonly vpc: IVpc;
}

/**
 * Options of a grant through `S3PrivateAccess`.
 */
export interface S3PrivateAccessGrantOptions {
  /**
   * Limit the grant to keys that start with this prefix (`reports/`); listing is limited to it too.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/**
 * Private access to Amazon S3 from a VPC's private subnets, through a gateway endpoint.
 *
 * Creates the S3 gateway endpoint (or reuses the VPC's own, or adopts an existing one) and routes the private route
 * tables to it, opens the workloads' security groups and network ACLs to S3, sets the endpoint policy, and adds the
 * endpoint to each bucket's one bucket-policy Deny (`BucketEndpointRestriction`), which cannot lock out the
 * deployment, administrators or AWS services.
 */
export class S3PrivateAccess extends Construct {
  /**
   * An EC2 instance role with least-privilege grants on the given buckets, and its instance profile.
   *
   * @param scope the scope of the role
   * @param id the id of the role's construct
   * @param options the grants and the role's name
   */
  public static instanceRole(scope: Construct, id: string, options: WorkloadRoleOptions): InstanceRoleResult {
    return createInstanceRole(scope, id, options);
  }

  /**
   * An ECS task role with least-privilege grants on the given buckets, trusted by ECS tasks of this account only.
   *
   * @param scope the scope of the role
   * @param id the id of the role's construct
   * @param options the grants and the role's name
   */
  public static taskRole(scope: Construct, id: string, options: WorkloadRoleOptions): iam.IRole {
    return createTaskRole(scope, id, options);
  }

  /**
   * The S3 gateway endpoint, created or adopted.
   */
  public readonly endpoint: IGatewayVpcEndpoint;

  /**
   * The id of the S3 gateway endpoint (`vpce-…`).
   */
  public readonly endpointId: string;

  /**
   * The ids of the route tables routed to the endpoint by this construct.
   */
  public readonly routeTableIds: string[];

  /**
   * The network-ACL entries for the S3 CIDRs.
   *
   * @default - undefined when no `networkAcls` were given
   */
  public readonly networkAclEntries?: S3NetworkAclEntries;

  private s3PrefixList?: S3PrefixList;

  constructor(scope: Construct, id: string, props: S3PrivateAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // validate every input before creating anything
    const selected = selectPrivateRouteTables(this, props.vpc, props.subnets);
    const buckets = props.buckets ?? [];
    buckets.forEach((bucket) => assertSameRegion(this, stack, bucket));
    const exemptions = [
      ...(props.exemptPrincipals ?? []).flatMap(principalArnsOf),
      ...(props.exemptPrincipalArns ?? []),
    ];
    validateExemptions(exemptions, this);

    const source = props.endpoint ?? EndpointSource.create();
    const binding = source._bind(this, { vpc: props.vpc, subnets: selected.subnets, routeTableIds: selected.routeTableIds });
    this.endpoint = binding.endpoint;
    this.endpointId = binding.endpoint.vpcEndpointId;
    this.routeTableIds = selected.routeTableIds;

    const endpointPolicy = props.endpointPolicy ?? EndpointPolicy.fullAccess();
    if (binding.created) {
      endpointPolicy.statements(this).forEach((s) => binding.created!.addToPolicy(s));
    } else if (endpointPolicy.isRestricted) {
      Annotations.of(this).addWarningV2('cdk-s3-private-access:endpointPolicyNotApplied',
        `endpointPolicy is not applied to an endpoint this construct did not create (${binding.reused
          ? `the vpc's own S3 gateway endpoint ${binding.reused.node.path}, which it reuses`
          : 'EndpointSource.fromExisting'}): its policy stays as it is; set the restricted policy where the endpoint is ` +
        'defined, or let S3PrivateAccess create the endpoint');
    }

    for (const sg of props.securityGroups ?? []) {
      this.allowFrom(sg);
    }

    if (props.networkAcls && props.networkAcls.length > 0) {
      this.networkAclEntries = new S3NetworkAclEntries(this, 'NaclEntries', {
        networkAcls: props.networkAcls,
        ruleNumberBase: props.naclRuleNumberBase,
        entryQuota: props.naclEntryQuota,
        keepCurrent: props.keepNaclCidrsCurrent,
      });
    } else if (props.keepNaclCidrsCurrent) {
      throw constructError('keepNaclCidrsCurrent is set but networkAcls is empty: pass the network ACLs of the workload ' +
        'subnets in networkAcls, or drop keepNaclCidrsCurrent', this);
    }

    this.restrictBuckets(buckets, props.bucketRestriction ?? BucketRestriction.toEndpoint(), props.vpc, exemptions);

    if (props.checks ?? true) enableDefaultChecks(stack);
  }

  /**
   * The id of the S3 prefix list (`com.amazonaws.<region>.s3`): looked up at synth time for a stack with a concrete
   * account and region, read at deploy time by a custom resource otherwise. Created on first use.
   */
  public get prefixListId(): string {
    return this.prefixList().prefixListId;
  }

  /**
   * Allow TCP 443 egress to the S3 prefix list from the security groups of `connectable`.
   *
   * @param connectable a security group, Lambda function, instance, ECS service or anything with connections
   */
  public allowFrom(connectable: IConnectable): void {
    this.prefixList().allowFrom(connectable);
  }

  /**
   * Grant read access (`s3:GetObject`, `s3:ListBucket`, `s3:GetBucketLocation`) on `bucket`.
   *
   * @param grantee the workload's role or anything grantable
   * @param bucket the bucket
   * @param options a key prefix to limit the grant to
   */
  public grantRead(grantee: iam.IGrantable, bucket: IBucket, options: S3PrivateAccessGrantOptions = {}): iam.Grant {
    return grantBucketAccess(grantee, { bucket, access: BucketAccess.READ, prefix: options.prefix });
  }

  /**
   * Grant write access (`s3:PutObject`, `s3:AbortMultipartUpload`) on `bucket`.
   *
   * @param grantee the workload's role or anything grantable
   * @param bucket the bucket
   * @param options a key prefix to limit the grant to
   */
  public grantWrite(grantee: iam.IGrantable, bucket: IBucket, options: S3PrivateAccessGrantOptions = {}): iam.Grant {
    return grantBucketAccess(grantee, { bucket, access: BucketAccess.WRITE, prefix: options.prefix });
  }

  /**
   * Grant read and write access on `bucket`.
   *
   * @param grantee the workload's role or anything grantable
   * @param bucket the bucket
   * @param options a key prefix to limit the grant to
   */
  public grantReadWrite(grantee: iam.IGrantable, bucket: IBucket, options: S3PrivateAccessGrantOptions = {}): iam.Grant {
    return grantBucketAccess(grantee, { bucket, access: BucketAccess.READ_WRITE, prefix: options.prefix });
  }

  /**
   * Grant delete access (`s3:DeleteObject`) on `bucket`.
   *
   * @param grantee the workload's role or anything grantable
   * @param bucket the bucket
   * @param options a key prefix to limit the grant to
   */
  public grantDelete(grantee: iam.IGrantable, bucket: IBucket, options: S3PrivateAccessGrantOptions = {}): iam.Grant {
    return grantBucketAccess(grantee, { bucket, access: BucketAccess.DELETE, prefix: options.prefix });
  }

  private prefixList(): S3PrefixList {
    if (!this.s3PrefixList) {
      this.s3PrefixList = new S3PrefixList(this, 'PrefixList');
    }
    return this.s3PrefixList;
  }

  private restrictBuckets(buckets: IBucket[], restriction: BucketRestriction, vpc: IVpc, exemptions: string[]): void {
    if (restriction.mode === 'none') {
      return;
    }
    for (const bucket of buckets) {
      const bucketRestriction = BucketEndpointRestriction._tryOf(bucket);
      if (!bucketRestriction) {
        Annotations.of(this).addWarningV2('cdk-s3-private-access:bucketPolicyNotApplied',
          `bucket ${describeBucket(bucket)} is imported, so its bucket policy cannot be changed from this stack and ` +
          'requests from outside the endpoint are not denied: have the bucket owner apply BucketOwnerPolicy ' +
          '(BucketOwnerPolicy.applyTo in the owning stack, or BucketOwnerPolicy.document())');
        continue;
      }
      if (restriction.mode === 'endpoint') {
        bucketRestriction.allowEndpoint(this.endpointId);
      } else {
        bucketRestriction.allowVpc(vpc.vpcId);
      }
      exemptions.forEach((arn) => bucketRestriction.exempt(arn));
    }
  }
}

function assertSameRegion(scope: Construct, stack: Stack, bucket: IBucket): void {
  const bucketRegion = bucket.env.region;
  if (Token.isUnresolved(bucketRegion) || Token.isUnresolved(stack.region) || bucketRegion === stack.region) {
    return;
  }
  throw constructError(`bucket ${describeBucket(bucket)} is in region '${bucketRegion}' but the stack is in '${stack.region}': ` +
    'a gateway endpoint only reaches buckets of its own region; use a bucket in the same region, or reach this one ' +
    'through an S3 interface endpoint or the internet', scope);
}
