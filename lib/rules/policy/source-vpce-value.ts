import { reportDeniedRequests } from './denied-requests';
import { workloadsGrantedOn } from '../../model/bucket-reach';
import { isInterfaceOnlyDenial } from '../../model/interface-endpoints';
import type { Model } from '../../model/model';
import { conditionValue, coversS3, effectOf, entriesOn, PolicyDoc, policyDocuments, shown, statementsOfDoc } from '../../model/policy-conditions';
import { s3RoutesOf } from '../../model/s3-routes';
import { Reporter, Rule } from '../rule';

const VPCE_ID = /^vpce-[0-9a-f]{8,17}$/;

/**
 * S3PA-SourceVpceValue: `aws:SourceVpce` must be compared with the id of the S3 endpoint the requests come through.
 * Each granted workload's request is judged through the endpoint it really uses, so a Deny listing the app's endpoint
 * and a partner's literal id lets the app's requests pass, and a Deny that leaves out a second VPC's endpoint denies
 * that VPC's workloads. Values that can never be an S3 endpoint id (a VPC id, another service's endpoint) are
 * reported on their own.
 */
export const sourceVpceValue: Rule = {
  id: 'S3PA-SourceVpceValue',
  level: 'error',
  symptom: 'Requests through the endpoint get 403 (explicit deny) because the policy compares aws:SourceVpce with the wrong value.',
  description: 'A bucket or identity policy Deny on aws:SourceVpce denies a granted workload\'s requests through the '
    + 'S3 endpoint its subnets really use (the endpoint of its own VPC is not among the values); or a policy compares '
    + 'aws:SourceVpce with something that is never an S3 endpoint id (a vpc-… id, an endpoint of another service).',
  fix: 'list the S3 endpoint of every VPC whose workloads use the bucket (Ref of each AWS::EC2::VPCEndpoint, e.g. '
    + 'endpoint.vpcEndpointId), or restrict by aws:SourceVpc; compare VPC ids with aws:SourceVpc',
  appliesWhen: 'A workload granted on a bucket (or whose role carries the policy) sends its requests through an S3 '
    + 'endpoint, and a Deny conditioned on aws:SourceVpce denies them: they get 403 (error; a warning when the Deny '
    + 'names only literal ids, one of which may be the endpoint\'s deployed id). A negated comparison with a value '
    + 'that is never an S3 endpoint id denies every request (error); the same value in an Allow or a positive '
    + 'comparison never matches (warning).',
  guard: 'Each value is judged by what it does to the app\'s real requests, so a partner\'s literal `vpce-…` beside '
    + 'the app\'s own endpoint is no error, and an adopted endpoint (EndpointSource.fromExisting) is known by its '
    + 'literal id; a wildcard is a warning (it matches endpoints of any account).',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    for (const p of policyDocuments(m)) {
      for (const st of statementsOfDoc(p.document)) {
        for (const entry of entriesOn(st, 'aws:SourceVpce')) {
          if (entry.base === 'Null') continue;
          const values = entry.values.map(value => classify(m, p, st, value));
          // when no value can ever be carried, a Deny unless the request carries one denies everyone, and an
          // identity Allow that requires one never grants
          const allNever = values.every(v => v.kind === 'never');
          const effect = effectOf(st);
          const deniesAll = allNever && effect === 'deny' && entry.negated;
          const grantsNothing = allNever && effect === 'allow' && !entry.negated && p.kind === 'identity';
          const where = `${kindLabel(p)} ${p.res.path} compares aws:SourceVpce (${entry.operator})`;
          const subjects = p.bucket && 'res' in p.bucket ? { buckets: [p.bucket.res.key] } : {};
          for (const v of values) {
            if (v.kind === 'unknown') {
              report.cannotJudge(p.res, `the aws:SourceVpce value ${v.what} of ${kindLabel(p)} ${p.res.path}`, { subjects });
            } else if (v.kind === 'wildcard') {
              report.warn(p.res, `${where} with the wildcard '${v.what}': it matches endpoints of any VPC and account`, { subjects });
            } else if (v.kind === 'never') {
              const outcome = deniesAll ? 'this Deny denies every request, through the endpoint too'
                : grantsNothing ? 'this Allow never grants, and the role\'s requests get 403 unless another policy allows them'
                  : 'that value never matches';
              report.failIf(deniesAll || grantsNothing, p.res, `${where} with ${v.what}: no request carries it, so ${outcome}`,
                { subjects });
            }
          }
        }
      }
    }
    // a Deny that names an S3 interface endpoint while the requests take a gateway endpoint is
    // S3PA-InterfaceVpceRequired's case
    reportDeniedRequests(m, report, 'aws:SourceVpce', namesOnlyLiterals, d => isInterfaceOnlyDenial(m, d));
    unverifiedLiterals(m, report);
  },
};

