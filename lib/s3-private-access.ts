import { Annotations, Stack, Token } from 'aws-cdk-lib';
import {
  CfnVPCEndpoint, IConnectable, IGatewayVpcEndpoint, IInterfaceVpcEndpoint, InterfaceVpcEndpoint, IVpc, Peer, Port,
} from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { s3Ipv6Cidrs } from './aws/s3-ranges';
import { enableDefaultChecks } from './default-checks-hook';
import { EndpointSource } from './endpoint/endpoint-source';
import { bindExpressEndpoint, ExpressDirectoryBucket } from './endpoint/express-endpoint';
import { resolveIpAddressType, S3EndpointIpAddressType } from './endpoint/ip-address-type';
import { createRemoteAccessEndpoint, validateRemoteCidrs } from './endpoint/remote-access';
import { S3NetworkAclEntries } from './network/nacl-entries';
import { selectPrivateRouteTables } from './network/route-table-selection';
import { S3PrefixList } from './network/s3-prefix-list';
import { BucketAccess } from './policy/bucket-access';
import { BucketEndpointRestriction } from './policy/bucket-endpoint-restriction';
import { BucketRestriction, BucketRestrictionMode } from './policy/bucket-restriction';
import { EndpointPolicy } from './policy/endpoint-policy';
import { grantBucketAccess } from './policy/grant-bucket-access';
import { describeBucket, principalArnsOf, validateExemptions } from './policy/lockout-safe-deny';
import { InstanceRoleResult, WorkloadRoleOptions } from './policy/workload-role-options';
import { createInstanceRole, createTaskRole } from './policy/workload-roles';
import { constructError } from './private/errors';
import { S3PrivateAccessExpressGrantOptions, S3PrivateAccessGrantOptions, S3PrivateAccessProps } from './s3-private-access-options';

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

  /**
   * The IP address type of the endpoints, as given or as chosen from the subnets.
   */
  public readonly ipAddressType: S3EndpointIpAddressType;

  /**
   * The S3 interface endpoint for remote networks.
   *
   * @default - undefined without `remoteAccess`
   */
  public readonly interfaceEndpoint?: IInterfaceVpcEndpoint;

  /**
   * The `com.amazonaws.<region>.s3express` gateway endpoint, created or the VPC's own.
   *
   * @default - undefined without `directoryBuckets`
   */
  public readonly expressEndpoint?: IGatewayVpcEndpoint;

  /**
   * The directory buckets given in `directoryBuckets`.
   */
  public readonly directoryBuckets: ExpressDirectoryBucket[];

  private s3PrefixList?: S3PrefixList;
  private expressPrefixList?: S3PrefixList;
  private ipv6EgressWarned = false;

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
    this.ipAddressType = resolveIpAddressType(selected.subnets, props.ipAddressType, this);
    if (props.remoteAccess) validateRemoteCidrs(props.remoteAccess, this);
    this.directoryBuckets = [...(props.directoryBuckets ?? [])];

    const source = props.endpoint ?? EndpointSource.create();
    const binding = source._bind(this, { vpc: props.vpc, subnets: selected.subnets, routeTableIds: selected.routeTableIds });
    this.endpoint = binding.endpoint;
    this.endpointId = binding.endpoint.vpcEndpointId;
    this.routeTableIds = selected.routeTableIds;

    if (binding.created) {
      if (this.ipAddressType !== S3EndpointIpAddressType.IPV4) {
        // the L2 of the floor version has no ipAddressType: the L1 property exists on every supported version
        (binding.created.node.defaultChild as CfnVPCEndpoint).ipAddressType = this.ipAddressType;
      }
    } else if (props.ipAddressType !== undefined && props.ipAddressType !== S3EndpointIpAddressType.IPV4) {
      Annotations.of(this).addWarningV2('cdk-s3-private-access:ipAddressTypeNotApplied',
        `ipAddressType '${props.ipAddressType}' is not applied to an endpoint this construct did not create: set it where ` +
        'the endpoint is defined, or let S3PrivateAccess create the endpoint');
    }

    if (props.remoteAccess) {
      const remote = createRemoteAccessEndpoint(this, props.vpc, selected.subnets, props.remoteAccess, this.ipAddressType);
      this.interfaceEndpoint = remote.endpoint;
      // private DNS for inbound resolvers only needs the VPC's S3 gateway endpoint to exist first
      const gateway = binding.created ?? binding.reused;
      if (gateway) remote.endpoint.node.addDependency(gateway);
    }

    if (this.directoryBuckets.length > 0) {
      this.expressEndpoint = bindExpressEndpoint(this, props.vpc, selected.subnets, selected.routeTableIds);
    }

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
    if (this.interfaceEndpoint) {
      const created = this.interfaceEndpoint as InterfaceVpcEndpoint;
      endpointPolicy.statements(this).forEach((s) => created.addToPolicy(s));
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
        ipv6: this.ipAddressType !== S3EndpointIpAddressType.IPV4,
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
    if (this.ipAddressType !== S3EndpointIpAddressType.IPV4) {
      this.allowIpv6From(connectable);
    }
    if (this.directoryBuckets.length > 0) {
      this.expressPrefixList ??= new S3PrefixList(this, 'ExpressPrefixList', { express: true });
      this.expressPrefixList.allowFrom(connectable);
    }
  }

  /**
   * Grant `s3express:CreateSession` on the construct's directory buckets (`directoryBuckets`), exactly their ARNs:
   * every data-plane call to a directory bucket starts with a session, and the session's mode bounds what it can do.
   *
   * @param grantee the workload's role or anything grantable
   * @param options read-only sessions
   */
  public grantExpressSession(grantee: iam.IGrantable, options: S3PrivateAccessExpressGrantOptions = {}): iam.Grant {
    if (this.directoryBuckets.length === 0) {
      throw constructError('grantExpressSession needs directory buckets: pass them in directoryBuckets ' +
        '(ExpressDirectoryBucket.fromCfnDirectoryBucket(bucket) or ExpressDirectoryBucket.fromBucketName(name))', this);
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3express:CreateSession'],
      resourceArns: this.directoryBuckets.map((b) => b.bucketArn(this)),
      conditions: options.readOnly ? { StringEquals: { 's3express:SessionMode': 'ReadOnly' } } : undefined,
    });
  }

  /**
   * The ids of the S3 endpoints whose requests `BucketRestriction.toEndpoint()` lets through: the gateway endpoint,
   * and the interface endpoint of `remoteAccess`.
   */
  public get endpointIds(): string[] {
    return this.interfaceEndpoint ? [this.endpointId, this.interfaceEndpoint.vpcEndpointId] : [this.endpointId];
  }

  /** TCP 443 egress to S3's IPv6 CIDRs of the region (the bundled snapshot); a warning when they are unknown. */
  private allowIpv6From(connectable: IConnectable): void {
    const stack = Stack.of(this);
    const cidrs = Token.isUnresolved(stack.region) ? undefined : s3Ipv6Cidrs(stack.region);
    if (cidrs === undefined || cidrs.length === 0) {
      if (!this.ipv6EgressWarned) {
        this.ipv6EgressWarned = true;
        Annotations.of(this).addWarningV2('cdk-s3-private-access:ipv6EgressUnknown',
          `ipAddressType is '${this.ipAddressType}' but S3's IPv6 ranges of the region are not known at synth time ` +
          `(${Token.isUnresolved(stack.region) ? 'an environment-agnostic stack' : `no ranges bundled for ${stack.region}`}), ` +
          'so the security groups get no IPv6 egress to S3: IPv6 requests time out unless a group allows all outbound ' +
          'traffic; give the stack a region, or allow S3\'s IPv6 ranges yourself');
      }
      return;
    }
    for (const cidr of cidrs) {
      connectable.connections.allowTo(Peer.ipv6(cidr), Port.tcp(443), 'HTTPS to Amazon S3 over IPv6 through the gateway endpoint');
    }
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
    if (restriction.mode === BucketRestrictionMode.NONE) {
      return;
    }
    assertOwnAccountAllowed(this, restriction);
    for (const bucket of buckets) {
      const bucketRestriction = BucketEndpointRestriction._tryOf(bucket);
      if (!bucketRestriction) {
        Annotations.of(this).addWarningV2('cdk-s3-private-access:bucketPolicyNotApplied',
          `bucket ${describeBucket(bucket)} is imported, so its bucket policy cannot be changed from this stack and ` +
          'requests from outside the endpoint are not denied: have the bucket owner apply BucketOwnerPolicy ' +
          '(BucketOwnerPolicy.applyTo in the owning stack, or BucketOwnerPolicy.document())');
        continue;
      }
      switch (restriction.mode) {
        case BucketRestrictionMode.ENDPOINT:
          this.endpointIds.forEach((id) => bucketRestriction.allowEndpoint(id));
          break;
        case BucketRestrictionMode.VPC:
          bucketRestriction.allowVpc(vpc.vpcId);
          break;
        case BucketRestrictionMode.ORGANIZATION:
          bucketRestriction.allowOrganization(restriction.organizationId!);
          break;
        case BucketRestrictionMode.ACCOUNTS:
          restriction.accountIds!.forEach((id) => bucketRestriction.allowAccount(id));
          break;
      }
      exemptions.forEach((arn) => bucketRestriction.exempt(arn));
    }
  }
}

/** Throws when an accounts restriction leaves out the stack's own (literal) account: its endpoint would be denied. */
function assertOwnAccountAllowed(scope: Construct, restriction: BucketRestriction): void {
  const stack = Stack.of(scope);
  const accounts = restriction.accountIds;
  if (restriction.mode !== BucketRestrictionMode.ACCOUNTS || !accounts || Token.isUnresolved(stack.account)
    || accounts.some((a) => Token.isUnresolved(a) || a === stack.account)) {
    return;
  }
  throw constructError(`bucketRestriction BucketRestriction.toAccounts(${accounts.join(', ')}) leaves out account ` +
    `${stack.account}, which owns this construct's endpoint, so the buckets would deny its workloads' requests: ` +
    'pass the account in toAccounts as well', scope);
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
