import { isPrivateIpv4 } from './addresses';
import type { Model } from './model';
import {
  EndpointNode, Maybe, ModelResource, NetworkAclEntryNode, NetworkAclNode, RouteNode, RouteTableNode, RouteTargetKind,
  SecurityGroupNode, SecurityGroupRule, SubnetNode, unknown, VpcNode, WayOut,
} from './types';

export interface NetworkIndex {
  readonly vpcs: Map<string, VpcNode>;
  readonly subnets: Map<string, SubnetNode>;
  readonly routeTables: Map<string, RouteTableNode>;
  readonly endpoints: Map<string, EndpointNode>;
  readonly securityGroups: Map<string, SecurityGroupNode>;
  readonly networkAcls: Map<string, NetworkAclNode>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Literal-id prefixes of route targets, for routes whose target is not a resource of the app. */
const TARGET_PREFIXES: Array<[string, RouteTargetKind]> = [
  ['igw-', 'internet-gateway'], ['eigw-', 'egress-only-internet-gateway'], ['nat-', 'nat-gateway'],
  ['tgw-', 'transit-gateway'], ['pcx-', 'vpc-peering'], ['vgw-', 'vpn-gateway'], ['eni-', 'network-interface'],
  ['i-', 'instance'], ['vpce-', 'vpc-endpoint'], ['cagw-', 'carrier-gateway'], ['lgw-', 'local-gateway'],
];

/** Route properties and the kind of target each names. */
const TARGET_PROPS: Array<[string, RouteTargetKind]> = [
  ['NatGatewayId', 'nat-gateway'], ['TransitGatewayId', 'transit-gateway'], ['VpcPeeringConnectionId', 'vpc-peering'],
  ['NetworkInterfaceId', 'network-interface'], ['InstanceId', 'instance'], ['VpcEndpointId', 'vpc-endpoint'],
  ['CarrierGatewayId', 'carrier-gateway'], ['EgressOnlyInternetGatewayId', 'egress-only-internet-gateway'],
  ['LocalGatewayId', 'local-gateway'], ['CoreNetworkArn', 'core-network'],
];

export function buildNetwork(m: Model): NetworkIndex {
  const vpcs = new Map<string, VpcNode>();
  const subnets = new Map<string, SubnetNode>();
  const routeTables = new Map<string, RouteTableNode>();
  const endpoints = new Map<string, EndpointNode>();
  const securityGroups = new Map<string, SecurityGroupNode>();
  const networkAcls = new Map<string, NetworkAclNode>();

  const vpcOf = (res: ModelResource, value: any): Maybe<VpcNode> =>
    vpcs.get(m.target(res, value)?.key ?? '') ?? unknown(describeId(m, res, value, 'VPC'));

  for (const res of m.ofType('AWS::EC2::VPC')) {
    vpcs.set(res.key, {
      res,
      enableDnsSupport: m.bool(res, res.props.EnableDnsSupport) ?? true,
      enableDnsHostnames: m.bool(res, res.props.EnableDnsHostnames) ?? false,
      subnets: [],
      routeTables: [],
      endpoints: [],
      attachments: [],
    });
  }
  for (const res of m.ofType('AWS::EC2::VPCDHCPOptionsAssociation')) {
    const vpc = vpcs.get(m.target(res, res.props.VpcId)?.key ?? '') as Mutable<VpcNode> | undefined;
    const dhcp = m.target(res, res.props.DhcpOptionsId);
    if (vpc && dhcp) vpc.dhcpOptions = dhcp;
  }
  for (const type of ['AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::VPCPeeringConnection', 'AWS::EC2::VPCGatewayAttachment']) {
    for (const res of m.ofType(type)) {
      if (type === 'AWS::EC2::VPCGatewayAttachment' && res.props.VpnGatewayId === undefined) continue;
      for (const prop of ['VpcId', 'PeerVpcId']) vpcs.get(m.target(res, res.props[prop])?.key ?? '')?.attachments.push(res);
    }
  }

  for (const res of m.ofType('AWS::EC2::RouteTable')) {
    const rt: RouteTableNode = { res, vpc: vpcOf(res, res.props.VpcId), routes: [], subnets: [], gatewayEndpoints: [] };
    routeTables.set(res.key, rt);
    if (!('unknown' in rt.vpc)) rt.vpc.routeTables.push(rt);
  }
  for (const res of m.ofType('AWS::EC2::Route')) {
    routeTables.get(m.target(res, res.props.RouteTableId)?.key ?? '')?.routes.push(routeNode(m, res));
  }

  for (const res of m.ofType('AWS::EC2::Subnet')) {
    const subnet: Mutable<SubnetNode> = {
      res,
      vpc: vpcOf(res, res.props.VpcId),
      routeTable: unknown(`the main route table of the VPC (subnet ${res.path} has no route table association)`),
      ipv6Native: m.bool(res, res.props.Ipv6Native) === true,
      isPublic: false,
      hasInternetRoute: false,
      wayOut: 'unknown',
    };
    subnets.set(res.key, subnet);
    if (!('unknown' in subnet.vpc)) subnet.vpc.subnets.push(subnet);
  }
  for (const res of m.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = subnets.get(m.target(res, res.props.SubnetId)?.key ?? '') as Mutable<SubnetNode> | undefined;
    const rt = routeTables.get(m.target(res, res.props.RouteTableId)?.key ?? '');
    if (!subnet) continue;
    subnet.routeTable = rt ?? unknown(describeId(m, res, res.props.RouteTableId, 'route table'));
    if (rt) {
      rt.subnets.push(subnet);
      subnet.isPublic = rt.routes.some(r => r.targetKind === 'internet-gateway' && isDefaultRoute(r));
      subnet.wayOut = wayOutOf(rt.routes);
      subnet.hasInternetRoute = subnet.wayOut === 'internet-gateway' || subnet.wayOut === 'nat';
    }
  }

  for (const res of m.ofType('AWS::EC2::VPCEndpoint')) {
    const serviceName = m.str(res, res.props.ServiceName);
    // an env-agnostic stack writes `com.amazonaws.${AWS::Region}.s3`: the service is known in every region
    const parsed = typeof serviceName === 'string' ? parseServiceName(serviceName) : parseSymbolicServiceName(m.sym(res, res.props.ServiceName));
    const ep: EndpointNode = {
      res,
      vpc: vpcOf(res, res.props.VpcId),
      endpointType: typeof res.props.VpcEndpointType === 'string' ? res.props.VpcEndpointType : 'Gateway',
      serviceName,
      serviceRegion: parsed?.region ?? unknown(`the region of service ${describeValue(serviceName)}`),
      service: parsed?.service ?? unknown(`the service of ${describeValue(serviceName)}`),
      routeTables: listOf(res.props.RouteTableIds).map(v =>
        routeTables.get(m.target(res, v)?.key ?? '') ?? unknown(describeId(m, res, v, 'route table'))),
      policyDocument: res.props.PolicyDocument,
      ipAddressType: res.props.IpAddressType === undefined ? undefined : m.str(res, res.props.IpAddressType),
      subnets: listOf(res.props.SubnetIds).map(v =>
        subnets.get(m.target(res, v)?.key ?? '') ?? unknown(describeId(m, res, v, 'subnet'))),
    };
    endpoints.set(res.key, ep);
    if (!('unknown' in ep.vpc)) ep.vpc.endpoints.push(ep);
    for (const rt of ep.routeTables) if (!('unknown' in rt)) rt.gatewayEndpoints.push(ep);
  }

  for (const ep of adoptedEndpoints(m, routeTables)) {
    endpoints.set(ep.res.key, ep);
    if (!('unknown' in ep.vpc)) ep.vpc.endpoints.push(ep);
    for (const rt of ep.routeTables) if (!('unknown' in rt)) rt.gatewayEndpoints.push(ep);
  }

  for (const res of m.ofType('AWS::EC2::SecurityGroup')) {
    const inline = listOf(res.props.SecurityGroupEgress).map(e => sgRule(m, res, e));
    securityGroups.set(res.key, {
      res,
      vpc: vpcOf(res, res.props.VpcId),
      egress: inline,
      defaultAllowAll: res.props.SecurityGroupEgress === undefined,
    });
  }
  for (const res of m.ofType('AWS::EC2::SecurityGroupEgress')) {
    const sg = securityGroups.get(m.target(res, res.props.GroupId)?.key ?? '') as Mutable<SecurityGroupNode> | undefined;
    if (!sg) continue;
    sg.egress.push(sgRule(m, res, res.props));
    sg.defaultAllowAll = false;
  }

  for (const res of m.ofType('AWS::EC2::NetworkAcl')) {
    networkAcls.set(res.key, { res, vpc: vpcOf(res, res.props.VpcId), entries: [], subnets: [] });
  }
  for (const res of m.ofType('AWS::EC2::NetworkAclEntry')) {
    const acl = networkAcls.get(m.target(res, res.props.NetworkAclId)?.key ?? '');
    if (!acl) continue;
    const p = res.props;
    const entry: NetworkAclEntryNode = {
      res,
      egress: m.bool(res, p.Egress) === true,
      ruleNumber: m.num(res, p.RuleNumber) ?? unknown('a missing rule number'),
      ruleAction: m.str(res, p.RuleAction),
      protocol: m.str(res, p.Protocol),
      cidrBlock: p.CidrBlock === undefined ? undefined : m.str(res, p.CidrBlock),
      ipv6CidrBlock: p.Ipv6CidrBlock === undefined ? undefined : m.str(res, p.Ipv6CidrBlock),
      portFrom: m.num(res, p.PortRange?.From),
      portTo: m.num(res, p.PortRange?.To),
    };
    acl.entries.push(entry);
  }
  for (const res of m.ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
    const subnet = subnets.get(m.target(res, res.props.SubnetId)?.key ?? '') as Mutable<SubnetNode> | undefined;
    const acl = networkAcls.get(m.target(res, res.props.NetworkAclId)?.key ?? '');
    if (subnet && acl) {
      subnet.networkAcl = acl;
      acl.subnets.push(subnet);
    }
  }

  return { vpcs, subnets, routeTables, endpoints, securityGroups, networkAcls };
}

/** Custom resource types whose `ModifyVpcEndpoint` calls associate route tables with an S3 gateway endpoint. */
const S3_ASSOCIATION_TYPES = new Set(['Custom::S3GatewayEndpointRouteTable']);

/**
 * Endpoints the app does not define but associates route tables with, through AwsCustomResource calls of
 * `ec2:ModifyVpcEndpoint` with `AddRouteTableIds` (this library's `EndpointSource.fromExisting` writes
 * `Custom::S3GatewayEndpointRouteTable`; a generic `Custom::AWS` call is read too, its service left unknown).
 */
function adoptedEndpoints(m: Model, routeTables: Map<string, RouteTableNode>): EndpointNode[] {
  const byId = new Map<string, { res: ModelResource; s3: boolean; tables: Maybe<RouteTableNode>[] }>();
  for (const res of m.resources) {
    if (!res.type.startsWith('Custom::') || res.props.Create === undefined) continue;
    let call: any;
    try {
      call = JSON.parse(m.sym(res, res.props.Create));
    } catch {
      continue;
    }
    if (String(call?.action).toLowerCase() !== 'modifyvpcendpoint' || !Array.isArray(call?.parameters?.AddRouteTableIds)) continue;
    const endpointId = String(call.parameters.VpcEndpointId);
    const entry = byId.get(endpointId) ?? { res, s3: S3_ASSOCIATION_TYPES.has(res.type), tables: [] };
    for (const id of call.parameters.AddRouteTableIds) {
      const key = /^\{\{(.+)\}\}$/.exec(String(id))?.[1];
      entry.tables.push(routeTables.get(key ?? '') ?? unknown(`route table ${id} (not defined in the app)`));
    }
    byId.set(endpointId, entry);
  }
  return [...byId.entries()].map(([endpointId, { res, s3, tables }]) => {
    const vpc = tables.map(t => ('unknown' in t ? undefined : t.vpc)).find(v => v !== undefined)
      ?? unknown(`the VPC of adopted endpoint ${endpointId}`);
    const what = `adopted endpoint ${endpointId} (not defined in the app)`;
    return {
      res,
      vpc,
      endpointType: 'Gateway',
      serviceName: unknown(what),
      serviceRegion: unknown(`the region of ${what}`),
      service: s3 ? 's3' : unknown(`the service of ${what}`),
      routeTables: tables,
      subnets: [],
      adopted: true,
      endpointId,
    };
  });
}

function routeNode(m: Model, res: ModelResource): RouteNode {
  const p = res.props;
  let targetKind: RouteTargetKind = 'unknown';
  let target: ModelResource | undefined;
  if (p.GatewayId !== undefined) {
    target = m.target(res, p.GatewayId);
    if (target) targetKind = target.type === 'AWS::EC2::VPNGateway' ? 'vpn-gateway' : 'internet-gateway';
    else targetKind = kindOfLiteral(m.str(res, p.GatewayId));
  } else {
    for (const [prop, kind] of TARGET_PROPS) {
      if (p[prop] === undefined) continue;
      targetKind = kind;
      target = m.target(res, p[prop]);
      break;
    }
  }
  return {
    res,
    destinationCidrBlock: p.DestinationCidrBlock === undefined ? undefined : m.str(res, p.DestinationCidrBlock),
    destinationIpv6CidrBlock: p.DestinationIpv6CidrBlock === undefined ? undefined : m.str(res, p.DestinationIpv6CidrBlock),
    destinationPrefixListId: p.DestinationPrefixListId === undefined ? undefined : m.str(res, p.DestinationPrefixListId),
    targetKind,
    target,
  };
}

function kindOfLiteral(id: Maybe<string>): RouteTargetKind {
  if (typeof id !== 'string') return 'unknown';
  return TARGET_PREFIXES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'unknown';
}

function isDefaultRoute(r: RouteNode): boolean {
  return r.destinationCidrBlock === '0.0.0.0/0' || r.destinationIpv6CidrBlock === '::/0';
}

function sgRule(m: Model, res: ModelResource, e: any): SecurityGroupRule {
  const opt = (v: any) => (v === undefined ? undefined : m.str(res, v));
  const dest = e.DestinationSecurityGroupId;
  return {
    source: res,
    ipProtocol: m.str(res, e.IpProtocol),
    fromPort: m.num(res, e.FromPort),
    toPort: m.num(res, e.ToPort),
    cidrIp: opt(e.CidrIp),
    cidrIpv6: opt(e.CidrIpv6),
    destinationPrefixListId: opt(e.DestinationPrefixListId),
    destinationSecurityGroup: dest === undefined ? undefined : m.target(res, dest) ?? unknown(describeId(m, res, dest, 'security group')),
  };
}

/** `com.amazonaws.<region>.<service>` (also `aws.api.<region>...`-style names are left unparsed). */
export function parseServiceName(name: string): { region: string; service: string } | undefined {
  const match = /^(?:com|cn)\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$/.exec(name);
  return match ? { region: match[1], service: match[2] } : undefined;
}

/**
 * A service name whose region is the stack's own but unresolved (`com.amazonaws.{{AWS::Region}}.s3`, as CDK writes it
 * in environment-agnostic stacks): the service is known, the region is not.
 */
function parseSymbolicServiceName(name: string): { region: Maybe<string>; service: string } | undefined {
  const match = /^(?:com|cn)\.amazonaws\.\{\{AWS::Region\}\}\.([a-z0-9.-]+)$/.exec(name);
  return match ? { region: unknown(`the region of ${name} (environment-agnostic stack)`), service: match[1] } : undefined;
}

/** Route targets that leave the VPC for the internet: gateways, NAT gateways, NAT instances and appliances. */
const INTERNET_KINDS: ReadonlySet<RouteTargetKind> = new Set(['internet-gateway']);
const NAT_KINDS: ReadonlySet<RouteTargetKind> = new Set(['nat-gateway', 'instance', 'network-interface', 'egress-only-internet-gateway', 'carrier-gateway']);
const TRANSIT_KINDS: ReadonlySet<RouteTargetKind> = new Set(['transit-gateway', 'vpc-peering', 'vpn-gateway', 'core-network', 'local-gateway']);

/** The best way out among the routes to public (non-private) destinations. */
function wayOutOf(routes: readonly RouteNode[]): WayOut {
  const kinds = new Set<WayOut>();
  for (const r of routes) {
    if (!toPublicSpace(r)) continue;
    if (INTERNET_KINDS.has(r.targetKind)) kinds.add('internet-gateway');
    else if (NAT_KINDS.has(r.targetKind)) kinds.add('nat');
    else if (TRANSIT_KINDS.has(r.targetKind)) kinds.add('transit');
    else if (r.targetKind !== 'vpc-endpoint') kinds.add('unknown');
  }
  for (const k of ['internet-gateway', 'nat', 'transit', 'unknown'] as const) if (kinds.has(k)) return k;
  return 'none';
}

/** Whether a route may carry traffic to public addresses (S3's): IPv4 outside private space, any IPv6, a prefix list. */
function toPublicSpace(r: RouteNode): boolean {
  if (r.destinationPrefixListId !== undefined) return true;
  if (r.destinationIpv6CidrBlock !== undefined) return true;
  const dest = r.destinationCidrBlock;
  if (dest === undefined) return false;
  return typeof dest !== 'string' || !isPrivateIpv4(dest);
}

/** A value as a list: CloudFormation lists, or one item. */
export function listOf(value: any): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function describeValue(v: Maybe<string>): string {
  return typeof v === 'string' ? v : v.what;
}

/** Describes an id that is not a resource of the app, for "cannot judge" messages. */
export function describeId(m: Model, from: ModelResource, value: any, kind: string): string {
  const s = m.str(from, value);
  return typeof s === 'string' ? `${kind} ${s} (not defined in the app)` : `${kind} ${s.what}`;
}
