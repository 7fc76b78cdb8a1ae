import { Token } from 'aws-cdk-lib';
import {
  InterfaceVpcEndpoint, InterfaceVpcEndpointAwsService, ISubnet, IVpc, Peer, Port, SecurityGroup,
  VpcEndpointIpAddressType, VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint,
} from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { S3EndpointIpAddressType } from './ip-address-type';
import { RemoteAccessOptions } from './remote-access-options';
import { parseCidr } from '../aws/s3-ranges';
import { inputError } from '../private/errors';

/** The interface endpoint and its security group. */
export interface RemoteAccessEndpoint {
  readonly endpoint: InterfaceVpcEndpoint;
  readonly securityGroup: SecurityGroup;
}

/** Throws for CIDRs that are not IPv4 or IPv6 CIDRs, or that cover every address. Tokens are skipped. */
export function validateRemoteCidrs(options: RemoteAccessOptions, scope?: IConstruct): void {
  if (options.cidrs.length === 0) {
    throw inputError('remoteAccess.cidrs is empty: name the CIDRs of the on-premises or peered networks that reach S3 ' +
      'through the interface endpoint, or leave remoteAccess out', scope);
  }
  for (const cidr of options.cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    const parsed = parseCidr(cidr);
    if (!parsed) {
      throw inputError(`remoteAccess.cidrs contains '${cidr}', which is not an IPv4 or IPv6 CIDR: pass CIDRs such as 10.20.0.0/16`, scope);
    }
    if (/\/0$/.test(cidr.trim())) {
      throw inputError(`remoteAccess.cidrs contains '${cidr}', which opens the S3 interface endpoint to every network: ` +
        'name the remote networks\' CIDRs', scope);
    }
  }
}

/**
 * Creates the S3 interface endpoint beside the gateway endpoint, with private DNS for inbound resolver endpoints only
 * (`PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver`): remote networks that resolve S3's names through a
 * Route 53 inbound resolver endpoint get the interface endpoint's addresses, while the VPC's own workloads keep
 * resolving to S3's public addresses, routed through the gateway endpoint (free, no per-GB charge).
 */
export function createRemoteAccessEndpoint(
  scope: Construct, vpc: IVpc, gatewaySubnets: ISubnet[], options: RemoteAccessOptions, ipAddressType: S3EndpointIpAddressType,
): RemoteAccessEndpoint {
  const securityGroup = new SecurityGroup(scope, 'RemoteAccessSecurityGroup', {
    vpc,
    allowAllOutbound: false,
    description: 'HTTPS from the remote networks to the S3 interface endpoint',
  });
  for (const cidr of options.cidrs) {
    const peer = !Token.isUnresolved(cidr) && cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr);
    securityGroup.addIngressRule(peer, Port.tcp(443), `HTTPS to Amazon S3 from ${Token.isUnresolved(cidr) ? 'a remote network' : cidr}`);
  }
  const endpoint = new InterfaceVpcEndpoint(scope, 'InterfaceEndpoint', {
    vpc,
    service: InterfaceVpcEndpointAwsService.S3,
    subnets: options.subnets ?? { subnets: gatewaySubnets, onePerAz: true },
    securityGroups: [securityGroup],
    open: false,
    privateDnsEnabled: true,
    privateDnsOnlyForInboundResolverEndpoint: VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ONLY_INBOUND_RESOLVER,
    ipAddressType: ipAddressType === S3EndpointIpAddressType.IPV4 ? undefined : ipAddressType as string as VpcEndpointIpAddressType,
  });
  return { endpoint, securityGroup };
}
