import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isS3Endpoint, s3EndpointsOf, workloadSubnets } from '../model/s3-reach';
import { rawEnvironment, s3UseOf } from '../model/s3-use';
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
  appliesWhen: 'An S3 endpoint names another region than its stack\'s: it does not deploy (error). A workload that '
    + 'uses S3 calls S3 of another region from behind an S3 endpoint (a bucket of another region, AWS_REGION): an error '
    + 'when its subnets have no way out of the VPC (the endpoint does not carry the traffic, so it times out); a '
    + 'warning when NAT or an internet gateway still carries it.',
  guard: 'Workloads that do not use S3 are not judged; `${AWS::Region}` is the stack\'s own region; a cross-region '
    + 'call with a NAT path works and is only a warning; environment-agnostic stacks cannot be judged.',
  hops: ['endpoint'],
  check(m: Model, report: Reporter): void {
    for (const ep of m.endpoints) checkEndpoint(report, ep);
    const bucketsByKey = new Map<string, BucketNode>(m.buckets.map(b => [b.res.key, b]));
    for (const w of m.workloads) {
      if (s3UseOf(m, w).level === 'no') continue;
      checkRegionVariables(m, report, w);
      if (viaS3Endpoint(w)) checkBucketRegions(m, report, w, bucketsByKey);
    }
  },
};

/** Whether a cross-region S3 call of the workload fails: it uses S3 and none of its subnets has a way out. */
function crossRegionFails(m: Model, w: WorkloadNode): boolean {
  const { known, unresolved } = workloadSubnets(w);
  return s3UseOf(m, w).level === 'yes' && unresolved.length === 0 && known.length > 0 && known.every(s => s.wayOut === 'none');
}

function outcome(m: Model, w: WorkloadNode): string {
  return crossRegionFails(m, w) ? ': its subnets have no other way out, so those calls time out'
    : ': those calls leave through NAT or another route out of the VPC, not the endpoint';
}

function checkEndpoint(report: Reporter, ep: EndpointNode): void {
  const { res, serviceRegion } = ep;
  if (typeof serviceRegion !== 'string') return; // `${AWS::Region}` or unreadable: the same region by construction
  const s3 = isS3Endpoint(ep);
  if (s3 !== true && ep.service !== 's3express') return;
  if (ep.endpointType === 'Interface' && res.props.ServiceRegion !== undefined) return;
  const region = res.stack.region;
  if (region === undefined) {
    report.cannotJudge(res, `whether ${ep.serviceName as string} of endpoint ${res.path} is in the stack's region: `
      + `the stack ${res.stack.id} is environment-agnostic`, { subjects: { endpoints: [res.key] } });
  } else if (serviceRegion !== region) {
    report.fail(res, `endpoint ${res.path} serves ${ep.serviceName as string} (${serviceRegion}) but its stack `
      + `deploys to ${region}: a gateway endpoint only reaches S3 in its own region`, { subjects: { endpoints: [res.key] } });
  }
}

function checkRegionVariables(m: Model, report: Reporter, w: WorkloadNode): void {
  const region = w.res.stack.region;
  for (const { name, from, raw } of rawEnvironment(w)) {
    if (!REGION_VARIABLES.includes(name)) continue;
    const value = m.sym(from, raw);
    if (value === '{{AWS::Region}}' || value === region) continue;
    if (!REGION.test(value)) {
      report.cannotJudge(w.res, `${name} of ${w.res.path}: ${value.includes('{{') ? JSON.stringify(raw) : value} is not a literal region`, { subjects: { workloads: [w.res.key] } });
    } else if (region === undefined) {
      report.cannotJudge(w.res, `whether ${name}=${value} of ${w.res.path} is the stack's region: the stack `
        + `${w.res.stack.id} is environment-agnostic`, { subjects: { workloads: [w.res.key] } });
    } else {
      report.failIf(crossRegionFails(m, w), w.res, `${w.res.path} sets ${name}=${value} but runs in ${region}: its SDK calls S3 in ${value}, `
        + `which the VPC's S3 endpoint does not serve${outcome(m, w)}`, { subjects: { workloads: [w.res.key] } });
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
          + `${w.res.stack.id} is environment-agnostic`, { subjects: { workloads: [w.res.key] } });
      } else if (other !== region) {
        report.failIf(crossRegionFails(m, w), w.res, `${w.res.path} runs in ${region} behind an S3 endpoint but ${name}=${value} names S3 in `
          + `${other}: the endpoint only reaches buckets of ${region}${outcome(m, w)}`, { subjects: { workloads: [w.res.key] } });
      }
    }
  }
  if (region === undefined) return;
  for (const role of w.roles) {
    for (const policy of role.policies) {
      for (const bucket of bucketsNamed(m, policy.res, policy.document, bucketsByKey)) {
        const bucketRegion = bucket.res.stack.region;
        if (bucketRegion === undefined || bucketRegion === region) continue;
        report.failIf(crossRegionFails(m, w), w.res, `${w.res.path} runs in ${region} behind an S3 endpoint, but its role ${role.res.path} is `
          + `granted on bucket ${bucket.res.path}, whose stack deploys to ${bucketRegion}: the endpoint only reaches `
          + `buckets of ${region}${outcome(m, w)}`, { subjects: { workloads: [w.res.key], buckets: [bucket.res.key] } });
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
