import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { shown, statementsOfDoc } from '../model/policy-conditions';
import { isUnknown, ModelResource } from '../model/types';

/**
 * S3PA-EndpointPolicyPrincipal: a gateway endpoint policy cannot name principals. Its `Principal` must be `*`
 * (`"*"` or `{"AWS": "*"}`); who may use the endpoint is narrowed with `aws:PrincipalArn` conditions instead.
 */
export const endpointPolicyPrincipal: Rule = {
  id: 'S3PA-EndpointPolicyPrincipal',
  level: 'error',
  symptom: 'The endpoint policy is ignored or the deployment fails.',
  description: 'A statement of a gateway endpoint\'s PolicyDocument (AWS::EC2::VPCEndpoint of type Gateway) has a '
    + 'Principal other than "*" or {"AWS": "*"} (a role or account ARN, a service), or uses NotPrincipal.',
  fix: 'Use Principal: "*" and narrow with an aws:PrincipalArn condition (e.g. ArnEquals on the role ARNs)',
  appliesWhen: 'A gateway endpoint policy statement names a Principal other than "*" or uses NotPrincipal: gateway endpoint policies '
    + 'support only "*" (an account principal there means the root user alone), so the statement does not apply to the '
    + 'workloads\' requests as written (error).',
  guard: '"*" and {"AWS": "*"} are compliant, and so are conditions on aws:PrincipalArn, the supported way to narrow.',
  hops: ['endpoint-policy'],
  check(m: Model, report: Reporter): void {
    const paths = new Map(m.resources.map(r => [r.key, r.path]));
    const show = (res: ModelResource, v: any) => shown(m.symDoc(res, v)).replace(/\{\{([^}]+?)(\.[A-Za-z]+)?\}\}/g,
      (all, key: string, attr?: string) => (paths.has(key) ? `${paths.get(key)}${attr ?? ''}` : all));
    for (const ep of m.endpoints) {
      if (ep.endpointType !== 'Gateway' || ep.policyDocument === undefined) continue;
      const doc = ep.policyDocument;
      if (doc === null || typeof doc !== 'object' || Object.keys(doc).some(k => k === 'Ref' || k.startsWith('Fn::'))) {
        report.cannotJudge(ep.res, `the policy document of gateway endpoint ${ep.res.path} (${shown(doc)})`, { subjects: { endpoints: [ep.res.key] } });
        continue;
      }
      const statements = statementsOfDoc(doc);
      statements.forEach((st, i) => {
        const name = typeof st.Sid === 'string' ? `statement ${st.Sid}` : `statement ${i + 1}`;
        const where = `gateway endpoint ${ep.res.path} policy ${name}`;
        if (st.NotPrincipal !== undefined) {
          report.fail(ep.res, `${where} uses NotPrincipal ${show(ep.res, st.NotPrincipal)}: gateway endpoint policies accept only Principal "*"`, { subjects: { endpoints: [ep.res.key] } });
          return;
        }
        if (st.Principal === undefined) return;
        const verdict = judgePrincipal(m, ep.res, st.Principal);
        if (verdict === 'star') return;
        if (verdict === 'unresolved') {
          report.cannotJudge(ep.res, `the Principal ${show(ep.res, st.Principal)} of ${where}`, { subjects: { endpoints: [ep.res.key] } });
          return;
        }
        report.fail(ep.res, `${where} has Principal ${show(ep.res, st.Principal)}: gateway endpoint policies accept only "*" (or {"AWS": "*"})`, { subjects: { endpoints: [ep.res.key] } });
      });
    }
  },
};

/** `star` for `"*"` / `{"AWS": "*"}`; `unresolved` when a value outside the app stands where the principal should be. */
function judgePrincipal(m: Model, res: ModelResource, principal: any): 'star' | 'named' | 'unresolved' {
  if (principal === '*') return 'star';
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return 'named';
  const keys = Object.keys(principal);
  if (keys.some(k => k === 'Ref' || k.startsWith('Fn::'))) return literalOrUnresolved(m, res, principal);
  if (keys.length !== 1 || keys[0] !== 'AWS') return 'named';
  const verdicts = listOf(principal.AWS).map(v => literalOrUnresolved(m, res, v));
  if (verdicts.includes('named')) return 'named';
  if (verdicts.includes('unresolved')) return 'unresolved';
  return verdicts.length > 0 ? 'star' : 'named';
}

function literalOrUnresolved(m: Model, res: ModelResource, value: any): 'star' | 'named' | 'unresolved' {
  if (m.target(res, value)) return 'named';
  const s = m.str(res, value);
  if (isUnknown(s)) return 'unresolved';
  return s === '*' ? 'star' : 'named';
}
