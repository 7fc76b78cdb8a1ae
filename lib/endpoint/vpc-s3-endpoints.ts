import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnVPCEndpoint, IVpc } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { GatewayEndpointRouteTableAssociation } from './route-table-association';
import { sameValue } from '../private/same-value';

/**
 * The S3 gateway endpoints an app defines in a VPC (`ec2.Vpc({ gatewayEndpoints })`, `vpc.addGatewayEndpoint`, another
 * `S3PrivateAccess`, a plain `CfnVPCEndpoint`), so that a second one is never written on the same route tables: a route
 * table holds one route per prefix list, and CloudFormation would fail to create the second endpoint.
 *
 * Internal: not exported from the package's index.
 */

/** The VPC endpoint resources and the associations of adopted endpoints of an app, found in one walk of its tree. */
export interface AppEndpoints {
  /** every `AWS::EC2::VPCEndpoint` of the app, of any service and VPC, in construction order */
  readonly endpoints: CfnVPCEndpoint[];
  /** every `GatewayEndpointRouteTableAssociation` of the app, in construction order */
  readonly associations: GatewayEndpointRouteTableAssociation[];
}

/** The endpoints and associations of the app `scope` belongs to: one walk, where each asking walked it again. */
export function appEndpoints(scope: IConstruct): AppEndpoints {
  const endpoints: CfnVPCEndpoint[] = [];
  const associations: GatewayEndpointRouteTableAssociation[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof GatewayEndpointRouteTableAssociation) {
      associations.push(c);
    } else if (CfnResource.isCfnResource(c) && c.cfnResourceType === CfnVPCEndpoint.CFN_RESOURCE_TYPE_NAME) {
      endpoints.push(c as CfnVPCEndpoint);
    }
  }
  return { endpoints, associations };
}

/**
 * The S3 gateway endpoints of `vpc` among `endpoints`, in their order. The VPC is compared first (a string compare,
 * or one resolve within a stack), so the service name, which takes resolving, is read only for the VPC's own endpoints.
 */
export function s3GatewayEndpointsIn(endpoints: readonly CfnVPCEndpoint[], vpc: IVpc): CfnVPCEndpoint[] {
  return endpoints.filter((c) => sameValue(c, c.vpcId, vpc, vpc.vpcId) && isS3Gateway(c));
}

/** Whether an endpoint resource is a gateway endpoint of S3 (`com.amazonaws.<region>.s3`, not S3 Express). */
export function isS3Gateway(cfn: CfnVPCEndpoint): boolean {
  const type = Stack.of(cfn).resolve(cfn.vpcEndpointType);
  if (type !== undefined && type !== 'Gateway') {
    return false;
  }
  return /^(com|cn)\.amazonaws\.[^.]+\.s3$/.test(flatten(Stack.of(cfn).resolve(cfn.serviceName)));
}

/** The route-table ids of an endpoint resource, or undefined when the list itself is a token. */
export function routeTableIdsOf(cfn: CfnVPCEndpoint): string[] | undefined {
  const ids = cfn.routeTableIds;
  if (ids === undefined) {
    return [];
  }
  return Token.isUnresolved(ids) ? undefined : [...ids];
}

/** Whether `ids` contains `id` (by `sameValue` within the endpoint's stack). */
export function containsId(owner: IConstruct, ids: readonly string[], other: IConstruct, id: string): boolean {
  return ids.some((x) => sameValue(owner, x, other, id));
}

/** An id as messages show it: a literal as it is, a token resolved in the stack of `scope`. */
export function describeId(scope: IConstruct, id: string): string {
  return Token.isUnresolved(id) ? JSON.stringify(Stack.of(scope).resolve(id)) : id;
}

/** A resolved service name as text: literals as they are, `Ref`s as `{Ref}`, joins joined. */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const join = (value as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(flatten).join(join[0]);
    }
    if ('Ref' in value) {
      return `{${String((value as Record<string, unknown>).Ref)}}`;
    }
  }
  return '?';
}
