/**
 * The network hops of an explained path: DNS, subnet, route table, the route S3 traffic takes, the endpoint,
 * security-group egress and the network ACL both ways. Evidence comes from the model and the rules' own helpers.
 *
 * Internal: not exported from the package's index.
 */
import { HopSpec, keys, OwnVerdict, PathContext, shownValue } from './hop';
import { cidrContains, parseIpv4Cidr, s3Ipv4Cidrs } from '../aws/s3-ranges';
import { listOf, listText } from '../model/helpers';
import { describeDecision, evaluateS3 } from '../model/nacl-eval';
import { endpointRegion, isGateway, isS3Endpoint, routeTargetText } from '../model/s3-reach';
import { s3RoutesOf } from '../model/s3-routes';
import { allows443, describeEgress, prefixListInfo, rawEgressOf } from '../model/sg-egress';
import { isUnknown, ModelResource, NetworkAclNode, RouteNode, RouteTableNode, WorkloadNode } from '../model/types';

/** Why the network hops do not apply to a workload outside any VPC. */
function outsideVpc(c: PathContext): string | undefined {
  if (c.w.subnets.length > 0) return undefined;
  return `${c.w.res.path} runs outside any VPC: it reaches S3's public endpoints over AWS's network, so this hop is not on its path`;
}

/** A cannot-judge verdict when none of the workload's subnets is defined in the app. */
function subnetsUnknown(c: PathContext): OwnVerdict | undefined {
  if (c.subnets.length > 0 || c.unresolvedSubnets.length === 0) return undefined;
  return { verdict: 'cannot-judge', fix: 'define the subnets in the app (or check their route tables, ACLs and endpoints by hand)' };
}

function unknownSubnetsText(c: PathContext): string[] {
  return c.unresolvedSubnets.length === 0 ? []
    : [`cannot judge subnets ${listText(c.unresolvedSubnets.map(u => u.what))}: they are not defined in the app`];
}

export function dnsHop(c: PathContext): HopSpec {
  const evidence: string[] = [];
  const resources: Array<ModelResource | undefined> = [];
  for (const vpc of c.vpcs) {
    resources.push(vpc.res, vpc.dhcpOptions);
    evidence.push(`VPC ${vpc.res.path}: EnableDnsSupport ${shownValue(vpc.enableDnsSupport, 'unset (true)')}, `
      + `EnableDnsHostnames ${shownValue(vpc.enableDnsHostnames, 'unset (false)')}`);
    if (vpc.dhcpOptions) {
      const servers = listOf(vpc.dhcpOptions.props.DomainNameServers).map(s => c.m.sym(vpc.dhcpOptions!, s));
      evidence.push(`DHCP options ${vpc.dhcpOptions.path}: DomainNameServers ${servers.length > 0 ? servers.join(', ') : 'unset'}`);
    } else {
      evidence.push(`VPC ${vpc.res.path} has no DHCP options set in the app: the Amazon resolver (AmazonProvidedDNS) answers`);
    }
  }
  const vpcUnknown = c.subnets.filter(s => isUnknown(s.vpc));
  for (const s of vpcUnknown) evidence.push(`cannot judge the VPC of subnet ${s.res.path}: ${(s.vpc as any).what}`);
  evidence.push(...unknownSubnetsText(c));
  return {
    name: 'dns',
    title: 'DNS resolution',
    resources: keys(...resources),
    evidence,
    notApplicable: outsideVpc(c),
    own: c.vpcs.length === 0 && !outsideVpc(c) ? { verdict: 'cannot-judge', fix: 'define the VPC in the app, or check its DNS attributes by hand' } : undefined,
  };
}

