/**
 * The network-and-policy model the rules read. Built once per check run from resolved CloudFormation templates
 * (see `buildModel`), so the same rules serve the Aspect, the validation plugin, the cdk-nag pack and the CLI.
 *
 * Internal: not exported from the package's index.
 */

/** One resource as CloudFormation sees it, with where it came from. */
export interface ModelResource {
  /** Unique across the model: `<stackId>/<logicalId>`. */
  readonly key: string;
  readonly stack: StackInfo;
  readonly logicalId: string;
  readonly type: string;
  /** The construct path (`aws:cdk:path` metadata) or, failing that, the logical id. */
  readonly path: string;
  /** The resource's `Properties`, resolved by CDK (intrinsics such as `Ref` remain). */
  readonly props: Record<string, any>;
  /** The deployed id (`vpce-…`), when the resource was read from an account; undefined before deployment. */
  readonly physicalId?: string;
}

export interface StackInfo {
  /** The stack's artifact id (or a template file's name). */
  readonly id: string;
  /** undefined when the stack is environment-agnostic. */
  readonly region?: string;
  readonly account?: string;
  readonly partition: string;
  /**
   * Prefix lists that the app's context (`cdk.context.json`) answered for `PrefixList.fromLookup` in this stack's
   * account and region: id → looked-up list name (e.g. `pl-6da54004` → `com.amazonaws.eu-west-1.s3`). Undefined when
   * the model was built without the construct tree (templates only), so the context was not available.
   */
  readonly prefixListLookups?: Readonly<Record<string, string>>;
}

/** A value that could not be resolved to a literal or to a resource of the app. */
export interface Unknown {
  readonly unknown: true;
  /** What it was, for the "cannot judge" message (e.g. `subnet-0abc (not defined in the app)`). */
  readonly what: string;
}

export type Maybe<T> = T | Unknown;

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as any).unknown === true && typeof (v as any).what === 'string';
}

export function unknown(what: string): Unknown {
  return { unknown: true, what };
}

// ---------------------------------------------------------------- network

export interface VpcNode {
  readonly res: ModelResource;
  /** CloudFormation default: true. */
  readonly enableDnsSupport: Maybe<boolean>;
  /** CloudFormation default: false; CDK's `Vpc` sets true. */
  readonly enableDnsHostnames: Maybe<boolean>;
  /** The DHCP options set associated through `AWS::EC2::VPCDHCPOptionsAssociation`, if any. */
  readonly dhcpOptions?: ModelResource;
  readonly subnets: SubnetNode[];
  readonly routeTables: RouteTableNode[];
  readonly endpoints: EndpointNode[];
  /** Transit gateway attachments, peering connections and VPN gateways attached to this VPC. */
  readonly attachments: ModelResource[];
}

export interface SubnetNode {
  readonly res: ModelResource;
  readonly vpc: Maybe<VpcNode>;
  /** The route table associated through `AWS::EC2::SubnetRouteTableAssociation`; Unknown when none (main table). */
  readonly routeTable: Maybe<RouteTableNode>;
  /** The network ACL associated through `AWS::EC2::SubnetNetworkAclAssociation`; undefined means the VPC default ACL. */
  readonly networkAcl?: NetworkAclNode;
  /** `Ipv6Native: true`. */
  readonly ipv6Native: boolean;
  /** Whether the route table has a default route to an internet gateway (a public subnet). */
  readonly isPublic: boolean;
  /**
   * Whether a route to public address space gives a way to the internet: an internet gateway, a NAT gateway, a NAT
   * instance or appliance (`InstanceId`, `NetworkInterfaceId`, as CDK's `NatProvider.instanceV2` and fck-nat write),
   * or an egress-only internet gateway (IPv6).
   */
  readonly hasInternetRoute: boolean;
  /** How traffic to S3's public addresses leaves the subnet's VPC when no gateway-endpoint route takes it. */
  readonly wayOut: WayOut;
}

/**
 * How a subnet's traffic to public addresses leaves the VPC, judged from its routes to non-private destinations:
 * `internet-gateway` (a public subnet), `nat` (NAT gateway, NAT instance or appliance, egress-only IGW), `transit`
 * (transit gateway, peering, VPN, Cloud WAN: another network decides), `unknown` (a target or destination the app does
 * not resolve) or `none` (no route out: an isolated subnet). Undefined route tables (the main table) are `unknown`.
 */