/** What a compared value is: a possible S3 endpoint id, unresolved, a wildcard, or never an S3 endpoint id. */
type ValueClass =
  | { kind: 'ok' }
  | { kind: 'unknown' | 'wildcard'; what: string }
  | { kind: 'never'; what: string };

function classify(m: Model, p: PolicyDoc, st: any, value: any): ValueClass {
  const v = conditionValue(m, p.res, value);
  if (v.kind === 'unknown') return { kind: 'unknown', what: v.what };
  if (v.kind === 'literal') {
    const text = v.text;
    if (/[*?]/.test(text)) return { kind: 'wildcard', what: shown(text) };
    if (text.startsWith('vpc-')) return { kind: 'never', what: `the VPC id '${text}' (aws:SourceVpce holds an endpoint id, vpce-…; use aws:SourceVpc for a VPC id)` };
    if (!VPCE_ID.test(text)) return { kind: 'never', what: `'${shown(text)}', which is not a VPC endpoint id (vpce-…)` };
    return { kind: 'ok' };
  }
  const target = v.target;
  if (target.type === 'AWS::EC2::VPC') {
    return { kind: 'never', what: `the id of VPC ${target.path} (aws:SourceVpce holds an endpoint id; use aws:SourceVpc or reference the endpoint)` };
  }
  if (target.type !== 'AWS::EC2::VPCEndpoint' || (v.attribute !== undefined && v.attribute !== 'Id')) {
    const what = v.attribute ? `attribute ${v.attribute} of ${target.type} ${target.path}` : `${target.type} ${target.path}`;
    return { kind: 'never', what: `${what}, which is not a VPC endpoint id` };
  }
  const ep = m.endpoint(target);
  if (!ep) return { kind: 'ok' };
  if (typeof ep.service !== 'string') return { kind: 'unknown', what: `the service of endpoint ${target.path} (${ep.service.what})` };
  const allowed = p.kind === 'key' ? ['s3', 'kms'] : ['s3'];
  if (!allowed.includes(ep.service) && (p.kind !== 'identity' || coversS3(st))) {
    return {
      kind: 'never',
      what: `endpoint ${target.path}, an endpoint of ${String(ep.serviceName)} (S3 requests carry the id of the S3 endpoint)`,
    };
  }
  return { kind: 'ok' };
}

/**
 * A literal `vpce-…` in a bucket policy Deny that the app cannot verify: no workload of the app reaches the bucket
 * through an endpoint, so nothing tells whether the literal is the endpoint the requests use.
 */
function unverifiedLiterals(m: Model, report: Reporter): void {
  const known = new Set(m.endpoints.map(ep => ep.endpointId).filter((id): id is string => id !== undefined));
  for (const p of policyDocuments(m, ['bucket'])) {
    if (!p.bucket) continue;
    const throughEndpoint = workloadsGrantedOn(m, p.bucket).some(w => s3RoutesOf(m, w).some(r => r.endpoint !== undefined));
    if (throughEndpoint) continue;
    for (const st of statementsOfDoc(p.document)) {
      for (const entry of entriesOn(st, 'aws:SourceVpce')) {
        for (const value of entry.values) {
          if (typeof value !== 'string' || !VPCE_ID.test(value) || known.has(value)) continue;
          report.warn(p.res, `bucket policy ${p.res.path} compares aws:SourceVpce (${entry.operator}) with the literal ${value}, which `
            + 'the app does not define, and no workload of the app reaches the bucket through an endpoint: cannot verify that it '
            + 'is the S3 endpoint the requests come through', { subjects: 'res' in p.bucket ? { buckets: [p.bucket.res.key] } : {} });
        }
      }
    }
  }
}

/** Whether every aws:SourceVpce value of a statement is a literal `vpce-…` id (one may be an endpoint's deployed id). */
function namesOnlyLiterals(statement: { conditions: Array<{ key: string; values: string[] }> }): boolean {
  const values = statement.conditions.filter(c => c.key === 'aws:sourcevpce').flatMap(c => c.values);
  return values.length > 0 && values.every(v => VPCE_ID.test(v));
}

function kindLabel(p: PolicyDoc): string {
  return p.kind === 'bucket' ? 'bucket policy' : p.kind === 'key' ? 'key policy of' : 'identity policy';
}