export function subnetHop(c: PathContext): HopSpec {
  const evidence = c.subnets.map(s => {
    const cidr = c.m.str(s.res, s.res.props.CidrBlock);
    const kind = s.isPublic ? 'public (default route to an internet gateway)'
      : s.hasInternetRoute ? 'private, with a route to the internet' : 'isolated (no route to the internet)';
    return `subnet ${s.res.path} (${typeof cidr === 'string' ? cidr : 'CIDR unresolved'}): ${kind}${s.ipv6Native ? ', IPv6-only' : ''}`;
  });
  evidence.push(...unknownSubnetsText(c));
  return {
    name: 'subnet',
    title: 'subnet',
    resources: new Set(),
    evidence,
    notApplicable: outsideVpc(c),
    own: c.unresolvedSubnets.length > 0 ? { verdict: 'cannot-judge', fix: 'define the subnets in the app, or check them by hand' } : undefined,
  };
}

/** The route tables of the workload's subnets, each once. */
function routeTables(c: PathContext): RouteTableNode[] {
  const out = new Map<string, RouteTableNode>();
  for (const s of c.subnets) if (!isUnknown(s.routeTable)) out.set(s.routeTable.res.key, s.routeTable);
  return [...out.values()];
}

function s3Gateways(rt: RouteTableNode) {
  return rt.gatewayEndpoints.filter(ep => isGateway(ep) && isS3Endpoint(ep) === true);
}

export function routeTableHop(c: PathContext): HopSpec {
  const evidence: string[] = [];
  for (const s of c.subnets) {
    const rt = s.routeTable;
    if (isUnknown(rt)) {
      evidence.push(`subnet ${s.res.path} has no route table association in the app: ${rt.what}`);
      continue;
    }
    const gws = s3Gateways(rt);
    evidence.push(`subnet ${s.res.path} uses route table ${rt.res.path}, `
      + (gws.length > 0 ? `associated with S3 gateway endpoint ${listText(gws.map(ep => ep.res.path))}`
        : 'which no S3 gateway endpoint lists in its RouteTableIds'));
  }
  for (const vpc of c.vpcs) {
    const gws = vpc.endpoints.filter(ep => isGateway(ep) && isS3Endpoint(ep) === true);
    for (const ep of gws) {
      const tables = ep.routeTables.map(rt => (isUnknown(rt) ? rt.what : rt.res.path));
      evidence.push(`S3 gateway endpoint ${ep.res.path} of VPC ${vpc.res.path} lists route tables ${tables.length > 0 ? listText(tables) : 'none'}`);
    }
    if (gws.length === 0) evidence.push(`VPC ${vpc.res.path} has no S3 gateway endpoint`);
  }
  evidence.push(...unknownSubnetsText(c));
  return {
    name: 'route-table',
    title: 'route table',
    resources: keys(c.w.res),
    evidence,
    notApplicable: outsideVpc(c),
    own: subnetsUnknown(c),
  };
}

