import { ExpectedResult, IApiCall, IDeployAssert, Match } from '@aws-cdk/integ-tests-alpha';
import { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * What the deployed S3 gateway endpoint must look like.
 */
export interface GatewayEndpointExpectation {
  /** The endpoint id (`vpce-…`). */
  readonly endpointId: string;
  /** The VPC of the endpoint. */
  readonly vpcId: string;
  /** Route tables that must be associated with the endpoint (others may be too). */
  readonly routeTableIds: string[];
}

/**
 * `EC2.describeVpcEndpoints`: the endpoint is an available gateway endpoint for S3 in the VPC and lists each route
 * table. One call per route table, because `Match.arrayWith` matches in order and EC2 returns the ids in no
 * documented order.
 */
export function expectGatewayEndpoint(assertions: IDeployAssert, expected: GatewayEndpointExpectation): IApiCall[] {
  return expected.routeTableIds.map((routeTableId) => assertions
    .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [expected.endpointId] })
    .expect(ExpectedResult.objectLike({
      VpcEndpoints: [Match.objectLike({
        VpcEndpointId: expected.endpointId,
        VpcId: expected.vpcId,
        VpcEndpointType: 'Gateway',
        ServiceName: Match.stringLikeRegexp('^com\\.amazonaws\\.[a-z0-9-]+\\.s3$'),
        State: Match.stringLikeRegexp('^[Aa]vailable$'),
        RouteTableIds: Match.arrayWith([routeTableId]),
      })],
    })));
}

/**
 * `EC2.describeRouteTables`: each route table has an active route to the S3 prefix list through the endpoint. The
 * call asks for the route tables filtered by `route.gateway-id`, so a table without the route is missing from the
 * answer and the array no longer has one element per table.
 */
export function expectPrefixListRoutes(assertions: IDeployAssert, endpointId: string, routeTableIds: string[]): IApiCall {
  return assertions
    .awsApiCall('EC2', 'describeRouteTables', {
      RouteTableIds: routeTableIds,
      Filters: [{ Name: 'route.gateway-id', Values: [endpointId] }],
    })
    .expect(ExpectedResult.objectLike({
      RouteTables: routeTableIds.map(() => Match.objectLike({
        Routes: Match.arrayWith([Match.objectLike({
          DestinationPrefixListId: Match.stringLikeRegexp('^pl-[0-9a-f]+$'),
          GatewayId: endpointId,
          State: 'active',
        })]),
      })),
    }));
}

/**
 * Invoke a probe (`S3ProbeFunction`) with `roundtrip`: it writes `key`, reads it back and lists it.
 */
export function expectRoundtrip(assertions: IDeployAssert, probe: IFunction, key: string, body: string): IApiCall {
  return assertions
    .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ action: 'roundtrip', key, body }) })
    .expect(ExpectedResult.objectLike({
      Payload: Match.serializedJson({ ok: true, read: body, listed: [key] }),
    }));
}

/**
 * Invoke a probe with `get`: it reads `key` and must get `body`.
 */
export function expectRead(assertions: IDeployAssert, probe: IFunction, key: string, body: string): IApiCall {
  return assertions
    .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ action: 'get', key }) })
    .expect(ExpectedResult.objectLike({
      Payload: Match.serializedJson({ ok: true, body }),
    }));
}

/**
 * Invoke a probe with `get`: S3 must refuse it with `AccessDenied` (HTTP 403).
 */
export function expectReadDenied(assertions: IDeployAssert, probe: IFunction, key: string): IApiCall {
  return assertions
    .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ action: 'get', key }) })
    .expect(ExpectedResult.objectLike({
      Payload: Match.serializedJson({ ok: false, error: 'AccessDenied', status: 403 }),
    }));
}

/**
 * Invoke a probe with `get`: the request must not reach S3 at all (the connection times out), as when a security
 * group or a network ACL blocks the path.
 */
export function expectS3Unreachable(assertions: IDeployAssert, probe: IFunction, key: string): IApiCall {
  return assertions
    .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ action: 'get', key }) })
    .expect(ExpectedResult.objectLike({
      Payload: Match.serializedJson({ ok: false, error: 'TimeoutError' }),
    }));
}
