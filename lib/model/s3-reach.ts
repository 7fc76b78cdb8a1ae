/**
 * Small derived views over the model for the routing rules: which endpoints serve S3, which subnets a workload
 * runs in, and which VPCs matter for S3 private access. Computed from the shared model, never stored in it.
 *
 * Internal: not exported from the package's index.
 */
import type { Model } from './model';
import { s3UseOf } from './s3-use';
import { EndpointNode, isUnknown, Maybe, RouteNode, SubnetNode, Unknown, unknown, VpcNode, WorkloadNode } from './types';

/**
 * Whether an endpoint serves S3 (not S3 Express): true or false when its service can be read (the model reads it also
 * from `com.amazonaws.${AWS::Region}.s3` in environment-agnostic stacks, and knows adopted S3 endpoints); Unknown
 * otherwise (a parameter, an import).
 */
export function isS3Endpoint(ep: EndpointNode): Maybe<boolean> {
  if (typeof ep.service === 'string') return ep.service === 's3';
  return unknown(`the service of endpoint ${ep.res.path} (${isUnknown(ep.serviceName) ? ep.serviceName.what : ep.serviceName})`);
}

/** Whether the endpoint is a gateway endpoint (CloudFormation's default type). */
export function isGateway(ep: EndpointNode): boolean {
  return ep.endpointType === 'Gateway';
}

/** The S3 endpoints of a VPC of the app, split by type; `unsure` holds endpoints whose service cannot be read. */
export interface VpcS3Endpoints {
  readonly gateway: EndpointNode[];
  readonly interface: EndpointNode[];
  readonly unsure: EndpointNode[];
}

/** Per-VPC results: VPC nodes belong to one model, so rules that ask per subnet stay linear. */
const endpointsCache = new WeakMap<VpcNode, VpcS3Endpoints>();

export function s3EndpointsOf(vpc: VpcNode): VpcS3Endpoints {
  const cached = endpointsCache.get(vpc);
  if (cached) return cached;
  const out: VpcS3Endpoints = { gateway: [], interface: [], unsure: [] };
  endpointsCache.set(vpc, out);
  for (const ep of vpc.endpoints) {
    const s3 = isS3Endpoint(ep);
    if (isUnknown(s3)) out.unsure.push(ep);
    else if (s3 && isGateway(ep)) out.gateway.push(ep);
    else if (s3 && ep.endpointType === 'Interface') out.interface.push(ep);
  }
  return out;
}

/** A workload's subnets: those of the app, and the ones that could not be resolved. */
export function workloadSubnets(w: WorkloadNode): { known: SubnetNode[]; unresolved: Unknown[] } {
  const known: SubnetNode[] = [];
  const unresolved: Unknown[] = [];
  const seen = new Set<string>();
  for (const s of w.subnets) {
    if (isUnknown(s)) {unresolved.push(s);} else if (!seen.has(s.res.key)) {
      seen.add(s.res.key);
      known.push(s);
    }
  }
  return { known, unresolved };
}

/** A VPC of the app that matters for S3 private access, with the workloads in it that use (or may use) S3. */
export interface VpcInUse {
  readonly vpc: VpcNode;
  readonly workloads: WorkloadNode[];
  /** Whether one of the workloads surely uses S3: a fault of the VPC then breaks real requests. */
  readonly definite: boolean;
}

/**
 * The VPCs of the app that matter for S3 private access: those holding an S3 endpoint (or one whose service cannot
 * be read) and those in which a workload that uses (or may use) S3 runs. Keyed by the VPC resource's key.
 */
export function vpcsInUse(m: Model): Map<string, VpcInUse> {
  const out = new Map<string, { vpc: VpcNode; workloads: WorkloadNode[]; definite: boolean }>();
  const entry = (vpc: VpcNode) => {
    let e = out.get(vpc.res.key);
    if (!e) out.set(vpc.res.key, e = { vpc, workloads: [], definite: false });
    return e;
  };
  for (const vpc of m.vpcs) {
    const eps = s3EndpointsOf(vpc);
    if (eps.gateway.length + eps.interface.length + eps.unsure.length > 0) entry(vpc);
  }
  for (const w of m.workloads) {
    const use = s3UseOf(m, w).level;
    if (use === 'no') continue;
    for (const s of workloadSubnets(w).known) {
      if (isUnknown(s.vpc)) continue;
      const e = entry(s.vpc);
      if (!e.workloads.includes(w)) e.workloads.push(w);
      e.definite = e.definite || use === 'yes';
    }
  }
  return out;
}

/** The region an endpoint's routes serve: its service name's region when literal, else its stack's region. */
export function endpointRegion(ep: EndpointNode): string | undefined {
  return typeof ep.serviceRegion === 'string' ? ep.serviceRegion : ep.res.stack.region;
}


/** A resource path list for messages: `a, b and c`. */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const TARGET_KEYS = [
  'GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'InstanceId',
  'VpcEndpointId', 'CarrierGatewayId', 'EgressOnlyInternetGatewayId', 'LocalGatewayId', 'CoreNetworkArn',
];

/** A route's target for messages: `nat-gateway Stack/Vpc/publicSubnet1/NATGateway` or `transit-gateway tgw-0abc`. */
export function routeTargetText(route: RouteNode): string {
  if (route.target) return `${route.targetKind} ${route.target.path}`;
  const literal = TARGET_KEYS.map(k => route.res.props[k]).find(v => typeof v === 'string');
  return literal ? `${route.targetKind} ${literal}` : `a ${route.targetKind} target`;
}
