import { CfnResource, Token } from 'aws-cdk-lib';
import { CfnSubnet, ISubnet } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { inputError } from '../private/errors';

/**
 * The IP address type of the S3 endpoints (`AWS::EC2::VPCEndpoint.IpAddressType`): which address families the
 * workloads reach Amazon S3 with through them.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-ip-address-type
 */
export enum S3EndpointIpAddressType {
  /** IPv4 only: AWS's default for an endpoint that names no type. */
  IPV4 = 'ipv4',
  /** IPv4 and IPv6: for dual-stack subnets, whose workloads may resolve S3's dual-stack names to IPv6 addresses. */
  DUALSTACK = 'dualstack',
  /** IPv6 only: for IPv6-only subnets. */
  IPV6 = 'ipv6',
}

/** What the app knows about the IPv6 of a set of subnets. */
export interface SubnetIpv6Facts {
  /** Subnets of the app whose resource gives them an IPv6 range (`Ipv6CidrBlock`, `Ipv6Native`, an IPAM pool). */
  readonly withIpv6: ISubnet[];
  /** Subnets of the app whose resource has no IPv6 range. */
  readonly withoutIpv6: ISubnet[];
  /** Imported subnets (or subnets whose resource the app cannot read): their IPv6 is unknown. */
  readonly unknown: ISubnet[];
}

/**
 * Reads, subnet by subnet, whether the app gives it an IPv6 range. Feature-detected on the subnet's `AWS::EC2::Subnet`
 * resource (what `ec2.Vpc({ ipProtocol: DUAL_STACK })` writes on every aws-cdk-lib version), not on an L2 property
 * that only some versions have.
 */
export function subnetIpv6Facts(subnets: ISubnet[]): SubnetIpv6Facts {
  const withIpv6: ISubnet[] = [];
  const withoutIpv6: ISubnet[] = [];
  const unknown: ISubnet[] = [];
  for (const subnet of subnets) {
    const cfn = subnet.node.defaultChild;
    if (!CfnResource.isCfnResource(cfn) || cfn.cfnResourceType !== CfnSubnet.CFN_RESOURCE_TYPE_NAME) {
      unknown.push(subnet);
      continue;
    }
    const s = cfn as CfnSubnet;
    const ipv6 = s.ipv6CidrBlock !== undefined || s.ipv6IpamPoolId !== undefined || s.ipv6NetmaskLength !== undefined
      || isTrue(s.ipv6Native);
    (ipv6 ? withIpv6 : withoutIpv6).push(subnet);
  }
  return { withIpv6, withoutIpv6, unknown };
}

/**
 * The IP address type to write: the one asked for (checked against the subnets), else `dualstack` when every selected
 * subnet the app can read has an IPv6 range (and at least one does), else `ipv4`. Throws for `ipv6` or `dualstack` on
 * subnets the app knows have no IPv6 range.
 */
export function resolveIpAddressType(
  subnets: ISubnet[], requested: S3EndpointIpAddressType | undefined, scope?: IConstruct,
): S3EndpointIpAddressType {
  const facts = subnetIpv6Facts(subnets);
  if (requested === undefined) {
    return facts.withIpv6.length > 0 && facts.withoutIpv6.length === 0 ? S3EndpointIpAddressType.DUALSTACK : S3EndpointIpAddressType.IPV4;
  }
  if (requested !== S3EndpointIpAddressType.IPV4 && facts.withoutIpv6.length > 0) {
    throw inputError(`ipAddressType is '${requested}' but the selected subnets ${facts.withoutIpv6.map(describe).join(', ')} ` +
      'have no IPv6 range: give the vpc IPv6 (`ipProtocol: IpProtocol.DUAL_STACK`), select subnets with IPv6, or use ' +
      'S3EndpointIpAddressType.IPV4', scope);
  }
  if (requested === S3EndpointIpAddressType.IPV6 && facts.withIpv6.some((s) => hasIpv4(s))) {
    throw inputError(`ipAddressType is 'ipv6' but the selected subnets ${facts.withIpv6.filter(hasIpv4).map(describe).join(', ')} ` +
      'also have IPv4 ranges, whose S3 traffic an IPv6-only endpoint would not carry: use S3EndpointIpAddressType.DUALSTACK, ' +
      'or select IPv6-only subnets', scope);
  }
  return requested;
}

/** Whether an IPv4 workload can run in the subnet: it has an IPv4 range unless it is IPv6-native. */
function hasIpv4(subnet: ISubnet): boolean {
  const cfn = subnet.node.defaultChild as CfnSubnet;
  return !isTrue(cfn.ipv6Native);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function describe(subnet: ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