export type WayOut = 'internet-gateway' | 'nat' | 'transit' | 'unknown' | 'none';

export type RouteTargetKind =
  | 'internet-gateway' | 'egress-only-internet-gateway' | 'nat-gateway' | 'transit-gateway' | 'vpc-peering'
  | 'vpn-gateway' | 'network-interface' | 'instance' | 'vpc-endpoint' | 'carrier-gateway' | 'local-gateway'
  | 'core-network' | 'unknown';

export interface RouteNode {
  readonly res: ModelResource;
  readonly destinationCidrBlock?: Maybe<string>;
  readonly destinationIpv6CidrBlock?: Maybe<string>;
  readonly destinationPrefixListId?: Maybe<string>;
  readonly targetKind: RouteTargetKind;
  /** The target resource when it is in the app (NAT gateway, TGW, peering...). */
  readonly target?: ModelResource;
}

export interface RouteTableNode {
  readonly res: ModelResource;
  readonly vpc: Maybe<VpcNode>;
  readonly routes: RouteNode[];
  readonly subnets: SubnetNode[];
  /** Gateway endpoints whose `RouteTableIds` include this table (resolved through the app's references). */
  readonly gatewayEndpoints: EndpointNode[];
}

export interface EndpointNode {
  readonly res: ModelResource;
  readonly vpc: Maybe<VpcNode>;
  /** `Gateway`, `Interface` or `GatewayLoadBalancer` (CloudFormation's default is Gateway). */
  readonly endpointType: string;
  /** The full service name, e.g. `com.amazonaws.eu-west-1.s3`. */
  readonly serviceName: Maybe<string>;
  /** The region part of the service name. */
  readonly serviceRegion: Maybe<string>;
  /** The service part after the region: `s3`, `s3express`, `ecr.api`, `ecr.dkr`, `logs`, ... */
  readonly service: Maybe<string>;
  /** Route tables named in `RouteTableIds` (gateway endpoints). Unknown entries are ids not defined in the app. */
  readonly routeTables: Maybe<RouteTableNode>[];
  /** `PolicyDocument`, undefined for AWS's default full-access policy. */
  readonly policyDocument?: any;
  /** `IpAddressType`, undefined when unset (ipv4). */
  readonly ipAddressType?: Maybe<string>;
  readonly subnets: Maybe<SubnetNode>[];
  /**
   * True for an endpoint that the app does not define but adopts: its route tables are associated by a custom
   * resource calling `ec2:ModifyVpcEndpoint` (as `EndpointSource.fromExisting` does). Its policy is not known.
   */
  readonly adopted?: boolean;
  /** The literal `vpce-…` id of an adopted endpoint (defined endpoints are named by reference instead). */
  readonly endpointId?: string;
}

export interface SecurityGroupRule {
  /** The resource that carries the rule: the group itself (inline) or an `AWS::EC2::SecurityGroupEgress`. */
  readonly source: ModelResource;
  /** `-1`, `tcp`, `udp`, `icmp`, or a protocol number as a string. */
  readonly ipProtocol: Maybe<string>;
  readonly fromPort?: Maybe<number>;
  readonly toPort?: Maybe<number>;
  readonly cidrIp?: Maybe<string>;
  readonly cidrIpv6?: Maybe<string>;
  readonly destinationPrefixListId?: Maybe<string>;
  readonly destinationSecurityGroup?: Maybe<ModelResource>;
}

export interface SecurityGroupNode {
  readonly res: ModelResource;
  readonly vpc: Maybe<VpcNode>;
  /** Egress rules; a group with no `SecurityGroupEgress` property and no egress resources allows all (AWS default). */
  readonly egress: SecurityGroupRule[];
  /** True when no egress rule was written, so AWS's default allow-all egress applies. */
  readonly defaultAllowAll: boolean;
}

export interface NetworkAclEntryNode {
  readonly res: ModelResource;
  readonly egress: boolean;
  readonly ruleNumber: Maybe<number>;
  /** `allow` or `deny`. */
  readonly ruleAction: Maybe<string>;
  /** Protocol number as a string: `-1` all, `6` tcp, `17` udp. */
  readonly protocol: Maybe<string>;
  readonly cidrBlock?: Maybe<string>;
  readonly ipv6CidrBlock?: Maybe<string>;
  readonly portFrom?: Maybe<number>;
  readonly portTo?: Maybe<number>;
}

