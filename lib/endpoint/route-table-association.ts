import { Stack, Token } from 'aws-cdk-lib';
import { IGatewayVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, AwsSdkCall, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { constructError } from '../private/errors';
import { acknowledgeAwsCustomResourceProvider } from '../private/nag-acks';
import { stableIdOf } from '../private/stable-id';

/**
 * The error codes of a `RemoveRouteTableIds` call for an endpoint or route table that no longer exists, as a regular
 * expression over the SDK error's name (AwsCustomResource's `ignoreErrorCodesMatching`).
 *
 * EC2's API model declares no error shapes (its SDKs name each error after the code the service returns), and the
 * spelling of the route-table code varies: the EC2 error reference
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html) lists `InvalidRouteTableID.NotFound`,
 * which DescribeRouteTables and DeleteRouteTable return, while the VPC-endpoint actions (CreateVpcEndpoint,
 * ModifyVpcEndpoint) report route-table errors as `InvalidRouteTableId.*` (for example `InvalidRouteTableId.Malformed`,
 * hashicorp/terraform-provider-aws#111). Both spellings are ignored, so a stack whose route table is already gone can
 * still be deleted.
 */
const GONE_ERROR_CODES = '^(InvalidVpcEndpointId\\.NotFound|InvalidRouteTableId\\.NotFound|InvalidRouteTableID\\.NotFound)$';

/**
 * Properties of a `GatewayEndpointRouteTableAssociation`.
 */
export interface GatewayEndpointRouteTableAssociationProps {
  /**
   * The gateway endpoint that gets the routes, in this stack's account and region.
   */
  readonly endpoint: IGatewayVpcEndpoint;

  /**
   * The route tables to associate with the endpoint.
   */
  readonly routeTableIds: string[];
}

/**
 * Associates route tables with a gateway endpoint that this app does not create (CloudFormation cannot).
 *
 * One custom resource per route table calls `ec2:ModifyVpcEndpoint` with `AddRouteTableIds` on create and update,
 * and with `RemoveRouteTableIds` on delete. When a route table id changes, CloudFormation replaces that one resource:
 * the new table is added, then the old one removed, and the other associations stay untouched. Route tables that
 * were associated before this construct, or by other means, are never removed by it.
 *
 * The Lambda function that makes the calls may only modify this endpoint, with these route tables.
 */
export class GatewayEndpointRouteTableAssociation extends Construct {
  /**
   * The endpoint the route tables are associated with.
   */
  public readonly endpoint: IGatewayVpcEndpoint;

  /**
   * The ids of the route tables this construct associates.
   */
  public readonly routeTableIds: string[];

  constructor(scope: Construct, id: string, props: GatewayEndpointRouteTableAssociationProps) {
    super(scope, id);
    if (props.routeTableIds.length === 0) {
      throw constructError('routeTableIds is empty: pass at least one route-table id to associate with the endpoint', this);
    }
    for (const rt of props.routeTableIds) {
      if (!Token.isUnresolved(rt) && !/^rtb-[0-9a-f]+$/.test(rt)) {
        throw constructError(`routeTableIds contains '${rt}', which is not a route-table id: pass ids like 'rtb-0123456789abcdef0'`, this);
      }
    }
    const endpointId = props.endpoint.vpcEndpointId;
    if (!Token.isUnresolved(endpointId) && !/^vpce-[0-9a-f]+$/.test(endpointId)) {
      throw constructError(`endpoint has id '${endpointId}', which is not a vpc endpoint id: import it with its 'vpce-…' id`, this);
    }
    this.endpoint = props.endpoint;
    this.routeTableIds = [...props.routeTableIds];

    const stack = Stack.of(this);
    const endpointArn = stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint', resourceName: endpointId });
    for (const routeTableId of props.routeTableIds) {
      const routeTableArn = stack.formatArn({ service: 'ec2', resource: 'route-table', resourceName: routeTableId });
      const call = (parameter: 'AddRouteTableIds' | 'RemoveRouteTableIds'): AwsSdkCall => ({
        service: 'EC2',
        action: 'modifyVpcEndpoint',
        parameters: { VpcEndpointId: endpointId, [parameter]: [routeTableId] },
        physicalResourceId: PhysicalResourceId.of(`${endpointId}:${routeTableId}`),
        // on delete, an endpoint or route table that is already gone needs no disassociation
        ignoreErrorCodesMatching: parameter === 'RemoveRouteTableIds' ? GONE_ERROR_CODES : undefined,
      });
      new AwsCustomResource(this, `RouteTable${stableIdOf(stack, routeTableId)}`, {
        resourceType: 'Custom::S3GatewayEndpointRouteTable',
        onCreate: call('AddRouteTableIds'),
        onUpdate: call('AddRouteTableIds'),
        onDelete: call('RemoveRouteTableIds'),
        installLatestAwsSdk: false,
        policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({
          actions: ['ec2:ModifyVpcEndpoint'],
          resources: [endpointArn, routeTableArn],
        })]),
      });
    }
    acknowledgeAwsCustomResourceProvider(this);
  }
}

