import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isS3Endpoint, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { BucketNode, EndpointNode, isUnknown, ModelResource, WorkloadNode } from '../model/types';

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
/** A regional S3 host name: `s3.<region>.`, `s3-<region>.`, `s3.dualstack.<region>.`, `s3-accesspoint.<region>.`... */
const REGIONAL_S3_HOST = /(?:^|[./@])s3(?:-accesspoint|-control|-fips)?(?:\.dualstack)?[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com/g;
const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'];

/**
 * S3PA-RegionMismatch: an S3 endpoint, a bucket or a workload's SDK region that is not the region the workload's
 * stack deploys to. A gateway endpoint only carries traffic to S3 in its own region.
 */
export const regionMismatch: Rule = {
  id: 'S3PA-RegionMismatch',
  level: 'error',
  symptom: 'S3 calls time out, get a 301 redirect, or fail with 400 (wrong region).',
  description: 'An S3 (or S3 Express) endpoint\'s ServiceName names another region than its stack\'s (interface '
    + 'endpoints with an explicit ServiceRegion are deliberate cross-region endpoints and are left alone); or a '
    + 'workload whose VPC has an S3 endpoint uses a bucket of another region: a regional S3 host name of another '
    + 'region in its environment (what `Bucket.fromBucketAttributes(..., { region })` leaves in `bucketRegionalDomainName`; '
    + 'the imported region itself leaves no trace in the template, so other uses of such a bucket are judged by the '
    + 'construct at construction time), or a bucket of the app, named in its roles\' policies, whose stack deploys to '
    + 'another region; or a workload\'s AWS_REGION / AWS_DEFAULT_REGION differs from its stack\'s region. An '
    + 'environment-agnostic stack cannot be judged.',
  fix: 'use the same region: create the endpoint with the stack\'s region (`com.amazonaws.<region>.s3`), keep the bucket '
    + 'in the workload\'s region (or reach it through a regional endpoint of its own region), and drop or correct '
    + 'AWS_REGION / AWS_DEFAULT_REGION',
  check(m: Model, report: Reporter): void {
    for (const ep of m.endpoints) checkEndpoint(report, ep);
    const bucketsByKey = new Map<string, BucketNode>(m.buckets.map(b => [b.res.key, b]));
    for (const w of m.workloads) {
      checkRegionVariables(m, report, w);
      if (viaS3Endpoint(w)) checkBucketRegions(m, report, w, bucketsByKey);
    }
  },
};

function checkEndpoint(report: Reporter, ep: EndpointNode): void {
  const { res, serviceRegion } = ep;
  if (typeof serviceRegion !== 'string') return; // `${AWS::Region}` or unreadable: the same region by construction
  const s3 = isS3Endpoint(ep);
  if (s3 !== true && ep.service !== 's3express') return;
  if (ep.endpointType === 'Interface' && res.props.ServiceRegion !== undefined) return;
  const region = res.stack.region;
  if (region === undefined) {
    report.cannotJudge(res, `whether ${ep.serviceName as string} of endpoint ${res.path} is in the stack's region: `
      + `the stack ${res.stack.id} is environment-agnostic`);
  } else if (serviceRegion !== region) {
    report.fail(res, `endpoint ${res.path} serves ${ep.serviceName as string} (${serviceRegion}) but its stack `
      + `deploys to ${region}: a gateway endpoint only reaches S3 in its own region`);
  }
}

function checkRegionVariables(m: Model, report: Reporter, w: WorkloadNode): void {
  const region = w.res.stack.region;
  for (const { name, from, raw } of rawEnvironment(w)) {
    if (!REGION_VARIABLES.includes(name)) continue;
    const value = m.sym(from, raw);
    if (value === '{{AWS::Region}}' || value === region) continue;
    if (!REGION.test(value)) {
      report.cannotJudge(w.res, `${name} of ${w.res.path}: ${value.includes('{{') ? JSON.stringify(raw) : value} is not a literal region`);
    } else if (region === undefined) {
      report.cannotJudge(w.res, `whether ${name}=${value} of ${w.res.path} is the stack's region: the stack `
        + `${w.res.stack.id} is environment-agnostic`);
    } else {
      report.fail(w.res, `${w.res.path} sets ${name}=${value} but runs in ${region}: its SDK calls S3 in ${value}, `
        + 'which the VPC\'s S3 endpoint does not serve');
    }
  }
}

function checkBucketRegions(m: Model, report: Reporter, w: WorkloadNode, bucketsByKey: Map<string, BucketNode>): void {
  const region = w.res.stack.region;
  for (const { name, from, raw } of rawEnvironment(w)) {
    const value = m.sym(from, raw);
    for (const match of value.matchAll(REGIONAL_S3_HOST)) {
      const other = match[1];
      if (region === undefined) {
        report.cannotJudge(w.res, `whether ${name}=${value} of ${w.res.path} names S3 in the stack's region: the stack `
          + `${w.res.stack.id} is environment-agnostic`);
      } else if (other !== region) {
        report.fail(w.res, `${w.res.path} runs in ${region} behind an S3 endpoint but ${name}=${value} names S3 in `
          + `${other}: the endpoint only reaches buckets of ${region}`);
      }
    }
  }
  if (region === undefined) return;
  for (const role of w.roles) {
    for (const policy of role.policies) {
      for (const bucket of bucketsNamed(m, policy.res, policy.document, bucketsByKey)) {
        const bucketRegion = bucket.res.stack.region;
        if (bucketRegion === undefined || bucketRegion === region) continue;
        report.fail(w.res, `${w.res.path} runs in ${region} behind an S3 endpoint, but its role ${role.res.path} is `
          + `granted on bucket ${bucket.res.path}, whose stack deploys to ${bucketRegion}: the endpoint only reaches `
          + `buckets of ${region}`);
      }
    }
  }
}

/** Buckets of the app that a policy's Resource entries name, by literal name or by reference. */
function bucketsNamed(m: Model, from: ModelResource, document: any, bucketsByKey: Map<string, BucketNode>): BucketNode[] {
  const doc = m.symDoc(from, document);
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  const out = new Set<BucketNode>();
  for (const st of statements) {
    const resources = Array.isArray(st?.Resource) ? st.Resource : [st?.Resource];
    for (const arn of resources) {
      const match = typeof arn === 'string' ? /^arn:[^:]*:s3:::([^/]+)/.exec(arn) : null;
      if (!match) continue;
      const key = /^\{\{(.+)\}\}$/.exec(match[1])?.[1];
      const bucket = key !== undefined ? bucketsByKey.get(key) : m.bucketByName(match[1]);
      if (bucket) out.add(bucket);
    }
  }
  return [...out];
}

/** Whether the workload runs in a VPC with an S3 endpoint, so that other regions' S3 is out of reach. */
function viaS3Endpoint(w: WorkloadNode): boolean {
  return workloadSubnets(w).known.some(s => {
    if (isUnknown(s.vpc)) return false;
    const eps = s3EndpointsOf(s.vpc);
    return eps.gateway.length > 0 || eps.interface.length > 0;
  });
}

/** The workload's environment variables as written: Lambda `Environment.Variables`, ECS containers' `Environment`. */
function rawEnvironment(w: WorkloadNode): Array<{ name: string; from: ModelResource; raw: any }> {
  const out: Array<{ name: string; from: ModelResource; raw: any }> = [];
  if (w.kind === 'lambda') {
    const vars = w.res.props.Environment?.Variables;
    if (vars && typeof vars === 'object') for (const [name, raw] of Object.entries(vars)) out.push({ name, from: w.res, raw });
  } else if (w.kind === 'ecs-service' && w.definition) {
    const containers = Array.isArray(w.definition.props.ContainerDefinitions) ? w.definition.props.ContainerDefinitions : [];
    for (const c of containers) {
      for (const e of Array.isArray(c?.Environment) ? c.Environment : []) {
        if (typeof e?.Name === 'string') out.push({ name: e.Name, from: w.definition, raw: e.Value });
      }
    }
  }
  return out;
}
