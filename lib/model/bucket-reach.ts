import type { Model } from './model';
import { listOf } from './network';
import { coversS3, effectOf, statementsOfDoc } from './policy-conditions';
import { isGateway, isS3Endpoint } from './s3-reach';
import { BucketNode, EndpointNode, ExternalBucketRef, isUnknown, RoleNode, VpcNode, WorkloadNode } from './types';

/**
 * Which workloads of the app are granted on a bucket (through their roles' identity policies), and through which S3
 * endpoints those workloads reach S3. Computed once per model and kept in a WeakMap.
 */

export interface BucketReach {
  /** The workloads whose roles have an Allow on S3 actions for the bucket (or its objects). */
  readonly workloads: WorkloadNode[];
}

/** A workload's way to S3 through endpoints of the app. */
export interface WorkloadS3Path {
  /** S3 gateway endpoints on the route tables of the workload's subnets. */
  readonly gateway: EndpointNode[];
  /** S3 interface endpoints in the workload's VPCs. */
  readonly interface: EndpointNode[];
  /** The workload's VPCs, when its subnets are in the app. */
  readonly vpcs: VpcNode[];
}

interface Cache {
  /** Per workload: the bucket-name patterns its roles are granted on (`*` wildcards kept). */
  readonly grants: Map<WorkloadNode, string[]>;
  readonly paths: Map<WorkloadNode, WorkloadS3Path>;
  readonly byPolicy: Map<string, WorkloadNode[]>;
}

const caches = new WeakMap<Model, Cache>();

function cacheOf(m: Model): Cache {
  let c = caches.get(m);
  if (!c) {
    c = { grants: new Map(), paths: new Map(), byPolicy: new Map() };
    for (const w of m.workloads) {
      c.grants.set(w, grantedBucketPatterns(m, w));
      for (const role of w.roles) {
        for (const pol of role.policies) {
          const list = c.byPolicy.get(pol.res.key) ?? [];
          if (!list.includes(w)) list.push(w);
          c.byPolicy.set(pol.res.key, list);
        }
      }
    }
    caches.set(m, c);
  }
  return c;
}

/** The name the model gives a bucket in symbolic policies: its literal name, or `{{stack/logicalId}}`. */
export function bucketSymName(m: Model, bucket: BucketNode | ExternalBucketRef): string {
  return 'res' in bucket ? m.values.symOfResource(bucket.res) : bucket.name;
}

/** A readable name for messages: the construct path of a bucket of the app, or the external name. */
export function bucketLabel(bucket: BucketNode | ExternalBucketRef): string {
  return 'res' in bucket ? bucket.res.path : `bucket ${bucket.name}`;
}

/** The workloads granted on a bucket. */
export function workloadsGrantedOn(m: Model, bucket: BucketNode | ExternalBucketRef): WorkloadNode[] {
  const name = bucketSymName(m, bucket);
  const out: WorkloadNode[] = [];
  for (const [w, patterns] of cacheOf(m).grants) {
    if (patterns.some(p => globMatch(p, name))) out.push(w);
  }
  return out;
}

/** Identity policy resource key (`AWS::IAM::Policy`, a role with inline policies...) → the workloads whose roles carry it. */
export function workloadsByPolicy(m: Model): Map<string, WorkloadNode[]> {
  return cacheOf(m).byPolicy;
}

/** The S3 endpoints of the app a workload reaches S3 through. */
export function s3PathOf(m: Model, w: WorkloadNode): WorkloadS3Path {
  const cache = cacheOf(m);
  const known = cache.paths.get(w);
  if (known) return known;
  const gateway = new Set<EndpointNode>();
  const iface = new Set<EndpointNode>();
  const vpcs = new Set<VpcNode>();
  for (const subnet of w.subnets) {
    if (isUnknown(subnet)) continue;
    if (!isUnknown(subnet.vpc)) vpcs.add(subnet.vpc);
    if (isUnknown(subnet.routeTable)) continue;
    for (const ep of subnet.routeTable.gatewayEndpoints) if (isGateway(ep) && isS3Endpoint(ep) === true) gateway.add(ep);
  }
  for (const vpc of vpcs) {
    for (const ep of vpc.endpoints) if (ep.endpointType === 'Interface' && isS3Endpoint(ep) === true) iface.add(ep);
  }
  const path = { gateway: [...gateway], interface: [...iface], vpcs: [...vpcs] };
  cache.paths.set(w, path);
  return path;
}

function grantedBucketPatterns(m: Model, w: WorkloadNode): string[] {
  return w.roles.flatMap(role => roleBucketPatterns(m, role));
}

/** Whether a role's identity policies allow S3 actions on the bucket (or its objects). */
export function roleGrantedOn(m: Model, role: RoleNode, bucket: BucketNode | ExternalBucketRef): boolean {
  const name = bucketSymName(m, bucket);
  return roleBucketPatterns(m, role).some(p => globMatch(p, name));
}

const ROLE_PATTERNS = new WeakMap<RoleNode, string[]>();

/** The bucket-name patterns (wildcards kept) that a role's identity policies allow S3 actions on; read once per role. */
function roleBucketPatterns(m: Model, role: RoleNode): string[] {
  const cached = ROLE_PATTERNS.get(role);
  if (cached) return cached;
  const out: string[] = [];
  for (const p of role.policies) {
    const doc = m.symDoc(p.res, p.document);
    for (const st of statementsOfDoc(doc)) {
      if (effectOf(st) !== 'allow' || !coversS3(st)) continue;
      for (const r of listOf(st.Resource)) {
        if (typeof r !== 'string') continue;
        if (r === '*') out.push('*');
        const at = r.indexOf(':s3:::');
        if (at >= 0) out.push(bucketPart(r.slice(at + ':s3:::'.length)));
      }
    }
  }
  ROLE_PATTERNS.set(role, out);
  return out;
}

/** The bucket part of an S3 ARN's resource (`name/key` → `name`), keeping symbolic `{{stack/logicalId}}` names whole. */
function bucketPart(resource: string): string {
  if (resource.startsWith('{{')) {
    const end = resource.indexOf('}}');
    if (end >= 0) return resource.slice(0, end + 2);
  }
  return resource.split('/')[0];
}

/** IAM-style glob: `*` any run, `?` one character; everything else literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(`^${pattern.split('').map(ch => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(value);
}
