/**
 * How a workload's S3 requests travel, subnet by subnet, and how the policies on the way judge one request: the
 * request context a request carries through an endpoint (or through NAT), and the bucket policy's decision on it.
 * One home for what several rules and explain need, so they judge the same request the same way.
 *
 * Internal: not exported from the package's index.
 */
import { GrantedBucket, GrantIndex, judgedEntries, roleArns, workloadRoles } from './grants';
import { ContextValue, evaluatePolicy, EvaluationResult } from './iam';
import type { Model } from './model';
import { isGateway, isS3Endpoint } from './s3-reach';
import { EndpointNode, isUnknown, RoleNode, SubnetNode, WorkloadNode } from './types';

/**
 * Where S3 requests from a subnet go: through an S3 `gateway` endpoint on the subnet's route table, an S3
 * `interface` endpoint with private DNS in its VPC, the `internet` (internet gateway or NAT: no endpoint, so no
 * `aws:SourceVpce`), another network (`transit`: transit gateway, peering, VPN), `none` (no route: a timeout), or
 * `unknown` (the route table or an endpoint's service is not resolved).
 */
export type S3Via = 'gateway' | 'interface' | 'internet' | 'transit' | 'none' | 'unknown';

export interface S3Route {
  readonly subnet: SubnetNode;
  readonly via: S3Via;
  /** The S3 endpoint the requests pass, for `gateway` and `interface`. */
  readonly endpoint?: EndpointNode;
  /** For `unknown`: what could not be resolved. */
  readonly what?: string;
}

/** The routes of a workload's subnets that the app defines (one per subnet). */
export function s3RoutesOf(m: Model, w: WorkloadNode): S3Route[] {
  const index = m.derive('s3-routes', () => new Map<WorkloadNode, S3Route[]>());
  let routes = index.get(w);
  if (!routes) {
    const seen = new Set<string>();
    routes = [];
    for (const subnet of w.subnets) {
      if (isUnknown(subnet) || seen.has(subnet.res.key)) continue;
      seen.add(subnet.res.key);
      routes.push(routeOf(subnet));
    }
    index.set(w, routes);
  }
  return routes;
}

function routeOf(subnet: SubnetNode): S3Route {
  const rt = subnet.routeTable;
  if (isUnknown(rt)) return { subnet, via: 'unknown', what: rt.what };
  const gateway = rt.gatewayEndpoints.find(ep => isGateway(ep) && isS3Endpoint(ep) === true);
  if (gateway) return { subnet, via: 'gateway', endpoint: gateway };
  const unsure = rt.gatewayEndpoints.find(ep => isGateway(ep) && isUnknown(isS3Endpoint(ep)));
  if (unsure) return { subnet, via: 'unknown', what: `the service of gateway endpoint ${unsure.res.path}` };
  const iface = isUnknown(subnet.vpc) ? undefined
    : subnet.vpc.endpoints.find(ep => ep.endpointType === 'Interface' && isS3Endpoint(ep) === true && privateDnsEnabled(ep));
  if (iface) return { subnet, via: 'interface', endpoint: iface };
  switch (subnet.wayOut) {
    case 'internet-gateway':
    case 'nat': return { subnet, via: 'internet' };
    case 'transit': return { subnet, via: 'transit' };
    case 'none': return { subnet, via: 'none' };
    default: return { subnet, via: 'unknown', what: `where route table ${rt.res.path} sends traffic to S3` };
  }
}

/** CloudFormation's default for `PrivateDnsEnabled` is false; CDK's `InterfaceVpcEndpoint` writes true. */
export function privateDnsEnabled(ep: EndpointNode): boolean {
  const v = ep.res.props.PrivateDnsEnabled;
  return v === true || v === 'true';
}

/** The id a request through an endpoint carries in `aws:SourceVpce`: an adopted endpoint's literal, else symbolic. */
export function endpointIdOf(m: Model, ep: EndpointNode): string {
  return ep.endpointId ?? m.values.symOfResource(ep.res);
}

/**
 * The request context of an S3 request through an endpoint (or through no endpoint): `aws:SourceVpce` and
 * `aws:SourceVpc` (and the endpoint's owner, `aws:VpceAccount`, `aws:VpceOrgID`) for endpoint requests, TLS, no AWS service acting for the caller, and the bucket's account.
 */
