/**
 * Reads a region's VPCs, subnets, route tables, endpoints, security groups, network ACLs and prefix lists (EC2
 * describe calls) and writes them as the CloudFormation resources the model reads.
 *
 * Internal: not exported from the package's index.
 */
import type {
  DhcpOptions, IpPermission, ManagedPrefixList, NetworkAcl, NetworkAclEntry, PrefixList, Route, RouteTable, SecurityGroup, Subnet, Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { LiveStackBuilder, parsePolicy, policyWithRefs, ref, refs } from './builder';
import { LiveCaller } from './sdk';

/** What the network read tells the rest of the reader. */
export interface NetworkFacts {
  /** AWS-managed prefix lists of the region, id → name (`pl-6da54004` → `com.amazonaws.eu-west-1.s3`). */
  readonly prefixLists?: Record<string, string>;
  /** The account that owns the VPCs, when any was read. */
  readonly account?: string;
}

/** Endpoint states that no longer carry traffic. */
const GONE_STATES = new Set(['deleted', 'deleting', 'failed', 'rejected', 'expired']);

/** Reads the network of the given VPCs (every VPC of the region when `vpcIds` is undefined). */
export async function readNetwork(call: LiveCaller, b: LiveStackBuilder, vpcIds: string[] | undefined): Promise<NetworkFacts> {
  const ec2 = call.modules.ec2;
  const filters = vpcIds ? [{ Name: 'vpc-id', Values: vpcIds }] : undefined;
  const scope = vpcIds ? `VPCs ${vpcIds.join(', ')}` : 'the region\'s VPCs';
  const list = async <T>(paginator: any, Command: any, input: any, key: string, what: string): Promise<T[] | undefined> => {
    const r = await call.pages<any>('ec2', paginator, input, new Command(input), what);
    return r.ok ? r.value.flatMap(page => page[key] ?? []) : undefined;
  };

  const vpcs = await list<Vpc>(ec2.paginateDescribeVpcs, ec2.DescribeVpcsCommand, vpcIds ? { VpcIds: vpcIds } : {}, 'Vpcs',
    `${scope} are left out, so the rules cannot judge VPC-wide facts (DNS attributes, endpoints)`);
  const subnets = await list<Subnet>(ec2.paginateDescribeSubnets, ec2.DescribeSubnetsCommand, { Filters: filters }, 'Subnets',
    `the subnets of ${scope} are unknown, so workloads in them cannot be judged`);
  const routeTables = await list<RouteTable>(ec2.paginateDescribeRouteTables, ec2.DescribeRouteTablesCommand, { Filters: filters },
    'RouteTables', `the route tables of ${scope} are unknown, so the subnets' routes cannot be judged`);
  const endpoints = await list<VpcEndpoint>(ec2.paginateDescribeVpcEndpoints, ec2.DescribeVpcEndpointsCommand, { Filters: filters },
    'VpcEndpoints', `the endpoints of ${scope} are unknown, so those VPCs are left out (the rules cannot judge endpoint facts)`);
  const groups = await list<SecurityGroup>(ec2.paginateDescribeSecurityGroups, ec2.DescribeSecurityGroupsCommand, { Filters: filters },
    'SecurityGroups', `the security groups of ${scope} are unknown, so their egress cannot be judged`);
  const acls = await list<NetworkAcl>(ec2.paginateDescribeNetworkAcls, ec2.DescribeNetworkAclsCommand, { Filters: filters },
    'NetworkAcls', `the network ACLs of ${scope} are unknown: every subnet is judged as if it used an allow-all default ACL`);
  const prefixLists = await list<PrefixList>(ec2.paginateDescribePrefixLists, ec2.DescribePrefixListsCommand, {}, 'PrefixLists',
    'the region\'s AWS-managed prefix lists are unknown, so a pl-… id in egress is taken as possibly the S3 list');

  if (vpcs && endpoints) {
    for (const vpc of vpcs) await emitVpc(call, b, vpc);
  }
  await emitDhcpOptions(call, b, vpcs ?? []);
  for (const s of subnets ?? []) emitSubnet(b, s);
  const explicit = explicitlyAssociated(routeTables ?? []);
  for (const rt of routeTables ?? []) emitRouteTable(b, rt, subnets ?? [], explicit);
  for (const ep of endpoints ?? []) emitEndpoint(b, ep);
  for (const sg of groups ?? []) emitSecurityGroup(b, sg);
  for (const acl of acls ?? []) emitNetworkAcl(b, acl);
  const awsLists = new Set((prefixLists ?? []).map(p => p.PrefixListId));
  const customerLists = [...new Set((groups ?? []).flatMap(g => (g.IpPermissionsEgress ?? [])
    .flatMap(p => (p.PrefixListIds ?? []).map(x => x.PrefixListId))))]
    .filter((x): x is string => typeof x === 'string' && !awsLists.has(x));
  if (prefixLists && customerLists.length > 0) await emitManagedPrefixLists(call, b, customerLists);

  const account = vpcs?.find(v => v.OwnerId)?.OwnerId ?? groups?.find(g => g.OwnerId)?.OwnerId;
  return {
    prefixLists: prefixLists
      ? Object.fromEntries(prefixLists.filter(p => p.PrefixListId && p.PrefixListName).map(p => [p.PrefixListId!, p.PrefixListName!]))
      : undefined,
    account,
  };
}

/** Customer-managed prefix lists that egress rules name, with their entries. */
async function emitManagedPrefixLists(call: LiveCaller, b: LiveStackBuilder, ids: string[]): Promise<void> {
  const ec2 = call.modules.ec2;
  const input = { PrefixListIds: ids };
  const what = `prefix lists ${ids.join(', ')} are unknown, so egress to them is taken as possibly reaching S3`;
  const lists = await call.pages<any>('ec2', ec2.paginateDescribeManagedPrefixLists, input, new ec2.DescribeManagedPrefixListsCommand(input), what);
  if (!lists.ok) return;
  for (const pl of lists.value.flatMap(page => page.PrefixLists ?? []) as ManagedPrefixList[]) {
    const entriesInput = { PrefixListId: pl.PrefixListId };
    const entries = await call.pages<any>('ec2', ec2.paginateGetManagedPrefixListEntries, entriesInput,
      new ec2.GetManagedPrefixListEntriesCommand(entriesInput), `the entries of prefix list ${pl.PrefixListId} are unknown`);
    if (!entries.ok) continue;
    b.add(pl.PrefixListId!, 'AWS::EC2::PrefixList', {
      PrefixListName: pl.PrefixListName,
      AddressFamily: pl.AddressFamily,
      MaxEntries: pl.MaxEntries,
      Entries: entries.value.flatMap(page => page.Entries ?? []).map((e: any) => ({ Cidr: e.Cidr, Description: e.Description })),
    }, pl.PrefixListId!);
  }
}

async function emitVpc(call: LiveCaller, b: LiveStackBuilder, vpc: Vpc): Promise<void> {
  const id = vpc.VpcId!;
  const attr = async (Attribute: string, key: string, prop: string) => {
    const r = await call.send('ec2', new call.modules.ec2.DescribeVpcAttributeCommand({ VpcId: id, Attribute }),
      `${Attribute} of ${id} is unknown, so the DNS rules cannot judge it`);
    // an unreadable attribute is written as an unresolvable reference, which the model reads as unknown
    return r.ok ? r.value[key]?.Value ?? { Ref: `${prop} of ${id} (unreadable)` } : { Ref: `${prop} of ${id} (unreadable)` };
  };
  b.add(id, 'AWS::EC2::VPC', {
    CidrBlock: vpc.CidrBlock,
    EnableDnsSupport: await attr('enableDnsSupport', 'EnableDnsSupport', 'EnableDnsSupport'),
    EnableDnsHostnames: await attr('enableDnsHostnames', 'EnableDnsHostnames', 'EnableDnsHostnames'),
  }, id);
}

/** DHCP options sets of the VPCs (a VPC with `default` has none). */
async function emitDhcpOptions(call: LiveCaller, b: LiveStackBuilder, vpcs: Vpc[]): Promise<void> {
  const ids = [...new Set(vpcs.map(v => v.DhcpOptionsId).filter((d): d is string => !!d && d !== 'default'))];
  if (ids.length === 0) return;
  const ec2 = call.modules.ec2;
  const input = { DhcpOptionsIds: ids };
  const r = await call.pages<any>('ec2', ec2.paginateDescribeDhcpOptions, input, new ec2.DescribeDhcpOptionsCommand(input),
    `DHCP options ${ids.join(', ')} are unknown, so custom DNS servers cannot be judged`);
  if (!r.ok) return;
  const sets: DhcpOptions[] = r.value.flatMap(page => page.DhcpOptions ?? []);
  for (const set of sets) {
    const values = (key: string) => set.DhcpConfigurations?.find(c => c.Key === key)?.Values?.map(v => v.Value).filter(v => v !== undefined);
    b.add(set.DhcpOptionsId!, 'AWS::EC2::DHCPOptions', {
      DomainName: values('domain-name')?.[0],
      DomainNameServers: values('domain-name-servers'),
      NtpServers: values('ntp-servers'),
    }, set.DhcpOptionsId!);
  }
  for (const vpc of vpcs) {
    if (!vpc.DhcpOptionsId || !sets.some(s => s.DhcpOptionsId === vpc.DhcpOptionsId)) continue;
    b.add(`${vpc.VpcId}/${vpc.DhcpOptionsId}`, 'AWS::EC2::VPCDHCPOptionsAssociation',
      { VpcId: ref(vpc.VpcId!), DhcpOptionsId: ref(vpc.DhcpOptionsId) }, `${vpc.VpcId}/dhcp-options`);
  }
}

function emitSubnet(b: LiveStackBuilder, s: Subnet): void {
  b.add(s.SubnetId!, 'AWS::EC2::Subnet', {
    VpcId: ref(s.VpcId!),
    CidrBlock: s.CidrBlock,
    AvailabilityZone: s.AvailabilityZone,
    Ipv6Native: s.Ipv6Native === true,
    MapPublicIpOnLaunch: s.MapPublicIpOnLaunch === true,
  }, s.SubnetId!);
}

/** Route targets as CloudFormation route properties (the model tells their kinds from the property or the id). */
const ROUTE_TARGETS: ReadonlyArray<keyof Route> = [
  'GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'InstanceId',
  'EgressOnlyInternetGatewayId', 'CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn',
];

function emitRouteTable(b: LiveStackBuilder, rt: RouteTable, subnets: Subnet[], explicit: Set<string>): void {
  const id = rt.RouteTableId!;
  b.add(id, 'AWS::EC2::RouteTable', { VpcId: ref(rt.VpcId!) }, id);
  for (const route of rt.Routes ?? []) {
    if (route.GatewayId === 'local') continue;
    // AWS adds a prefix-list route for each gateway endpoint; the endpoint's RouteTableIds carry that association
    if (route.GatewayId?.startsWith('vpce-') && route.DestinationPrefixListId) continue;
    const dest = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock ?? route.DestinationPrefixListId ?? '?';
    const props: Record<string, any> = {
      RouteTableId: ref(id),
      DestinationCidrBlock: route.DestinationCidrBlock,
      DestinationIpv6CidrBlock: route.DestinationIpv6CidrBlock,
      DestinationPrefixListId: route.DestinationPrefixListId,
    };
    for (const key of ROUTE_TARGETS) {
      const target = route[key];
      if (typeof target !== 'string') continue;
      // a route to a Gateway Load Balancer endpoint names it as a gateway
      if (key === 'GatewayId' && target.startsWith('vpce-')) props.VpcEndpointId = target;
      else props[key] = target;
      break;
    }
    b.add(`${id}/${dest}`, 'AWS::EC2::Route', props, `${id}/route ${dest}`);
  }
  for (const a of rt.Associations ?? []) {
    if (!a.SubnetId || isDisassociated(a.AssociationState?.State)) continue;
    b.add(a.RouteTableAssociationId ?? `${a.SubnetId}/${id}`, 'AWS::EC2::SubnetRouteTableAssociation',
      { SubnetId: ref(a.SubnetId), RouteTableId: ref(id) }, `${a.SubnetId}/route-table-association`);
  }
  if (!(rt.Associations ?? []).some(a => a.Main)) return;
  // the main table serves every subnet of its VPC without an explicit association: live data knows which
  for (const s of subnets) {
    if (s.VpcId !== rt.VpcId || !s.SubnetId || explicit.has(s.SubnetId)) continue;
    b.add(`${s.SubnetId}/main/${id}`, 'AWS::EC2::SubnetRouteTableAssociation',
      { SubnetId: ref(s.SubnetId), RouteTableId: ref(id) }, `${s.SubnetId}/main-route-table-association`);
  }
}

/** Subnets with an explicit association to any table (the main table serves the others). */
function explicitlyAssociated(routeTables: RouteTable[]): Set<string> {
  const out = new Set<string>();
  for (const rt of routeTables) {
    for (const a of rt.Associations ?? []) if (a.SubnetId && !isDisassociated(a.AssociationState?.State)) out.add(a.SubnetId);
  }
  return out;
}

function isDisassociated(state: string | undefined): boolean {
  return state === 'disassociated' || state === 'disassociating' || state === 'failed';
}

function emitEndpoint(b: LiveStackBuilder, ep: VpcEndpoint): void {
  if (GONE_STATES.has(String(ep.State ?? '').toLowerCase())) return;
  const id = ep.VpcEndpointId!;
  b.add(id, 'AWS::EC2::VPCEndpoint', {
    VpcId: ref(ep.VpcId!),
    ServiceName: ep.ServiceName,
    VpcEndpointType: ep.VpcEndpointType ?? 'Gateway',
    RouteTableIds: ep.RouteTableIds?.length ? refs(ep.RouteTableIds) : undefined,
    SubnetIds: ep.SubnetIds?.length ? refs(ep.SubnetIds) : undefined,
    SecurityGroupIds: ep.Groups?.length ? refs(ep.Groups.map(g => g.GroupId)) : undefined,
    PolicyDocument: policyWithRefs(parsePolicy(ep.PolicyDocument)),
    IpAddressType: ep.IpAddressType,
    PrivateDnsEnabled: ep.PrivateDnsEnabled,
    // as CloudFormation writes it, so the interface-endpoint rules read one form
    DnsOptions: ep.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint === undefined ? undefined : {
      PrivateDnsOnlyForInboundResolverEndpoint: ep.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint ? 'OnlyInboundResolver' : 'AllResolvers',
    },
    ServiceRegion: ep.ServiceRegion,
  }, id);
}

/** Security-group egress: one CloudFormation entry per CIDR, prefix list or group pair of each permission. */
function egressEntries(perms: IpPermission[] | undefined): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const p of perms ?? []) {
    const base: Record<string, any> = { IpProtocol: p.IpProtocol };
    if (p.IpProtocol !== '-1') {
      base.FromPort = p.FromPort;
      base.ToPort = p.ToPort;
    }
    for (const r of p.IpRanges ?? []) if (r.CidrIp) out.push({ ...base, CidrIp: r.CidrIp });
    for (const r of p.Ipv6Ranges ?? []) if (r.CidrIpv6) out.push({ ...base, CidrIpv6: r.CidrIpv6 });
    // a customer-managed list read into the stack becomes a reference, so the model judges its entries
    for (const r of p.PrefixListIds ?? []) if (r.PrefixListId) out.push({ ...base, DestinationPrefixListId: ref(r.PrefixListId) });
    for (const r of p.UserIdGroupPairs ?? []) if (r.GroupId) out.push({ ...base, DestinationSecurityGroupId: ref(r.GroupId) });
  }
  return out;
}

