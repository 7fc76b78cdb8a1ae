import { Annotations, CfnResource, Stack, Token } from 'aws-cdk-lib';
import {
  CfnVPCEndpoint, GatewayVpcEndpoint, GatewayVpcEndpointAwsService, IGatewayVpcEndpoint, ISubnet, IVpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { GatewayEndpointRouteTableAssociation } from './route-table-association';
import { validateSharedRouteTables } from './shared-route-tables';
import { AppEndpoints, appEndpoints, containsId, describeId, isS3Gateway, routeTableIdsOf, s3GatewayEndpointsIn } from './vpc-s3-endpoints';
import { constructError } from '../private/errors';
import { sameValue } from '../private/same-value';

/**
 * What binding an `EndpointSource` gives the construct that uses it (not exported from the package).
 */
export interface EndpointBinding {
  /** the gateway endpoint, created, reused or adopted */
  readonly endpoint: IGatewayVpcEndpoint;
  /** the endpoint when this binding created it (its policy can then be set), undefined when reused or adopted */
  readonly created?: GatewayVpcEndpoint;
  /** the endpoint resource of the app that this binding reuses (the VPC's own S3 gateway endpoint), if any */
  readonly reused?: CfnVPCEndpoint;
}

/**
 * Where the S3 gateway endpoint comes from: created by the construct, or an existing one adopted.
 */
export class EndpointSource {
  /**
   * Create a gateway endpoint for `com.amazonaws.<region>.s3`, associated with exactly the selected route tables.
   *
   * When the app already defines an S3 gateway endpoint in the VPC (`ec2.Vpc({ gatewayEndpoints: { S3: … } })`,
   * `vpc.addGatewayEndpoint`, another `S3PrivateAccess`), that endpoint is reused instead, with the selected route
   * tables added to it: a route table holds one route per prefix list, so a second S3 gateway endpoint on it would fail
   * to deploy. When the VPC has several and the selection does not tell which one to use, the construct throws and
   * asks for `EndpointSource.fromExisting(...)`.
   */
  public static create(): EndpointSource {
    return new EndpointSource();
  }

  /**
   * Use an existing S3 gateway endpoint of the same VPC, and associate the selected route tables with it.
   *
   * For an endpoint defined in this app (a `GatewayVpcEndpoint`), the route tables are added to its `RouteTableIds`.
   * For an imported one (`GatewayVpcEndpoint.fromGatewayVpcEndpointId`), CloudFormation cannot add route tables, so a
   * custom resource calls `ec2:ModifyVpcEndpoint` (`AddRouteTableIds` on create, `RemoveRouteTableIds` on delete); the
   * route tables it already has are unknown to the app and stay as they are, and the synth-time checks cannot see
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
   * @default - undefined: the construct creates the endpoint, or reuses the VPC's own
   */
  public readonly existingEndpoint?: IGatewayVpcEndpoint;

  private constructor(existingEndpoint?: IGatewayVpcEndpoint) {
    this.existingEndpoint = existingEndpoint;
  }

  /**
   * Create, reuse or adopt the endpoint under `scope`, routed from the given subnets' route tables.
   *
   * @internal
   */
  public _bind(scope: Construct, options: { vpc: IVpc; subnets: ISubnet[]; routeTableIds: string[] }): EndpointBinding {
    const binding = this.bindEndpoint(scope, options);
    validateSharedRouteTables(scope, options.vpc, options.routeTableIds);
    return binding;
  }

  private bindEndpoint(scope: Construct, options: { vpc: IVpc; subnets: ISubnet[]; routeTableIds: string[] }): EndpointBinding {
    // one walk of the app for every question below: each walked it again
    const walk = appEndpoints(scope);
    if (this.existingEndpoint) {
      const cfn = this.existingEndpoint.node.defaultChild;
      if (CfnResource.isCfnResource(cfn) && cfn.cfnResourceType === CfnVPCEndpoint.CFN_RESOURCE_TYPE_NAME) {
        assertUsable(scope, cfn as CfnVPCEndpoint, options.vpc);
        addRouteTables(cfn as CfnVPCEndpoint, scope, options.routeTableIds);
        return { endpoint: this.existingEndpoint, reused: cfn as CfnVPCEndpoint };
      }
      assertNotServedByAnother(scope, walk, options.vpc, options.routeTableIds, this.existingEndpoint);
      associate(scope, walk, this.existingEndpoint, options.routeTableIds);
      return { endpoint: this.existingEndpoint };
    }
    const known = knownEndpointToReuse(scope, walk, options.vpc, options.routeTableIds);
    if (known?.cfn) {
      addRouteTables(known.cfn, scope, options.routeTableIds);
      Annotations.of(scope).addInfo(`reusing the S3 gateway endpoint ${known.cfn.node.path} that the app defines in the vpc, ` +
        'with the selected route tables added: a route table takes one S3 gateway endpoint only');
      return { endpoint: asGatewayEndpoint(scope, known.cfn), reused: known.cfn };
    }
    if (known?.adopted) {
      associate(scope, walk, known.adopted, options.routeTableIds);
      Annotations.of(scope).addInfo(`reusing the adopted S3 gateway endpoint ${known.description} that another construct ` +
        'associates with route tables of the selection: a route table takes one S3 gateway endpoint only');
      return { endpoint: known.adopted };
    }
    const created = new GatewayVpcEndpoint(scope, 'Endpoint', {
      vpc: options.vpc,
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets: options.subnets }],
    });
    return { endpoint: created, created };
  }
}