export function s3RequestContext(m: Model, ep: EndpointNode | undefined, bucket?: { account?: string }): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
    'aws:PrincipalIsAWSService': 'false',
  };
  if (ep) {
    ctx['aws:SourceVpce'] = endpointIdOf(m, ep);
    if (!isUnknown(ep.vpc)) ctx['aws:SourceVpc'] = m.values.symOfResource(ep.vpc.res);
    // the endpoint's owner: its stack's account; the organization of that account is never known to the app
    ctx['aws:VpceAccount'] = ep.res.stack.account ?? '{{AWS::AccountId}}';
    ctx['aws:VpceOrgID'] = '{{?}}';
  }
  if (bucket?.account) {
    ctx['aws:ResourceAccount'] = bucket.account;
    ctx['s3:ResourceAccount'] = bucket.account;
  }
  // the organization of a bucket's account is never known to the app (AWS-owned buckets, asked about without a
  // bucket, stay outside every customer organization)
  if (bucket) ctx['aws:ResourceOrgID'] = '{{?}}';
  return ctx;
}

/** How a bucket policy decides one request of a role: `deny` (explicit), `unsure` (depends on unresolved values), or `pass`. */
export interface PolicyVerdict {
  readonly kind: 'deny' | 'unsure' | 'pass';
  readonly result: EvaluationResult;
}

/**
 * Whether a bucket's policies explicitly deny a role's request (action on resource) through an endpoint (or none).
 * Only the Deny side is judged here: whether anything allows the request is the grant rules' question.
 */
export function bucketPolicyVerdict(
  m: Model, bucket: GrantedBucket, role: RoleNode, principals: readonly string[], action: string, resource: string,
  ep: EndpointNode | undefined,
): PolicyVerdict | undefined {
  const policies = bucket.node?.policies ?? [];
  if (policies.length === 0) return undefined;
  const account = role.res.stack.account ?? '{{AWS::AccountId}}';
  const context = s3RequestContext(m, ep, bucket);
  let best: PolicyVerdict | undefined;
  for (const p of policies) {
    const doc = m.symDoc(p.res, p.document);
    // the best outcome over the ARNs the role may be named by
    let mine: PolicyVerdict | undefined;
    for (const arn of principals) {
      const result = evaluatePolicy(doc, { action, resource, principal: { arn, account }, context });
      const kind = result.optimisticDecision === 'deny' ? 'deny' : result.decision === 'deny' ? 'unsure' : 'pass';
      const v: PolicyVerdict = { kind, result };
      if (!mine || RANK[v.kind] > RANK[mine.kind]) mine = v;
    }
    // across policies, the worst: any one policy's Deny denies
    if (mine && (!best || RANK[mine.kind] < RANK[best.kind])) best = mine;
  }
  return best;
}

const RANK = { deny: 0, unsure: 1, pass: 2 };

/** A request of a workload that a bucket policy denies (or may deny) when it comes through no endpoint. */
export interface EndpointOnlyDenial {
  readonly bucket: GrantedBucket;
  readonly action: string;
  readonly resource: string;
  readonly kind: 'deny' | 'unsure';
}

/**
 * The workload's granted core requests (GetObject, PutObject, ListBucket... on the buckets its roles are granted on)
 * that a bucket policy of the app denies when they come through no VPC endpoint: the bucket requires the endpoint (or
 * the VPC), so a path through NAT or an internet gateway gets 403.
 */
export function endpointOnlyDenials(m: Model, w: WorkloadNode): EndpointOnlyDenial[] {
  const index = m.derive('endpoint-only-denials', () => new Map<WorkloadNode, EndpointOnlyDenial[]>());
  let out = index.get(w);
  if (out) return out;
  out = [];
  const grants = GrantIndex.of(m);
  for (const role of workloadRoles(w)) {
    const principals = roleArns(m, role);
    for (const grant of grants.ofRole(role).byBucket.values()) {
      for (const e of judgedEntries(grant)) {
        if (!e.core || !e.probe) continue;
        const v = bucketPolicyVerdict(m, grant.bucket, role, principals, e.action, e.probe, undefined);
        if (v && v.kind !== 'pass') out.push({ bucket: grant.bucket, action: e.action, resource: e.probe, kind: v.kind });
      }
    }
  }
  index.set(w, out);
  return out;
}
