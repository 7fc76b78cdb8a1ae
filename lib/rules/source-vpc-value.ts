import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { conditionValue, entriesOn, PolicyDoc, policyDocuments, shown, statementsOfDoc } from '../model/policy-conditions';
import { s3EndpointsOf } from '../model/s3-reach';

/**
 * S3PA-SourceVpcValue: `aws:SourceVpc` holds the id of the VPC a request came from, and only requests through a VPC
 * endpoint carry it. Comparing it with an endpoint id never matches; naming a VPC without an S3 endpoint never
 * matches either, since its requests reach S3 over the internet (NAT) without the key.
 */
export const sourceVpcValue: Rule = {
  id: 'S3PA-SourceVpcValue',
  level: 'error',
  symptom: 'Requests from the VPC get 403 because the policy compares aws:SourceVpc with a value requests never carry.',
  description: 'A bucket, identity or KMS key policy compares aws:SourceVpc with a vpce-… endpoint id, or names a VPC '
    + 'of the app that has no S3 endpoint (gateway or interface): requests from that VPC leave through NAT or an '
    + 'internet gateway and carry no aws:SourceVpc.',
  fix: 'Compare endpoint ids with aws:SourceVpce, or add an S3 endpoint to the VPC (S3PrivateAccess)',
  check(m: Model, report: Reporter): void {
    for (const p of policyDocuments(m)) {
      for (const st of statementsOfDoc(p.document)) {
        for (const entry of entriesOn(st, 'aws:SourceVpc')) {
          if (entry.base === 'Null') continue;
          for (const value of entry.values) checkValue(m, report, p, entry.operator, value);
        }
      }
    }
  },
};

function checkValue(m: Model, report: Reporter, p: PolicyDoc, operator: string, value: any): void {
  const where = `policy ${p.res.path} compares aws:SourceVpc (${operator})`;
  const v = conditionValue(m, p.res, value);
  if (v.kind === 'unknown') {
    report.cannotJudge(p.res, `the aws:SourceVpc value ${v.what} of ${p.res.path}`);
    return;
  }
  if (v.kind === 'literal') {
    if (v.text.startsWith('vpce-')) {
      report.fail(p.res, `${where} with the endpoint id '${shown(v.text)}': aws:SourceVpc holds a VPC id (vpc-…), so it never matches; use aws:SourceVpce for an endpoint id`);
    }
    return;
  }
  const target = v.target;
  if (target.type === 'AWS::EC2::VPCEndpoint') {
    report.fail(p.res, `${where} with the id of endpoint ${target.path}: aws:SourceVpc holds a VPC id, so it never matches; use aws:SourceVpce for an endpoint`);
    return;
  }
  if (target.type !== 'AWS::EC2::VPC' || (v.attribute !== undefined && v.attribute !== 'VpcId')) {
    const what = v.attribute ? `attribute ${v.attribute} of ${target.type} ${target.path}` : `${target.type} ${target.path}`;
    report.fail(p.res, `${where} with ${what}, which is not a VPC id`);
    return;
  }
  const vpc = m.vpc(target);
  if (!vpc) return;
  const eps = s3EndpointsOf(vpc);
  if (eps.gateway.length + eps.interface.length > 0) return;
  const unresolved = eps.unsure;
  if (unresolved.length > 0) {
    report.cannotJudge(p.res, `whether VPC ${target.path} named in aws:SourceVpc of ${p.res.path} has an S3 endpoint: the service of ${unresolved.map(ep => ep.res.path).join(', ')} is not resolved`);
    return;
  }
  report.fail(p.res, `${where} with VPC ${target.path}, which has no S3 endpoint: its requests reach S3 through NAT or an internet gateway and carry no aws:SourceVpc`);
}
