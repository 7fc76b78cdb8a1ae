import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnVPCEndpoint, IVpc } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { sameValue } from '../private/same-value';

/**
 * The S3 gateway endpoints an app defines in a VPC (`ec2.Vpc({ gatewayEndpoints })`, `vpc.addGatewayEndpoint`, another
 * `S3PrivateAccess`, a plain `CfnVPCEndpoint`), so that a second one is never written on the same route tables: a route
 * table holds one route per prefix list, and CloudFormation would fail to create the second endpoint.
 *
 * Internal: not exported from the package's index.
 */

/** Every `AWS::EC2::VPCEndpoint` of the app that is an S3 gateway endpoint of `vpc`, in construction order. */
export function s3GatewayEndpointsOf(scope: IConstruct, vpc: IVpc): CfnVPCEndpoint[] {
  return scope.node.root.node.findAll().filter((c): c is CfnVPCEndpoint =>
    CfnResource.isCfnResource(c) && c.cfnResourceType === CfnVPCEndpoint.CFN_RESOURCE_TYPE_NAME
    && isS3Gateway(c as CfnVPCEndpoint) && sameValue(c, (c as CfnVPCEndpoint).vpcId, vpc, vpc.vpcId));
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