/** An S3 gateway endpoint the app knows in a VPC: defined in the app, or adopted by an association. */
interface KnownEndpoint {
  readonly cfn?: CfnVPCEndpoint;
  readonly adopted?: IGatewayVpcEndpoint;
  readonly description: string;
}

/**
 * The VPC's S3 gateway endpoint to reuse: the one that already serves some of the selected route tables (defined in
 * the app, or adopted by another construct), else the VPC's only endpoint of the app; undefined when there is none.
 * Throws when the choice is ambiguous.
 */
function knownEndpointToReuse(scope: IConstruct, walk: AppEndpoints, vpc: IVpc, routeTableIds: string[]): KnownEndpoint | undefined {
  const inApp = s3GatewayEndpointsIn(walk.endpoints, vpc);
  const serving: KnownEndpoint[] = [
    ...inApp.filter((cfn) => routeTableIds.some((rt) => containsId(cfn, routeTableIdsOf(cfn) ?? [], scope, rt)))
      .map((cfn) => ({ cfn, description: cfn.node.path })),
    ...uniqueEndpoints(associationsOf(scope, walk, routeTableIds).map((a) => a.endpoint))
      .map((adopted) => ({ adopted, description: describeEndpoint(adopted) })),
  ];
  const candidates = serving.length > 0 ? serving : inApp.map((cfn) => ({ cfn, description: cfn.node.path }));
  if (candidates.length > 1) {
    throw constructError(`the vpc ${describe(vpc)} already has S3 gateway endpoints ${candidates.map((c) => c.description).join(', ')}` +
      `${serving.length > 1 ? ', which serve different route tables of the selection' : ''}, and S3PrivateAccess cannot tell ` +
      'which one to use: pass it with `endpoint: EndpointSource.fromExisting(endpoint)`, and select the subnets of its route tables', scope);
  }
  return candidates[0];
}

/** Associates the route tables an adopted endpoint does not have yet (from another construct) with it. */
function associate(scope: Construct, walk: AppEndpoints, endpoint: IGatewayVpcEndpoint, routeTableIds: string[]): void {
  const associated = associationsOf(scope, walk, routeTableIds).filter((a) => a.endpoint.vpcEndpointId === endpoint.vpcEndpointId);
  const missing = routeTableIds.filter((rt) => !associated.some((a) => containsId(a, a.routeTableIds, scope, rt)));
  if (missing.length > 0) {
    new GatewayEndpointRouteTableAssociation(scope, 'EndpointRouteTables', { endpoint, routeTableIds: missing });
  }
}

/** The associations of the app (of adopted endpoints) that cover any of the route tables. */
function associationsOf(scope: IConstruct, walk: AppEndpoints, routeTableIds: string[]): GatewayEndpointRouteTableAssociation[] {
  return walk.associations.filter((a) => routeTableIds.some((rt) => containsId(a, a.routeTableIds, scope, rt)));
}

function uniqueEndpoints(endpoints: IGatewayVpcEndpoint[]): IGatewayVpcEndpoint[] {
  return endpoints.filter((e, i) => endpoints.findIndex((o) => o.vpcEndpointId === e.vpcEndpointId) === i);
}

