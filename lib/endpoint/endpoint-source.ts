import { GatewayVpcEndpoint, GatewayVpcEndpointAwsService, IGatewayVpcEndpoint, ISubnet, IVpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { GatewayEndpointRouteTableAssociation } from './route-table-association';

/**
 * What binding an `EndpointSource` gives the construct that uses it (not exported from the package).
 */
export interface EndpointBinding {
  /** the gateway endpoint, created or adopted */
  readonly endpoint: IGatewayVpcEndpoint;
  /** the endpoint when this app creates it (its policy can then be set), undefined when adopted */
  readonly created?: GatewayVpcEndpoint;
}

/**
 * Where the S3 gateway endpoint comes from: created by the construct, or an existing one adopted.
 */
export class EndpointSource {
  /**
   * Create a gateway endpoint for `com.amazonaws.<region>.s3`, associated with exactly the selected route tables.
   */
  public static create(): EndpointSource {
    return new EndpointSource();
  }

  /**
   * Adopt an existing S3 gateway endpoint of the same VPC, and associate the selected route tables with it.
   *
   * CloudFormation cannot add route tables to an endpoint it does not manage, so a custom resource calls
   * `ec2:ModifyVpcEndpoint` (`AddRouteTableIds` on create, `RemoveRouteTableIds` on delete). The route tables that
   * the endpoint already has are unknown to the app: they stay as they are, and the synth-time checks cannot see
   * them. The endpoint's policy is never changed.
   *
   * @param endpoint the existing gateway endpoint, e.g. `GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, 'S3', 'vpce-…')`
   */
  public static fromExisting(endpoint: IGatewayVpcEndpoint): EndpointSource {
    return new EndpointSource(endpoint);
  }

  /**
   * The adopted endpoint.
   *
   * @default - undefined: the construct creates the endpoint
   */
  public readonly existingEndpoint?: IGatewayVpcEndpoint;

  private constructor(existingEndpoint?: IGatewayVpcEndpoint) {
    this.existingEndpoint = existingEndpoint;
  }

  /**
   * Create or adopt the endpoint under `scope`, routed from the given subnets' route tables.
   *
   * @internal
   */
  public _bind(scope: Construct, options: { vpc: IVpc; subnets: ISubnet[]; routeTableIds: string[] }): EndpointBinding {
    if (this.existingEndpoint) {
      new GatewayEndpointRouteTableAssociation(scope, 'EndpointRouteTables', {
        endpoint: this.existingEndpoint,
        routeTableIds: options.routeTableIds,
      });
      return { endpoint: this.existingEndpoint };
    }
    const created = new GatewayVpcEndpoint(scope, 'Endpoint', {
      vpc: options.vpc,
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets: options.subnets }],
    });
    return { endpoint: created, created };
  }
}