/** Which route each S3 range of the region takes from a route table, by longest prefix match. */
function routeChoice(c: PathContext, rt: RouteTableNode): string[] {
  const gws = s3Gateways(rt);
  const iface = gws.length > 0 ? undefined
    : s3RoutesOf(c.m, c.w).find(r => r.via === 'interface' && r.subnet.routeTable === rt)?.endpoint;
  if (iface) {
    // private DNS answers S3's names with the endpoint's addresses in the VPC: the local route takes them
    return [`route table ${rt.res.path}: S3's names resolve to the private addresses of S3 interface endpoint `
      + `${iface.res.path} (private DNS), which the VPC's local route reaches`];
  }
  const region = (gws.length > 0 ? endpointRegion(gws[0]) : undefined) ?? c.w.res.stack.region;
  const cidrs = region ? s3Ipv4Cidrs(region) : undefined;
  const statics = rt.routes.filter(r => typeof r.destinationCidrBlock === 'string' && parseIpv4Cidr(r.destinationCidrBlock));
  const out: string[] = [];
  for (const r of rt.routes) {
    if (isUnknown(r.destinationCidrBlock) || isUnknown(r.destinationPrefixListId)) {
      out.push(`route ${r.res.path} on ${rt.res.path} has an unresolved destination`);
    } else if (typeof r.destinationPrefixListId === 'string') {
      out.push(`route ${r.res.path} on ${rt.res.path}: prefix list ${r.destinationPrefixListId} → ${routeTargetText(r)}`);
    }
  }
  const endpointLabel = `the prefix-list route of S3 gateway endpoint ${listText(gws.map(ep => ep.res.path))}`;
  if (!cidrs) {
    const dflt = statics.find(r => r.destinationCidrBlock === '0.0.0.0/0');
    out.unshift(`route table ${rt.res.path}: ${gws.length > 0 ? `${endpointLabel}; ` : ''}`
      + `default route ${dflt ? `${dflt.destinationCidrBlock} → ${routeTargetText(dflt)}` : 'none'}; `
      + `S3's ranges of ${region ?? 'the environment-agnostic stack\'s region'} are not known, so the longest prefix match is not computed`);
    return out;
  }
  const counts = new Map<string, number>();
  const partial = new Set<string>();
  for (const cidr of cidrs) {
    const len = parseIpv4Cidr(cidr)!.prefixLength;
    let best: { len: number; label: string } | undefined = gws.length > 0 ? { len, label: endpointLabel } : undefined;
    for (const r of statics) {
      const dest = r.destinationCidrBlock as string;
      if (cidrContains(dest, cidr)) {
        const l = parseIpv4Cidr(dest)!.prefixLength;
        // a static route of equal or longer prefix beats the prefix-list route
        if (!best || l > best.len || (l === best.len && best.label === endpointLabel)) best = { len: l, label: routeLabel(r) };
      } else if (cidrContains(cidr, dest)) {
        partial.add(`route ${r.res.path} (${dest} → ${routeTargetText(r)}) takes part of S3 range ${cidr}`);
      }
    }
    const label = best?.label ?? NO_ROUTE;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  for (const [label, n] of counts) {
    out.unshift(`route table ${rt.res.path}: ${n} of the ${cidrs.length} S3 ranges of ${region} go to ${label}`);
  }
  return [...out, ...partial];
}

const NO_ROUTE = 'no route (the packets are dropped)';

function routeLabel(r: RouteNode): string {
  return `route ${r.res.path} (${r.destinationCidrBlock as string} → ${routeTargetText(r)})`;
}

export function s3RouteHop(c: PathContext): HopSpec {
  const tables = routeTables(c);
  const evidence = tables.flatMap(rt => routeChoice(c, rt));
  for (const s of c.subnets) {
    if (isUnknown(s.routeTable)) evidence.push(`cannot judge the routes of subnet ${s.res.path}: ${s.routeTable.what}`);
  }
  evidence.push(...unknownSubnetsText(c));
  const dropped = evidence.some(e => e.endsWith(`go to ${NO_ROUTE}`));
  return {
    name: 's3-route',
    title: 'route chosen for S3',
    resources: keys(c.w.res, ...tables.flatMap(rt => rt.routes.map(r => r.res))),
    evidence,
    notApplicable: outsideVpc(c),
    own: dropped ? { verdict: 'fail', fix: 'give the subnets a route to S3: associate their route tables with an S3 gateway endpoint (S3PrivateAccess)' }
      : subnetsUnknown(c),
  };
}

export function endpointHop(c: PathContext): HopSpec {
  const evidence: string[] = [];
  for (const ep of c.gateways) {
    const tables = ep.routeTables.map(rt => (isUnknown(rt) ? rt.what : rt.res.path));
    evidence.push(`S3 gateway endpoint ${ep.res.path}: service ${shownValue(ep.serviceName)} (stack region `
      + `${ep.res.stack.region ?? 'environment-agnostic'}), IpAddressType ${shownValue(ep.ipAddressType, 'unset (ipv4)')}, `
      + `route tables ${listText(tables)}`);
  }
  for (const ep of c.interfaces) {
    evidence.push(`S3 interface endpoint ${ep.res.path}: used when the workload calls its endpoint-specific names `
      + '(or private DNS sends S3 names to it)');
  }
  const none = c.gateways.length === 0 && c.interfaces.length === 0;
  return {
    name: 'endpoint',
    title: 'S3 endpoint',
    resources: keys(c.w.res, ...c.gateways.map(ep => ep.res), ...c.interfaces.map(ep => ep.res)),
    evidence,
    notApplicable: outsideVpc(c) ?? (none ? `no S3 endpoint serves the subnets of ${c.w.res.path}: its S3 traffic follows the route above` : undefined),
  };
}

export function securityGroupHop(c: PathContext): HopSpec {
  const evidence: string[] = [];
  const resources: ModelResource[] = [c.w.res];
  for (const sg of c.w.securityGroups) {
    if (isUnknown(sg)) {
      evidence.push(`security group ${sg.what}: not defined in the app`);
      continue;
    }
    resources.push(sg.res, ...sg.egress.map(e => e.source));
    if (sg.defaultAllowAll) {
      evidence.push(`security group ${sg.res.path}: no egress rule written, so AWS's default allows all outbound traffic`);
      continue;
    }
    for (const e of rawEgressOf(sg)) {
      const port = allows443(c.m, e.source, e.raw).port;
      const list = e.raw.DestinationPrefixListId !== undefined ? `; prefix list ${prefixListInfo(c.m, e.source, e.raw.DestinationPrefixListId).why}` : '';
      evidence.push(`security group ${sg.res.path}: egress ${describeEgress(c.m, e)}${port === 'yes' ? ' (includes TCP 443)' : ''}${list}`);
    }
  }
  if (c.w.securityGroups.length === 0 && !outsideVpc(c)) evidence.push(`${c.w.res.path} names no security group: the VPC's default group applies`);
  return {
    name: 'security-group',
    title: 'security-group egress',
    resources: keys(...resources),
    evidence,
    notApplicable: outsideVpc(c),
  };
}

/** Lambda and Fargate pick return ports from 1024-65535; EC2-based hosts from the kernel's 32768-60999. */
function ephemeralPorts(w: WorkloadNode): [number, number] {
  const wide = w.kind === 'lambda' || (w.kind === 'ecs-service'
    && (w.launchType === 'FARGATE' || JSON.stringify(w.res.props.CapacityProviderStrategy ?? '').includes('FARGATE')));
  return wide ? [1024, 65535] : [32768, 60999];
}

function naclHop(c: PathContext, egress: boolean): HopSpec {
  const [from, to] = egress ? [443, 443] : ephemeralPorts(c.w);
  const what = egress ? 'outbound TCP 443 to' : `inbound TCP ${from}-${to} (return traffic) from`;
  const evidence: string[] = [];
  const acls = new Map<string, NetworkAclNode>();
  for (const s of c.subnets) {
    if (!s.networkAcl) {
      evidence.push(`subnet ${s.res.path} uses the VPC's default network ACL: it allows all traffic (unless changed outside the template)`);
      continue;
    }
    acls.set(s.networkAcl.res.key, s.networkAcl);
    const acl = s.networkAcl;
    const result = evaluateS3(acl, egress, from, to);
    const subject = `network ACL ${acl.res.path} of subnet ${s.res.path}`;
    if (result.kind === 'allowed') {evidence.push(`${subject}: ${what} S3's ranges is allowed`);} else if (result.kind === 'unknown') {evidence.push(`${subject}: cannot judge ${what} S3: ${result.what}`);} else {
      const first = result.denied[0];
      evidence.push(`${subject}: ${what} ${result.denied.length} of the ${result.total} S3 ranges of ${result.region} is denied `
        + `(e.g. ${first.cidr}: ${describeDecision(first.decision)})`);
    }
  }
  evidence.push(...unknownSubnetsText(c));
  return {
    name: egress ? 'nacl-outbound' : 'nacl-return',
    title: egress ? 'network ACL outbound' : 'network ACL return traffic',
    resources: new Set([...acls.values()].map(a => a.res.key)),
    evidence,
    notApplicable: outsideVpc(c),
    own: subnetsUnknown(c),
  };
}

export function naclOutboundHop(c: PathContext): HopSpec {
  return naclHop(c, true);
}

export function naclReturnHop(c: PathContext): HopSpec {
  return naclHop(c, false);
}
