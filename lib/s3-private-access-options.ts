import { INetworkAcl, ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { EndpointSource } from './endpoint/endpoint-source';
import { ExpressDirectoryBucket } from './endpoint/express-endpoint';
import { S3EndpointIpAddressType } from './endpoint/ip-address-type';
import { RemoteAccessOptions } from './endpoint/remote-access-options';
import { BucketRestriction } from './policy/bucket-restriction';
import { EndpointPolicy } from './policy/endpoint-policy';

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
   * The IP address type of the S3 endpoints (`AWS::EC2::VPCEndpoint.IpAddressType`). With `dualstack` or `ipv6`, the
   * security groups also get TCP 443 egress to S3's IPv6 CIDRs of the region (AWS publishes no IPv6 prefix list for
   * S3, so the bundled snapshot of its ranges is used) and the network ACLs IPv6 entries. Applied to endpoints this
   * construct creates; an adopted endpoint keeps its type (the construct warns when another was asked for).
   *
   * @default - S3EndpointIpAddressType.DUALSTACK when every selected subnet of the app has an IPv6 range, else
   * S3EndpointIpAddressType.IPV4
   */
  readonly ipAddressType?: S3EndpointIpAddressType;

  /**
   * S3 Express One Zone directory buckets the workloads use. The S3 gateway endpoint does not carry their traffic: the
   * construct adds a `com.amazonaws.<region>.s3express` gateway endpoint on the same route tables (or adds them to
   * the VPC's own), opens the security groups to the s3express prefix list, and `grantExpressSession` grants
   * `s3express:CreateSession` on exactly these buckets.
   *
   * @default - no directory buckets, no s3express endpoint
   */
  readonly directoryBuckets?: ExpressDirectoryBucket[];

  /**
   * An S3 interface endpoint beside the gateway endpoint, for networks outside the VPC (on premises, peered VPCs,
   * a transit gateway), which a gateway endpoint does not serve. Its security group allows TCP 443 from the given
   * CIDRs; private DNS answers only Route 53 inbound resolver endpoints, so the VPC's own workloads stay on the gateway
   * endpoint. With `BucketRestriction.toEndpoint()` the bucket policies list both endpoint ids.
   *
   * @default - no interface endpoint
   */
  readonly remoteAccess?: RemoteAccessOptions;

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
 * Options of `S3PrivateAccess.grantExpressSession`.
 */
export interface S3PrivateAccessExpressGrantOptions {
  /**
   * Grant read-only sessions only (`s3express:SessionMode` `ReadOnly`): the session's credentials can read, not write.
   *
   * @default false: read-write sessions
   */
  readonly readOnly?: boolean;
}
