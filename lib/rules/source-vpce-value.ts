import { Reporter, Rule } from './rule';
import { s3PathOf, workloadsByPolicy, workloadsGrantedOn } from '../model/bucket-reach';
import type { Model } from '../model/model';
import {
  conditionValue, coversS3, entriesOn, PolicyDoc, policyDocuments, shown, statementsOfDoc,
} from '../model/policy-conditions';
import { isUnknown, VpcNode, WorkloadNode } from '../model/types';

const VPCE_ID = /^vpce-[0-9a-f]{8,17}$/;

/**
 * S3PA-SourceVpceValue: `aws:SourceVpce` must be compared with the id of the S3 endpoint the requests come through.
 * A VPC id, a wildcard or an endpoint of another VPC or service never matches, so an Allow never applies and a
 * "deny unless through the endpoint" denies everyone.
 */
export const sourceVpceValue: Rule = {
  id: 'S3PA-SourceVpceValue',
  level: 'error',
  symptom: 'Requests through the endpoint get 403 (explicit deny) because the policy compares aws:SourceVpce with the wrong value.',
  description: 'A bucket, identity or KMS key policy compares aws:SourceVpce with something that is not a VPC endpoint id '
    + '(a vpc-… id, a wildcard), or with an endpoint of another VPC or of another service than S3. A literal vpce-… id '
    + 'that the app does not define cannot be verified and gets a warning; it is an error when the workloads granted on '
    + 'the bucket reach S3 through an endpoint of the app.',
  fix: 'Reference the S3 endpoint the workloads use (Ref of the AWS::EC2::VPCEndpoint, e.g. endpoint.vpcEndpointId) instead of a literal',
  check(m: Model, report: Reporter): void {
    const workloadsOfPolicy = workloadsByPolicy(m);
    for (const p of policyDocuments(m)) {
      for (const st of statementsOfDoc(p.document)) {
        for (const entry of entriesOn(st, 'aws:SourceVpce')) {
          if (entry.base === 'Null') continue;
          for (const value of entry.values) {
            checkValue(m, report, p, st, entry.operator, value, workloadsOfPolicy);
          }
        }
      }
    }
  },
};

function checkValue(
  m: Model, report: Reporter, p: PolicyDoc, st: any, operator: string, value: any,
  workloadsOfPolicy: Map<string, WorkloadNode[]>,
): void {
  const where = `${kindLabel(p)} ${p.res.path} compares aws:SourceVpce (${operator})`;
  const v = conditionValue(m, p.res, value);
  if (v.kind === 'unknown') {
    report.cannotJudge(p.res, `the aws:SourceVpce value ${v.what} of ${kindLabel(p)} ${p.res.path}`);
    return;
  }
  if (v.kind === 'literal') {
    const text = v.text;
    if (/[*?]/.test(text)) {
      report.fail(p.res, `${where} with the wildcard '${shown(text)}': it matches endpoints of any VPC and account, or none that you meant`);
    } else if (text.startsWith('vpc-')) {
      report.fail(p.res, `${where} with the VPC id '${text}': aws:SourceVpce holds an endpoint id (vpce-…), so it never matches; use aws:SourceVpc for a VPC id`);
    } else if (!VPCE_ID.test(text)) {
      report.fail(p.res, `${where} with '${shown(text)}', which is not a VPC endpoint id (vpce-…)`);
    } else {
      literalEndpoint(m, report, p, where, text);
    }
    return;
  }
  const target = v.target;
  if (target.type === 'AWS::EC2::VPC') {
    report.fail(p.res, `${where} with the id of VPC ${target.path}: aws:SourceVpce holds an endpoint id, so it never matches; use aws:SourceVpc or reference the endpoint`);
    return;
  }
  if (target.type !== 'AWS::EC2::VPCEndpoint' || (v.attribute !== undefined && v.attribute !== 'Id')) {
    const what = v.attribute ? `attribute ${v.attribute} of ${target.type} ${target.path}` : `${target.type} ${target.path}`;
    report.fail(p.res, `${where} with ${what}, which is not a VPC endpoint id`);
    return;
  }
  const ep = m.endpoint(target);
  if (!ep) return;
  if (isUnknown(ep.service)) {
    report.cannotJudge(p.res, `the service of endpoint ${target.path} (${ep.service.what}) named in aws:SourceVpce of ${p.res.path}`);
    return;
  }
  const allowed = p.kind === 'key' ? ['s3', 'kms'] : ['s3'];
  if (!allowed.includes(ep.service) && (p.kind !== 'identity' || coversS3(st))) {
    report.fail(p.res, `${where} with endpoint ${target.path}, an endpoint of ${ep.serviceName as string}: S3 requests carry the id of the S3 endpoint (com.amazonaws.<region>.s3), never this one`);
    return;
  }
  if (isUnknown(ep.vpc)) return;
  const workloads = p.kind === 'bucket' && p.bucket ? workloadsGrantedOn(m, p.bucket)
    : p.kind === 'identity' ? workloadsOfPolicy.get(p.res.key) ?? [] : [];
  const vpcs = new Set<VpcNode>();
  let allKnown = true;
  for (const w of workloads) {
    const path = s3PathOf(m, w);
    if (path.vpcs.length === 0) allKnown = false;
    path.vpcs.forEach(x => vpcs.add(x));
  }
  if (workloads.length > 0 && allKnown && !vpcs.has(ep.vpc)) {
    const names = [...vpcs].map(x => x.res.path).join(', ');
    report.fail(p.res, `${where} with endpoint ${target.path} of VPC ${ep.vpc.res.path}, but the workloads that use it (${workloads.map(w => w.res.path).join(', ')}) run in ${names}: their requests carry another endpoint id`);
  }
}

function literalEndpoint(m: Model, report: Reporter, p: PolicyDoc, where: string, text: string): void {
  if (p.kind === 'bucket' && p.bucket) {
    const workloads = workloadsGrantedOn(m, p.bucket);
    const through = new Set<string>();
    const users: string[] = [];
    for (const w of workloads) {
      const path = s3PathOf(m, w);
      const eps = [...path.gateway, ...path.interface];
      // an adopted endpoint (EndpointSource.fromExisting) is named by its literal id: that literal is right
      if (eps.some(ep => ep.endpointId === text)) return;
      if (eps.length === 0) continue;
      users.push(w.res.path);
      eps.forEach(ep => through.add(ep.res.path));
    }
    if (through.size > 0) {
      report.fail(p.res, `${where}: it names ${text} but the workloads granted on the bucket (${users.join(', ')}) reach it through ${[...through].join(', ')}; if ${text} is that endpoint's deployed id, reference the endpoint instead`);
      return;
    }
  }
  // an endpoint the app adopts (EndpointSource.fromExisting) is known by its literal id
  if (m.endpoints.some(ep => ep.endpointId === text)) return;
  report.warn(p.res, `${where} with the literal ${text}, which the app does not define: cannot verify that it is the S3 endpoint the requests come through`);
}

function kindLabel(p: PolicyDoc): string {
  return p.kind === 'bucket' ? 'bucket policy' : p.kind === 'key' ? 'key policy of' : 'identity policy';
}
