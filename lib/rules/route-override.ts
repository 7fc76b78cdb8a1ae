import type { Reporter, Rule } from './rule';
import { isPrivateIpv4 } from '../model/addresses';
import type { Model } from '../model/model';
import { cidrContains, parseCidr, s3Ipv4Cidrs, s3Ipv6Cidrs } from '../model/s3-ranges';
import { endpointRegion, isS3Endpoint, listText, routeTargetText } from '../model/s3-reach';
import { endpointOnlyDenials } from '../model/s3-routes';
import { s3UseOf } from '../model/s3-use';
import { EndpointNode, isUnknown, Maybe, ModelResource, RouteNode, RouteTableNode, unknown, WorkloadNode } from '../model/types';

/**
 * S3PA-RouteOverride: a static route on an endpoint-associated table that is as specific as (or more specific than)
 * one of S3's ranges wins over the endpoint's prefix-list route by longest prefix match. A route that only covers
 * S3's ranges with a shorter prefix (`0.0.0.0/0` included) loses to the prefix-list route and is compliant.
 */
export const routeOverride: Rule = {
  id: 'S3PA-RouteOverride',
  level: 'error',
  symptom: 'S3 traffic leaves through a NAT gateway, transit gateway or firewall instead of the gateway endpoint.',
  description: 'A static AWS::EC2::Route on a route table associated with an S3 gateway endpoint has a '
    + 'DestinationCidrBlock (or DestinationIpv6CidrBlock, for dualstack and ipv6 endpoints) inside one of S3\'s '
    + 'published ranges for the endpoint\'s region, with an equal or longer prefix, or a DestinationPrefixListId naming '
    + 'a customer-managed AWS::EC2::PrefixList of the app with such an entry: longest prefix match sends that S3 '
    + 'traffic to the route\'s target. Broader routes, 0.0.0.0/0 included, lose to the endpoint\'s prefix-list route. '
    + 'S3\'s ranges come from the bundled snapshot of ip-ranges.json; without a known region the route cannot be judged.',
  fix: 'remove the route, or narrow it so that no S3 range of the region falls under it',
  appliesWhen: 'A route table associated with an S3 gateway endpoint has a static route that takes S3 traffic away '
    + 'from it. An error when a workload on the table that uses S3 is granted on a bucket whose policy denies requests '
    + 'not through the endpoint (they get 403 on the other path); a warning otherwise: the traffic may still reach S3 '
    + '(through NAT, a firewall or another network), at a cost and outside the endpoint.',
  guard: 'Routes to private address space and routes less specific than S3\'s ranges (0.0.0.0/0 included) lose to '
    + 'the endpoint\'s prefix-list route and are never reported; a working detour is a warning, not an error.',
  hops: ['s3-route'],
  check(m: Model, report: Reporter): void {
    for (const rt of m.routeTables) {
      const endpoints = rt.gatewayEndpoints.filter(ep => isS3Endpoint(ep) === true);
      if (endpoints.length === 0) continue;
      for (const route of rt.routes) checkRoute(m, report, rt, endpoints, route);
    }
  },
};

/** The workloads on a route table's subnets whose granted requests a bucket policy denies when they miss the endpoint. */
function brokenBy(m: Model, rt: RouteTableNode): { workloads: WorkloadNode[]; buckets: string[] } {
  const subnets = new Set(rt.subnets.map(s => s.res.key));
  const workloads = m.workloads.filter(w => w.subnets.some(s => !isUnknown(s) && subnets.has(s.res.key))
    && s3UseOf(m, w).level === 'yes' && endpointOnlyDenials(m, w).some(d => d.kind === 'deny'));
  const buckets = new Set(workloads.flatMap(w => endpointOnlyDenials(m, w).filter(d => d.kind === 'deny')
    .map(d => d.bucket.node?.res.path ?? d.bucket.name)));
  return { workloads, buckets: [...buckets] };
}

interface Destination {
  /** The CIDR as written, or what could not be resolved. */
  readonly cidr: Maybe<string>;
  /** How the message names it: `10.0.0.0/8`, or `entry 52.218.0.0/24 of prefix list Stack/Pl`. */
  readonly label: string;
}

