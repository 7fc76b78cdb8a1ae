import { reportDeniedRequests } from './denied-requests';
import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { conditionValue, effectOf, entriesOn, PolicyDoc, policyDocuments, shown, statementsOfDoc } from '../model/policy-conditions';
import { s3EndpointsOf } from '../model/s3-reach';

/**
 * S3PA-SourceVpcValue: `aws:SourceVpc` holds the id of the VPC a request came from, and only requests through a VPC
 * endpoint carry it. Each granted workload's request is judged with the VPC its endpoint is in; a value that no
 * request ever carries (an endpoint id, a VPC without an S3 endpoint) is reported on its own.
 */
export const sourceVpcValue: Rule = {
  id: 'S3PA-SourceVpcValue',
  level: 'error',
  symptom: 'Requests from the VPC get 403 because the policy compares aws:SourceVpc with a value requests never carry.',
  description: 'A bucket or identity policy Deny on aws:SourceVpc denies a granted workload\'s requests through the S3 '
    + 'endpoint of its VPC (the VPC is not among the values); or a policy compares aws:SourceVpc with a vpce-… endpoint '
    + 'id, or names a VPC of the app that has no S3 endpoint (gateway or interface): requests from that VPC leave '
    + 'through NAT or an internet gateway and carry no aws:SourceVpc.',
  fix: 'list every VPC whose workloads use the bucket through their S3 endpoint; compare endpoint ids with '
    + 'aws:SourceVpce, or add an S3 endpoint to the VPC (S3PrivateAccess)',
  appliesWhen: 'A workload granted on a bucket (or whose role carries the policy) sends its requests through an S3 '
    + 'endpoint of its VPC, and a Deny conditioned on aws:SourceVpc denies them: they get 403 (error; a warning when the '
    + 'Deny names only literal vpc-… ids, one of which may be the VPC\'s deployed id). A negated comparison with values '
    + 'no request carries denies every request (error); the same in an Allow never matches (warning, error for an '
    + 'identity policy).',
  guard: 'Each value is judged by what it does to the app\'s real requests, so a partner\'s literal VPC id beside the '
    + 'app\'s own VPC is no error; a VPC whose endpoint service cannot be read is a warning.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    for (const p of policyDocuments(m)) {
      for (const st of statementsOfDoc(p.document)) {
        for (const entry of entriesOn(st, 'aws:SourceVpc')) {
          if (entry.base === 'Null') continue;
          const values = entry.values.map(value => classify(m, p, value));
          const allNever = values.every(v => v.kind === 'never');
          const effect = effectOf(st);
          const deniesAll = allNever && effect === 'deny' && entry.negated;
          const grantsNothing = allNever && effect === 'allow' && !entry.negated && p.kind === 'identity';
          const where = `policy ${p.res.path} compares aws:SourceVpc (${entry.operator})`;
          const subjects = p.bucket && 'res' in p.bucket ? { buckets: [p.bucket.res.key] } : {};
          for (const v of values) {
            if (v.kind === 'unknown') {
              report.cannotJudge(p.res, `${v.what} named in aws:SourceVpc of ${p.res.path}`, { subjects });
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
    reportDeniedRequests(m, report, 'aws:SourceVpc', st => {
      const values = st.conditions.filter(c => c.key === 'aws:sourcevpc').flatMap(c => c.values);
      return values.length > 0 && values.every(v => /^vpc-[0-9a-f]{8,17}$/.test(v));
    });
  },
};

type ValueClass =
  | { kind: 'ok' }
  | { kind: 'unknown'; what: string }
  | { kind: 'never'; what: string };

function classify(m: Model, p: PolicyDoc, value: any): ValueClass {
  const v = conditionValue(m, p.res, value);
  if (v.kind === 'unknown') return { kind: 'unknown', what: `the value ${v.what}` };
  if (v.kind === 'literal') {
    return v.text.startsWith('vpce-')
      ? { kind: 'never', what: `the endpoint id '${shown(v.text)}' (aws:SourceVpc holds a VPC id, vpc-…; use aws:SourceVpce for an endpoint id)` }
      : { kind: 'ok' };
  }
  const target = v.target;
  if (target.type === 'AWS::EC2::VPCEndpoint') {
    return { kind: 'never', what: `the id of endpoint ${target.path} (aws:SourceVpc holds a VPC id; use aws:SourceVpce for an endpoint)` };
  }
  if (target.type !== 'AWS::EC2::VPC' || (v.attribute !== undefined && v.attribute !== 'VpcId')) {
    const what = v.attribute ? `attribute ${v.attribute} of ${target.type} ${target.path}` : `${target.type} ${target.path}`;
    return { kind: 'never', what: `${what}, which is not a VPC id` };
  }
  const vpc = m.vpc(target);
  if (!vpc) return { kind: 'ok' };
  const eps = s3EndpointsOf(vpc);
  if (eps.gateway.length + eps.interface.length > 0) return { kind: 'ok' };
  if (eps.unsure.length > 0) {
    return { kind: 'unknown', what: `whether VPC ${target.path} has an S3 endpoint (the service of ${eps.unsure.map(ep => ep.res.path).join(', ')} is not resolved)` };
  }
  return {
    kind: 'never',
    what: `VPC ${target.path}, which has no S3 endpoint (its requests reach S3 through NAT or an internet gateway and carry no aws:SourceVpc)`,
  };
}