function describeEndpoint(endpoint: IGatewayVpcEndpoint): string {
  return Token.isUnresolved(endpoint.vpcEndpointId) ? endpoint.node.path : endpoint.vpcEndpointId;
}

/** Adds the route tables the endpoint lacks to its `RouteTableIds`; throws when that list is a token. */
function addRouteTables(cfn: CfnVPCEndpoint, scope: IConstruct, routeTableIds: string[]): void {
  const current = routeTableIdsOf(cfn);
  if (current === undefined) {
    throw constructError(`the S3 gateway endpoint ${cfn.node.path} of the vpc takes its route tables from a token, so ` +
      'S3PrivateAccess cannot add the selected ones to it: list its route tables literally, or pass the endpoint by id ' +
      'with `endpoint: EndpointSource.fromExisting(GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, id, \'vpce-…\'))`', scope);
  }
  const missing = routeTableIds.filter((rt) => !containsId(cfn, current, scope, rt));
  if (missing.length > 0) {
    cfn.routeTableIds = [...current, ...missing];
  }
}

/**
 * Throws when another S3 gateway endpoint (of the app, or adopted by another construct) already serves some of the
 * route tables an imported endpoint is to be associated with: those route tables would get a second S3 route.
 */
function assertNotServedByAnother(scope: IConstruct, walk: AppEndpoints, vpc: IVpc, routeTableIds: string[], endpoint: IGatewayVpcEndpoint): void {
  const others: Array<{ description: string; tables: (rt: string) => boolean }> = [
    ...s3GatewayEndpointsIn(walk.endpoints, vpc).map((cfn) => ({
      description: `the endpoint ${cfn.node.path} of the app`,
      tables: (rt: string) => containsId(cfn, routeTableIdsOf(cfn) ?? [], scope, rt),
    })),
    ...associationsOf(scope, walk, routeTableIds).filter((a) => a.endpoint.vpcEndpointId !== endpoint.vpcEndpointId).map((a) => ({
      description: `the adopted endpoint ${describeEndpoint(a.endpoint)} (${a.node.path})`,
      tables: (rt: string) => containsId(a, a.routeTableIds, scope, rt),
    })),
  ];
  for (const other of others) {
    const served = routeTableIds.filter(other.tables);
    if (served.length > 0) {
      throw constructError(`route tables ${served.map((rt) => describeId(scope, rt)).join(', ')} of the selection already get ` +
        `their S3 route from ${other.description}, so the adopted endpoint cannot be associated with them: pass that ` +
        'endpoint with EndpointSource.fromExisting(...), or select subnets whose route tables it does not serve', scope);
    }
  }
}

/** Throws when an endpoint of the app passed to `fromExisting` is not an S3 gateway endpoint of the construct's VPC. */
function assertUsable(scope: IConstruct, cfn: CfnVPCEndpoint, vpc: IVpc): void {
  if (!isS3Gateway(cfn)) {
    throw constructError(`endpoint ${cfn.node.path} is not an S3 gateway endpoint (service ` +
      `${JSON.stringify(Stack.of(cfn).resolve(cfn.serviceName))}): pass the vpc's gateway endpoint for com.amazonaws.<region>.s3`, scope);
  }
  const vpcA: unknown = cfn.vpcId;
  const vpcB: unknown = vpc.vpcId;
  const bothKnown = !Token.isUnresolved(vpcA) && !Token.isUnresolved(vpcB);
  const sameStack = Stack.of(cfn) === Stack.of(vpc);
  if ((bothKnown || sameStack) && !sameValue(cfn, vpcA, vpc, vpcB)) {
    throw constructError(`endpoint ${cfn.node.path} belongs to another vpc than ${describe(vpc)}: pass an S3 gateway endpoint of ` +
      'the vpc given to S3PrivateAccess', scope);
  }
}

/** The L2 endpoint around a resource when there is one, else an import of its id under `scope`. */
function asGatewayEndpoint(scope: Construct, cfn: CfnVPCEndpoint): IGatewayVpcEndpoint {
  const parent = cfn.node.scope as Partial<IGatewayVpcEndpoint> | undefined;
  if (parent && parent.node?.defaultChild === cfn && typeof parent.vpcEndpointId === 'string') {
    return parent as IGatewayVpcEndpoint;
  }
  return GatewayVpcEndpoint.fromGatewayVpcEndpointId(scope, 'ReusedEndpoint', cfn.ref);
}

function describe(vpc: IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
}