function checkRoute(m: Model, report: Reporter, rt: RouteTableNode, endpoints: EndpointNode[], route: RouteNode): void {
  const v6Endpoints = endpoints.filter(ep => ep.ipAddressType === 'dualstack' || ep.ipAddressType === 'ipv6');
  const dests: Destination[] = [];
  if (route.destinationCidrBlock !== undefined) dests.push(labelled(route.destinationCidrBlock));
  if (route.destinationIpv6CidrBlock !== undefined && v6Endpoints.length > 0) dests.push(labelled(route.destinationIpv6CidrBlock));
  if (route.destinationPrefixListId !== undefined) {
    const list = prefixListEntries(m, route.res);
    if (isUnknown(list)) {
      report.cannotJudge(route.res, `whether ${list.what}, the destination of route ${route.res.path} on route table `
        + `${rt.res.path}, overrides the S3 gateway endpoint's route`, { subjects: { routeTables: [rt.res.key] } });
      return;
    }
    dests.push(...list);
  }
  for (const dest of dests) {
    if (isUnknown(dest.cidr)) {
      report.cannotJudge(route.res, `the destination ${dest.cidr.what} of route ${route.res.path} on route table `
        + `${rt.res.path}, which S3 gateway endpoint ${listText(endpoints.map(ep => ep.res.path))} serves`, { subjects: { routeTables: [rt.res.key] } });
      continue;
    }
    const parsed = parseCidr(dest.cidr);
    if (!parsed || parsed.prefixLength === 0 || (parsed.family === 4 && isPrivateIpv4(dest.cidr))) continue;
    const served = parsed.family === 4 ? endpoints : v6Endpoints;
    if (served.length === 0) continue;
    const region = endpointRegion(served[0]);
    const ranges = region === undefined ? undefined : (parsed.family === 4 ? s3Ipv4Cidrs(region) : s3Ipv6Cidrs(region));
    if (ranges === undefined) {
      report.cannotJudge(route.res, `whether ${dest.label} of route ${route.res.path} overlaps S3's ranges: `
        + (region === undefined ? 'the region is unknown (environment-agnostic stack)' : `the snapshot has no S3 ranges for ${region}`),
      { subjects: { routeTables: [rt.res.key] } });
      continue;
    }
    const covering = ranges.filter(s3 => cidrContains(s3, dest.cidr as string));
    if (covering.length === 0) continue;
    const broken = brokenBy(m, rt);
    const message = `route ${route.res.path} on route table ${rt.res.path} sends ${dest.label} to `
      + `${routeTargetText(route)}; that is as specific as or more specific than S3 range ${listText(covering)} of `
      + `${region}, so it wins over the prefix-list route of S3 gateway endpoint `
      + `${listText(served.map(ep => ep.res.path))} by longest prefix match`;
    const subjects = { routeTables: [rt.res.key], endpoints: served.map(ep => ep.res.key) };
    if (broken.workloads.length > 0) {
      report.fail(route.res, `${message}: requests of ${listText(broken.workloads.map(w => w.res.path))} to those `
        + `addresses miss the endpoint, and the bucket policy of ${listText(broken.buckets)} denies them (403)`,
      { subjects: { ...subjects, workloads: broken.workloads.map(w => w.res.key) } });
    } else {
      report.warn(route.res, `${message}: S3 traffic to those addresses leaves the endpoint's path (it may still reach S3, `
        + 'at a cost and outside the endpoint)', { subjects });
    }
  }
}

function labelled(cidr: Maybe<string>): Destination {
  return { cidr, label: isUnknown(cidr) ? cidr.what : cidr };
}

/** The entries of a customer-managed prefix list of the app, or Unknown when the list is not in the app. */
function prefixListEntries(m: Model, route: ModelResource): Maybe<Destination[]> {
  const value = route.props.DestinationPrefixListId;
  const list = m.target(route, value);
  if (list?.type !== 'AWS::EC2::PrefixList') {
    const id = m.str(route, value);
    return unknown(`prefix list ${isUnknown(id) ? id.what : `${id} (not defined in the app)`}`);
  }
  const entries = Array.isArray(list.props.Entries) ? list.props.Entries : [];
  return entries.map((e: any): Destination => {
    const cidr = m.str(list, e?.Cidr);
    return { cidr, label: `entry ${isUnknown(cidr) ? cidr.what : cidr} of prefix list ${list.path}` };
  });
}