function emitSecurityGroup(b: LiveStackBuilder, sg: SecurityGroup): void {
  const id = sg.GroupId!;
  b.add(id, 'AWS::EC2::SecurityGroup', {
    GroupDescription: sg.Description,
    GroupName: sg.GroupName,
    VpcId: ref(sg.VpcId!),
    // written even when empty: a group without egress rules allows nothing out
    SecurityGroupEgress: egressEntries(sg.IpPermissionsEgress),
  }, id);
}

/** AWS's own entries of a new ACL: allow everything (IPv4 rule 100, IPv6 rule 101), both directions. */
function isAllowAll(e: NetworkAclEntry): boolean {
  return e.RuleAction === 'allow' && e.Protocol === '-1' && (e.CidrBlock === '0.0.0.0/0' || e.Ipv6CidrBlock === '::/0');
}

function emitNetworkAcl(b: LiveStackBuilder, acl: NetworkAcl): void {
  const entries = (acl.Entries ?? []).filter(e => e.RuleNumber !== 32767);
  // the model takes "no association" for the default ACL and judges it as allow-all: emit a default ACL only when
  // someone changed its entries, so that it is judged as a custom one
  if (acl.IsDefault && entries.every(isAllowAll)) return;
  const id = acl.NetworkAclId!;
  b.add(id, 'AWS::EC2::NetworkAcl', { VpcId: ref(acl.VpcId!) }, id);
  for (const e of entries) {
    const direction = e.Egress ? 'egress' : 'ingress';
    b.add(`${id}/${direction}/${e.RuleNumber}`, 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(id),
      Egress: e.Egress === true,
      RuleNumber: e.RuleNumber,
      RuleAction: e.RuleAction,
      Protocol: e.Protocol,
      CidrBlock: e.CidrBlock,
      Ipv6CidrBlock: e.Ipv6CidrBlock,
      PortRange: e.PortRange ? { From: e.PortRange.From, To: e.PortRange.To } : undefined,
      Icmp: e.IcmpTypeCode ? { Code: e.IcmpTypeCode.Code, Type: e.IcmpTypeCode.Type } : undefined,
    }, `${id}/${direction} rule ${e.RuleNumber}`);
  }
  for (const a of acl.Associations ?? []) {
    if (!a.SubnetId) continue;
    b.add(a.NetworkAclAssociationId ?? `${a.SubnetId}/${id}`, 'AWS::EC2::SubnetNetworkAclAssociation',
      { SubnetId: ref(a.SubnetId), NetworkAclId: ref(id) }, `${a.SubnetId}/network-acl-association`);
  }
}
