import { SubnetSelection } from 'aws-cdk-lib/aws-ec2';

/**
 * An S3 interface endpoint for networks outside the VPC (on premises over VPN or Direct Connect, peered VPCs, a transit
 * gateway), which a gateway endpoint does not serve: it serves only requests that start in its own VPC.
 */
export interface RemoteAccessOptions {
  /**
   * The CIDRs of the remote networks: the endpoint's security group allows TCP 443 from each. IPv4 or IPv6; `/0` is
   * refused (it would open the endpoint to every network).
   */
  readonly cidrs: string[];

  /**
   * The subnets of the endpoint's network interfaces, one per Availability Zone.
   *
   * @default - the subnets selected for the gateway endpoint, one per Availability Zone
   */
  readonly subnets?: SubnetSelection;
}
