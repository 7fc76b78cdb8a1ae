import { listText } from '../../model/helpers';
import { IamStatement } from '../../model/iam';
import type { Model } from '../../model/model';
import { conditionsOn, RequestDenial, requestDenials } from '../../model/request-denials';
import type { Reporter } from '../rule';

/**
 * Reports the app's workload requests that a Deny on a network key (`aws:SourceVpce`, `aws:SourceVpc`) denies on the
 * path they really take through an S3 endpoint: an error (403), a warning where `mayBeDeployedId` says the statement's
 * literal values may name the endpoint once deployed, a "cannot judge" where the decision depends on unresolved values.
 * One finding per policy, workload, endpoint and bucket. Denials that `owned` claims are another rule's to report.
 */
export function reportDeniedRequests(
  m: Model, report: Reporter, key: string, mayBeDeployedId: (statement: IamStatement) => boolean,
  owned: (denial: RequestDenial) => boolean = () => false,
): void {
  const groups = new Map<string, { denial: RequestDenial; actions: Set<string> }>();
  for (const d of requestDenials(m)) {
    const ep = d.route.endpoint;
    if (!ep || !d.statements.some(s => conditionsOn(s, key)) || owned(d)) continue;
    const group = `${d.policy.key}|${d.workload.res.key}|${ep.res.key}|${d.bucket.key}|${d.kind}`;
    const g = groups.get(group) ?? { denial: d, actions: new Set<string>() };
    g.actions.add(d.entry.action);
    groups.set(group, g);
  }
  for (const { denial: d, actions } of groups.values()) {
    const ep = d.route.endpoint!;
    const statements = d.statements.filter(s => conditionsOn(s, key));
    const names = listText([...new Set(statements.map(s => (s.sid ? `statement ${s.sid}` : `statement #${s.index + 1}`)))]);
    const bucket = d.bucket.node ? `bucket ${d.bucket.node.res.path}` : `bucket ${d.bucket.name}`;
    const what = listText([...actions]);
    const subjects = {
      workloads: [d.workload.res.key], endpoints: [ep.res.key], buckets: [d.bucket.key], roles: [d.role.res.key], actions: [...actions],
    };
    if (d.kind === 'unsure') {
      report.cannotJudge(d.policy, `whether ${names} of ${d.policy.path} denies ${what} on ${bucket} for ${d.workload.res.path} `
        + `through S3 endpoint ${ep.res.path}: it depends on values not resolved at synth time`, { subjects });
      continue;
    }
    const listed = [...new Set(statements.flatMap(s => s.conditions.filter(c => c.key === key.toLowerCase()).flatMap(c => c.values)))];
    const message = `${names} of ${d.policy.path} denies ${what} on ${bucket} for ${d.workload.res.path}, whose requests `
      + `come through S3 endpoint ${ep.res.path} (subnet ${d.route.subnet.res.path}): ${key} names only `
      + `${listText(listed.map(v => m.shown(v)))}, not ${key === 'aws:SourceVpc' ? 'its VPC' : 'that endpoint'}, so they get 403`;
    const known = key === 'aws:SourceVpc' ? (typeof ep.vpc === 'object' && 'res' in ep.vpc ? ep.vpc.res.physicalId : undefined)
      : ep.endpointId ?? ep.res.physicalId;
    if (!known && statements.some(mayBeDeployedId)) {
      // an endpoint (or VPC) of the app has no id before it is deployed: a literal may be that id
      const target = key === 'aws:SourceVpc' && typeof ep.vpc === 'object' && 'res' in ep.vpc ? ep.vpc.res.path : ep.res.path;
      report.cannotJudge(d.policy, `whether ${listText(listed.map(v => m.shown(v)))}, named by ${names} of ${d.policy.path}, `
        + `is the deployed id of ${target}: if not, ${what} on ${bucket} by ${d.workload.res.path} (through S3 endpoint `
        + `${ep.res.path}) get 403; reference ${target} instead of a literal`, { subjects });
    } else {
      report.fail(d.policy, message, { subjects });
    }
  }
}
