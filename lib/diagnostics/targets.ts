/**
 * Finds the workload and the bucket that `explain` is asked about, by construct path, logical id or name, and the
 * request (action and resource ARN) to judge.
 *
 * Internal: not exported from the package's index.
 */
import { awsOwnedSetOfBucket } from '../aws/aws-owned-buckets';
import { AccessPointNode, accessPointsOf } from '../model/access-points';
import { BUCKET_ACTIONS, GrantIndex, judgedEntries, workloadRoles } from '../model/grants';
import { listOf } from '../model/helpers';
import { actionMatches } from '../model/iam';
import type { Model } from '../model/model';
import { statementsOfDoc } from '../model/policy-conditions';
import { BucketNode, WorkloadNode } from '../model/types';

/** The bucket of a path: one of the app, or one known by name only. */
export interface BucketTarget {
  /** The bucket resource when it is in the app. */
  readonly node?: BucketNode;
  /** The name policies use: literal, or symbolic `{{<stack>/<logicalId>}}` for a generated name. */
  readonly name: string;
  /** For messages: the construct path, or `bucket <name>`. */
  readonly label: string;
  /** The AWS-owned set the bucket belongs to (e.g. `AwsOwnedBuckets.ECR_LAYERS`), for buckets AWS owns. */
  readonly awsOwned?: string;
  /** The bucket's account, when known. */
  readonly account?: string;
  /** When the request addresses an access point of the app (`--bucket` named it): its key, path and ARN. */
  readonly accessPoint?: { readonly key: string; readonly path: string; readonly arn: string };
}

/** The request of a path. */
export interface PathRequest {
  readonly action: string;
  /** The resource ARN (symbolic bucket name for generated names). */
  readonly resource: string;
  /** Whether the action acts on objects (else on the bucket). */
  readonly objectAction: boolean;
}

const KINDS: Record<string, string> = {
  'lambda': 'Lambda function',
  'ecs-service': 'ECS service',
  'ec2-instance': 'EC2 instance',
  'autoscaling-group': 'Auto Scaling group',
  'batch': 'Batch compute environment',
  'launch-template': 'launch template',
};

