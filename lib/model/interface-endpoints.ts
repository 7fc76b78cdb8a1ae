/**
 * How an S3 interface endpoint takes (or does not take) a VPC's S3 requests: its private DNS mode, whether a
 * workload calls endpoint-specific names instead of S3's default ones, and which Deny statements on `aws:SourceVpce`
 * name an interface endpoint while the request really takes a gateway endpoint's route. Shared by the rules that
 * judge interface endpoints, and by S3PA-SourceVpceValue, so one fault is reported once.
 *
 * Internal: not exported from the package's index.
 */
import { listOf } from './helpers';
import type { Model } from './model';
import { RequestDenial, requestDenials } from './request-denials';
import { isS3Endpoint } from './s3-reach';
import { endpointIdOf } from './s3-routes';
import { rawEnvironment } from './s3-use';
import { EndpointNode, isUnknown, Maybe, unknown, VpcNode, WorkloadNode } from './types';

/**
 * How an interface endpoint answers S3's default names (`s3.<region>.amazonaws.com`, `bucket.s3...`) in its VPC:
 * `off` (PrivateDnsEnabled false, CloudFormation's default: the names resolve to S3's public addresses), `all` (private
 * DNS for every resolver: in-VPC requests go to the endpoint), `inbound-only` (`OnlyInboundResolver`: in-VPC requests
 * take the gateway endpoint, on-premises ones the interface endpoint), `unspecified` (private DNS on, the
 * inbound-only option left to AWS's default).
 */
export type PrivateDnsMode = 'off' | 'all' | 'inbound-only' | 'unspecified';

export function privateDnsMode(m: Model, ep: EndpointNode): Maybe<PrivateDnsMode> {
  const enabled = m.bool(ep.res, ep.res.props.PrivateDnsEnabled);
  if (isUnknown(enabled)) return unknown(`PrivateDnsEnabled of endpoint ${ep.res.path} (${enabled.what})`);
  if (enabled !== true) return 'off';
  const raw = ep.res.props.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint;
  if (raw === undefined) return 'unspecified';
  const v = m.str(ep.res, raw);
  if (isUnknown(v)) return unknown(`PrivateDnsOnlyForInboundResolverEndpoint of endpoint ${ep.res.path} (${v.what})`);
  if (v === 'OnlyInboundResolver' || v === 'true') return 'inbound-only';
  if (v === 'AllResolvers' || v === 'false') return 'all';
  return 'unspecified';
}

/**
 * A Route 53 private hosted zone of the app, associated with the VPC, that answers S3's names (`s3.<region>.amazonaws.com`
 * or a zone above it): the pattern that pointed S3's names at an interface endpoint before private DNS existed.
 */
export function privateS3Zone(m: Model, vpc: VpcNode): string | undefined {
  for (const zone of m.ofType('AWS::Route53::HostedZone')) {
    const name = m.str(zone, zone.props.Name);
    if (typeof name !== 'string') continue;
    const regional = /^s3\.([a-z0-9-]+)\.amazonaws\.com\.?$/i.exec(name);
    const region = vpc.res.stack.region;
    const covers = /^amazonaws\.com\.?$/i.test(name) || (regional !== null && (region === undefined || regional[1] === region));
    if (!covers) continue;
    if (listOf(zone.props.VPCs).some(v => m.target(zone, v?.VPCId)?.key === vpc.res.key)) return zone.path;
  }
  return undefined;
}

/** Whether an endpoint is an S3 interface endpoint (its service read with the model's one S3 test). */
export function isS3Interface(ep: EndpointNode): boolean {
  return ep.endpointType === 'Interface' && isS3Endpoint(ep) === true;
}

/** Environment names the SDKs and the CLI read for a custom S3 endpoint URL. */
const ENDPOINT_URL_VARS = /^AWS_ENDPOINT_URL(?:_S3)?$/i;

/**
 * Whether a workload's environment points its S3 client at an endpoint-specific name: `AWS_ENDPOINT_URL(_S3)`, a
 * value naming `vpce.amazonaws.com` (the interface endpoint's own DNS names), or a reference to an endpoint's
 * `DnsEntries`. Such a workload does not depend on private DNS.
 */
export function callsEndpointNames(m: Model, w: WorkloadNode): boolean {
  for (const e of rawEnvironment(w)) {
    if (ENDPOINT_URL_VARS.test(e.name)) return true;
    if (/vpce(?:-[a-z0-9]+)?\.(?:[a-z0-9-]+\.)*amazonaws\.com/i.test(m.sym(e.from, e.raw))) return true;
    // CDK's vpcEndpointDnsEntries, usually inside Fn::Select / Fn::Split
    if (/"Fn::GetAtt":\["[^"]+","DnsEntries"\]|"Fn::GetAtt":"[^"]+\.DnsEntries"/.test(JSON.stringify(e.raw ?? null))) return true;
  }
  return false;
}

/**
 * A denial of a request that takes an S3 gateway endpoint's route by a bucket-policy Deny on `aws:SourceVpce` whose
 * values name S3 interface endpoints of the app (and not that gateway endpoint): the policy expects the interface
 * endpoint, the request carries the gateway endpoint's id.
 */
export interface InterfaceOnlyDenial {
  readonly denial: RequestDenial;
  /** The S3 interface endpoints the Deny's aws:SourceVpce values name. */
  readonly interfaces: EndpointNode[];
}

export function interfaceOnlyDenials(m: Model): InterfaceOnlyDenial[] {
  return m.derive('interface-only-denials', () => {
    const byId = new Map<string, EndpointNode>();
    for (const ep of m.endpoints) if (isS3Interface(ep)) byId.set(endpointIdOf(m, ep), ep);
    const out: InterfaceOnlyDenial[] = [];
    if (byId.size === 0) return out;
    for (const d of requestDenials(m)) {
      if (d.route.via !== 'gateway' || !d.route.endpoint || d.policy.type !== 'AWS::S3::BucketPolicy') continue;
      const values = d.statements.flatMap(s => s.conditions.filter(c => c.key === 'aws:sourcevpce').flatMap(c => c.values));
      const interfaces = [...new Set(values.map(v => byId.get(v)).filter((ep): ep is EndpointNode => ep !== undefined))];
      if (interfaces.length > 0) out.push({ denial: d, interfaces });
    }
    return out;
  });
}

/** Whether a denial is one of {@link interfaceOnlyDenials} (S3PA-InterfaceVpceRequired reports it). */
export function isInterfaceOnlyDenial(m: Model, d: RequestDenial): boolean {
  return interfaceOnlyDenials(m).some(x => x.denial === d);
}