export interface NetworkAclNode {
  readonly res: ModelResource;
  readonly vpc: Maybe<VpcNode>;
  readonly entries: NetworkAclEntryNode[];
  readonly subnets: SubnetNode[];
}

// ---------------------------------------------------------------- storage and identity

export interface PolicySource {
  /** The resource that holds the document (role with inline policy, AWS::IAM::Policy, bucket policy, key...). */
  readonly res: ModelResource;
  readonly document: any;
}

export interface BucketNode {
  readonly res: ModelResource;
  /** `BucketName` when set. */
  readonly bucketName?: Maybe<string>;
  /** Ownership controls `BucketOwnerEnforced` (ACLs disabled). */
  readonly ownershipEnforced: boolean;
  /** The KMS key of the default SSE-KMS encryption, when it is a key of the app. */
  readonly kmsKey?: Maybe<ModelResource>;
  readonly sseKms: boolean;
  /** `PublicAccessBlockConfiguration.BlockPublicPolicy`. */
  readonly blockPublicPolicy: boolean;
  /** Bucket policies whose `Bucket` names this bucket. */
  readonly policies: PolicySource[];
}

/** A bucket that the app refers to by name or ARN but does not define (imported, possibly in another account). */
export interface ExternalBucketRef {
  readonly name: string;
  /** From an ARN or a cross-account convention when known. */
  readonly account?: string;
}

export interface BucketPolicyNode {
  readonly res: ModelResource;
  /** The bucket it targets: a bucket of the app, an external bucket name, or Unknown. */
  readonly bucket: Maybe<BucketNode | ExternalBucketRef>;
  readonly document: any;
}

export interface RoleNode {
  readonly res: ModelResource;
  /** Inline policies, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources of the app attached to the role. */
  readonly policies: PolicySource[];
  /** Managed policy ARNs that are not resources of the app (AWS managed or imported). */
  readonly externalManagedPolicyArns: Maybe<string>[];
  readonly assumeRolePolicy: any;
}

export interface KmsKeyNode {
  readonly res: ModelResource;
  readonly keyPolicy: any;
}

// ---------------------------------------------------------------- workloads

export type WorkloadKind = 'lambda' | 'ecs-service' | 'ec2-instance' | 'autoscaling-group' | 'batch' | 'launch-template';

export interface ContainerInfo {
  readonly name: string;
  readonly image: Maybe<string>;
  /** True when the image is in ECR (`*.dkr.ecr.*.amazonaws.com/...`, or a CDK asset / `Fn::Join` naming an ECR repository). */
  readonly ecrImage: boolean;
  readonly environment: Record<string, Maybe<string>>;
  /** The log driver, e.g. `awslogs`. */
  readonly logDriver?: string;
}

export interface WorkloadNode {
  readonly res: ModelResource;
  readonly kind: WorkloadKind;
  readonly subnets: Maybe<SubnetNode>[];
  readonly securityGroups: Maybe<SecurityGroupNode>[];
  /** Roles its code runs as (Lambda role, ECS task role, instance profile roles). */
  readonly roles: RoleNode[];
  /** Roles (or instance profiles) it runs as that are not defined in the app, described for messages. */
  readonly externalRoles: string[];
  /** For ECS: the execution role (image pulls, logs). */
  readonly executionRoles: RoleNode[];
  /** Lambda environment, or every container's environment merged (per container in `containers`). */
  readonly environment: Record<string, Maybe<string>>;
  readonly containers: ContainerInfo[];
  /** ECS task network mode (`awsvpc`, `bridge`, `host`, `none`); undefined for non-ECS. */
  readonly networkMode?: Maybe<string>;
  /** ECS `AssignPublicIp` (`ENABLED`/`DISABLED`); undefined when not applicable. */
  readonly assignPublicIp?: Maybe<string>;
  /** `FARGATE`, `EC2`, `EXTERNAL`, or from capacity providers when known. */
  readonly launchType?: Maybe<string>;
  /** Lambda `PackageType` `Image` or ECS/Batch images from ECR. */
  readonly usesEcrImage: boolean;
  /** For EC2 instances / launch templates / ASGs: IMDS settings and user data (decoded when a literal). */
  readonly metadataOptions?: { httpTokens?: Maybe<string>; httpPutResponseHopLimit?: Maybe<number> };
  readonly userData?: Maybe<string>;
  /** The task definition (ECS services) or launch template (instances, ASGs) the workload runs. */
  readonly definition?: ModelResource;
}