/** A workload by construct path (its own or a construct above it), logical id, `<stack>/<logicalId>` or name. */
export function findWorkload(m: Model, from: string): WorkloadNode {
  const wanted = from.replace(/^\//, '');
  if (m.workloads.length === 0) {
    throw new Error(`the app has no workload to explain a path from (looked for '${from}'): it defines no Lambda function, `
      + 'ECS service, EC2 instance, Auto Scaling group or Batch compute environment');
  }
  let found = m.workloads.filter(w => namesOf(m, w).includes(wanted));
  if (found.length === 0) found = m.workloads.filter(w => pathsOf(w).some(p => p.startsWith(`${wanted}/`)));
  if (found.length === 0) found = m.workloads.filter(w => pathsOf(w).some(p => endsWithId(p, wanted)));
  if (found.length === 1) return found[0];
  const list = (found.length > 1 ? found : m.workloads).map(w => `${w.res.path} (${KINDS[w.kind] ?? w.kind}, logical id ${w.res.logicalId})`);
  if (found.length > 1) {
    throw new Error(`workload '${from}' is ambiguous: pass the construct path or logical id of one of ${list.join(', ')}`);
  }
  throw new Error(`unknown workload '${from}': pass the construct path or logical id of one of ${list.join(', ')}`);
}

/** Whether a construct path ends with the given construct id (or ids), e.g. `Worker` for `Stack/Worker/Resource`. */
function endsWithId(constructPath: string, id: string): boolean {
  return constructPath.endsWith(`/${id}`) || constructPath.endsWith(`/${id}/Resource`);
}

function pathsOf(w: WorkloadNode): string[] {
  return [w.res.path, ...(w.definition ? [w.definition.path] : [])].map(p => p.replace(/^\//, ''));
}

function namesOf(m: Model, w: WorkloadNode): string[] {
  const out = [...pathsOf(w), w.res.logicalId, w.res.key];
  if (w.definition) out.push(w.definition.logicalId, w.definition.key);
  for (const p of pathsOf(w)) if (p.endsWith('/Resource')) out.push(p.slice(0, -'/Resource'.length));
  for (const prop of ['FunctionName', 'ServiceName', 'AutoScalingGroupName', 'ComputeEnvironmentName']) {
    const name = w.res.props[prop] === undefined ? undefined : m.str(w.res, w.res.props[prop]);
    if (typeof name === 'string') out.push(name);
  }
  return out;
}

/**
 * A bucket by construct path, logical id or literal name; an access point of the app (requests then address its
 * ARN); or, by name, an AWS-owned bucket (ECR layers, Amazon Linux
 * repositories, SSM) or a bucket outside the app that the workload's roles are granted on.
 */
export function findBucket(m: Model, value: string, w: WorkloadNode): BucketTarget {
  const wanted = value.replace(/^\//, '');
  const names = (b: BucketNode) => {
    const out = [b.res.path, b.res.logicalId, b.res.key];
    if (b.res.path.endsWith('/Resource')) out.push(b.res.path.slice(0, -'/Resource'.length));
    if (typeof b.bucketName === 'string') out.push(b.bucketName);
    return out;
  };
  let found = m.buckets.filter(b => names(b).includes(wanted));
  if (found.length === 0) found = m.buckets.filter(b => b.res.path.startsWith(`${wanted}/`));
  if (found.length === 0) found = m.buckets.filter(b => endsWithId(b.res.path, wanted));
  if (found.length === 1) {
    const b = found[0];
    return { node: b, name: m.values.symOfResource(b.res), label: b.res.path, account: b.res.stack.account };
  }
  const list = (found.length > 1 ? found : m.buckets).map(b => `${b.res.path} (logical id ${b.res.logicalId})`);
  if (found.length > 1) throw new Error(`bucket '${value}' is ambiguous: pass the construct path or logical id of one of ${list.join(', ')}`);
  const ap = findAccessPoint(m, wanted);
  if (ap) return ap;

  const owned = awsOwnedSetOfBucket(value, w.res.stack.region);
  if (owned) return { name: value, label: `bucket ${value}`, awsOwned: owned.label };
  const grants = GrantIndex.of(m);
  for (const role of workloadRoles(w)) {
    const grant = grants.ofRole(role).byBucket.get(`external:${value}`);
    if (grant) return { name: value, label: `bucket ${value}`, account: grant.bucket.account };
  }
  const candidates = list.length > 0 ? `one of ${list.join(', ')}` : 'a bucket (the app defines none)';
  throw new Error(`unknown bucket '${value}': pass the construct path, logical id or name of ${candidates}; `
    + `or the name of a bucket outside the app that ${w.res.path} is granted on, or of an AWS-owned bucket such as `
    + `prod-${w.res.stack.region ?? '<region>'}-starport-layer-bucket`);
}

/** An access point of the app by construct path, logical id or literal name: requests address its ARN. */
function findAccessPoint(m: Model, wanted: string): BucketTarget | undefined {
  const names = (ap: AccessPointNode) => {
    const out = [ap.res.path, ap.res.logicalId, ap.res.key];
    if (typeof ap.res.props.Name === 'string') out.push(ap.res.props.Name);
    return out;
  };
  const found = accessPointsOf(m).filter(ap => names(ap).includes(wanted));
  if (found.length !== 1) return undefined;
  const ap = found[0];
  const node = m.bucket(ap.bucket);
  return {
    node,
    name: node ? m.values.symOfResource(node.res) : String(m.sym(ap.res, ap.res.props.Bucket)),
    label: `access point ${ap.res.path}`,
    account: ap.res.stack.account,
    accessPoint: { key: ap.res.key, path: ap.res.path, arn: ap.arn },
  };
}

/** A request through an access point: its ARN, or an object ARN under it inside the role's grant by default. */
function accessPointRequest(m: Model, w: WorkloadNode, arn: string, action: string, objectAction: boolean, key: string | undefined): PathRequest {
  if (!objectAction) return { action, resource: arn, objectAction };
  if (key !== undefined) return { action, resource: `${arn}/object/${key.replace(/^\//, '')}`, objectAction };
  for (const role of workloadRoles(w)) {
    for (const source of role.policies) {
      for (const st of statementsOfDoc(m.symDoc(source.res, source.document))) {
        const pattern = listOf(st.Resource).find(r => typeof r === 'string' && r.startsWith(`${arn}/object/`));
        if (st.Effect === 'Allow' && pattern) return { action, resource: pattern.replace(/[*?].*$/, 's3pa-probe'), objectAction };
      }
    }
  }
  return { action, resource: `${arn}/object/s3pa-probe`, objectAction };
}

/** The request: the action (checked to be an S3 action) and the resource ARN, a key inside the role's grant by default. */
export function requestOf(m: Model, w: WorkloadNode, bucket: BucketTarget, action: string, key: string | undefined): PathRequest {
  if (!/^s3:[A-Za-z]+$/.test(action)) {
    throw new Error(`invalid action '${action}': pass one S3 action without wildcards, such as s3:GetObject, s3:PutObject or s3:ListBucket`);
  }
  const objectAction = !BUCKET_ACTIONS.some(a => a.toLowerCase() === action.toLowerCase()) && !/Bucket/.test(action);
  if (bucket.accessPoint) return accessPointRequest(m, w, bucket.accessPoint.arn, action, objectAction, key);
  const partition = bucket.node?.res.stack.partition ?? w.res.stack.partition;
  const base = `arn:${partition}:s3:::${bucket.name}`;
  if (!objectAction) return { action, resource: base, objectAction };
  if (key !== undefined) return { action, resource: `${base}/${key.replace(/^\//, '')}`, objectAction };
  const grants = GrantIndex.of(m);
  for (const role of workloadRoles(w)) {
    const grant = grants.ofRole(role).byBucket.get(bucket.node ? bucket.node.res.key : `external:${bucket.name}`);
    const entries = grant ? judgedEntries(grant).filter(e => e.on === 'object') : [];
    const entry = entries.find(e => actionMatches(e.action, action)) ?? entries[0];
    const arn = grant && entry ? entry.probe : undefined;
    if (arn) return { action, resource: arn.replace(/^arn:aws:/, `arn:${partition}:`), objectAction };
  }
  return { action, resource: `${base}/s3pa-probe`, objectAction };
}
