/**
 * Which workloads of the app are granted on a bucket (through their roles' identity policies, as the grant index
 * reads them), and through which S3 endpoints a workload reaches S3. Derived indexes of the model, built on demand.
 *
 * Internal: not exported from the package's index.
 */
import { GrantIndex, workloadRoles } from './grants';
import type { Model } from './model';
import { isS3Endpoint } from './s3-reach';
import { s3RoutesOf } from './s3-routes';
import { BucketNode, EndpointNode, ExternalBucketRef, isUnknown, RoleNode, VpcNode, WorkloadNode } from './types';

/** A workload's way to S3 through endpoints of the app. */
export interface WorkloadS3Path {
  /** S3 gateway endpoints on the route tables of the workload's subnets. */
  readonly gateway: EndpointNode[];
  /** S3 interface endpoints in the workload's VPCs. */
  readonly interface: EndpointNode[];
  /** The workload's VPCs, when its subnets are in the app. */
  readonly vpcs: VpcNode[];
}

/** The name the model gives a bucket in symbolic policies: its literal name, or `{{stack/logicalId}}`. */
export function bucketSymName(m: Model, bucket: BucketNode | ExternalBucketRef): string {
  return 'res' in bucket ? m.values.symOfResource(bucket.res) : bucket.name;
}

/** A readable name for messages: the construct path of a bucket of the app, or the external name. */
export function bucketLabel(bucket: BucketNode | ExternalBucketRef): string {
  return 'res' in bucket ? bucket.res.path : `bucket ${bucket.name}`;
}

/** The grant index's key of a bucket: its resource key, or `external:<name>`. */
function bucketKey(bucket: BucketNode | ExternalBucketRef): string {
  return 'res' in bucket ? bucket.res.key : `external:${bucket.name}`;
}

/** Whether a role's identity policies allow S3 actions on the bucket (or its objects). */
export function roleGrantedOn(m: Model, role: RoleNode, bucket: BucketNode | ExternalBucketRef): boolean {
  return GrantIndex.of(m).ofRole(role).byBucket.has(bucketKey(bucket));
}

/** The workloads granted on a bucket. */
export function workloadsGrantedOn(m: Model, bucket: BucketNode | ExternalBucketRef): WorkloadNode[] {
  return m.workloads.filter(w => workloadRoles(w).some(role => roleGrantedOn(m, role, bucket)));
}

/** Identity policy resource key (`AWS::IAM::Policy`, a role with inline policies...) → the workloads whose roles carry it. */
export function workloadsByPolicy(m: Model): Map<string, WorkloadNode[]> {
  return m.derive('workloads-by-policy', () => {
    const out = new Map<string, WorkloadNode[]>();
    for (const w of m.workloads) {
      for (const role of w.roles) {
        for (const pol of role.policies) {
          const list = out.get(pol.res.key) ?? [];
          if (!list.includes(w)) list.push(w);
          out.set(pol.res.key, list);
        }
      }
    }
    return out;
  });
}

/** The S3 endpoints of the app a workload reaches S3 through. */
export function s3PathOf(m: Model, w: WorkloadNode): WorkloadS3Path {
  const index = m.derive('s3-paths', () => new Map<WorkloadNode, WorkloadS3Path>());
  let path = index.get(w);
  if (!path) {
    const gateway = new Set<EndpointNode>();
    const iface = new Set<EndpointNode>();
    const vpcs = new Set<VpcNode>();
    for (const route of s3RoutesOf(m, w)) {
      if (!isUnknown(route.subnet.vpc)) vpcs.add(route.subnet.vpc);
      if (route.via === 'gateway' && route.endpoint) gateway.add(route.endpoint);
    }
    for (const vpc of vpcs) {
      for (const ep of vpc.endpoints) if (ep.endpointType === 'Interface' && isS3Endpoint(ep) === true) iface.add(ep);
    }
    path = { gateway: [...gateway], interface: [...iface], vpcs: [...vpcs] };
    index.set(w, path);
  }
  return path;
}
