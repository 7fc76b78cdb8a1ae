/**
 * The requests the app's workloads will make, judged one by one against the Deny statements on their way: for each
 * workload, each role it runs as, each core action its role is granted on a bucket, and each route its subnets give
 * it to S3 (through a gateway endpoint, an interface endpoint, or no endpoint), the bucket policy and the role's
 * identity policies are evaluated with the request context that route gives (`aws:SourceVpce`, `aws:SourceVpc`).
 *
 * Rules read the denials that concern them (S3PA-SourceVpceValue: statements on `aws:SourceVpce`; S3PA-SourceVpcValue:
 * on `aws:SourceVpc`), so a condition is judged by what it does to each real request, not value by value.
 *
 * Internal: not exported from the package's index.
 */
import { GrantedBucket, GrantEntry, GrantIndex, judgedEntries, roleArns, workloadRoles } from './grants';
import { evaluatePolicy, IamStatement, statementsCached } from './iam';
import type { Model } from './model';
import { S3Route, s3RequestContext, s3RoutesOf } from './s3-routes';
import { EndpointNode, ModelResource, RoleNode, WorkloadNode } from './types';

/** One request of a workload that a Deny statement denies (or may deny: `unsure`). */
export interface RequestDenial {
  readonly workload: WorkloadNode;
  readonly role: RoleNode;
  readonly bucket: GrantedBucket;
  readonly entry: GrantEntry;
  readonly route: S3Route;
  /** The policy resource that holds the denying statements (a bucket policy, or an identity policy of the role). */
  readonly policy: ModelResource;
  readonly statements: IamStatement[];
  readonly kind: 'deny' | 'unsure';
}

/** Every denial of the app's workloads' granted core requests, computed once per model. */
export function requestDenials(m: Model): RequestDenial[] {
  return m.derive('request-denials', () => {
    const out: RequestDenial[] = [];
    const grants = GrantIndex.of(m);
    for (const w of m.workloads) {
      const routes = s3RoutesOf(m, w).filter(r => r.via === 'gateway' || r.via === 'interface' || r.via === 'internet');
      if (routes.length === 0) continue;
      for (const role of workloadRoles(w)) {
        const principals = roleArns(m, role);
        const account = role.res.stack.account ?? '{{AWS::AccountId}}';
        for (const grant of grants.ofRole(role).byBucket.values()) {
          // only a policy with a Deny statement can deny (most identity policies have none)
          const policies = [
            ...(grant.bucket.node?.policies ?? []).map(p => ({ res: p.res, doc: m.symDoc(p.res, p.document) })),
            ...role.policies.map(p => ({ res: p.res, doc: m.symDoc(p.res, p.document) })),
          ].filter(p => statementsCached(p.doc).some(s => s.effect === 'Deny'));
          if (policies.length === 0) continue;
          for (const entry of judgedEntries(grant)) {
            if (!entry.core || !entry.probe) continue;
            // the request context depends on the route's endpoint only: routes through one endpoint share a verdict
            const verdicts = new Map<EndpointNode | undefined, Array<Verdict | undefined>>();
            for (const route of routes) {
              let perPolicy = verdicts.get(route.endpoint);
              if (!perPolicy) {
                const context = s3RequestContext(m, route.endpoint, grant.bucket);
                perPolicy = policies.map(p => denialOf(p.doc, entry.action, entry.probe!, principals, account, context));
                verdicts.set(route.endpoint, perPolicy);
              }
              perPolicy.forEach((verdict, i) => {
                if (verdict) out.push({ workload: w, role, bucket: grant.bucket, entry, route, policy: policies[i].res, ...verdict });
              });
            }
          }
        }
      }
    }
    return out;
  });
}

/** How a policy denies a request (undefined: it passes for one of the role's principals). */
interface Verdict {
  readonly kind: 'deny' | 'unsure';
  readonly statements: IamStatement[];
}

/** The request of each of the role's principals against one policy: undefined when one of them passes. */
function denialOf(
  doc: Parameters<typeof evaluatePolicy>[0], action: string, resource: string, principals: readonly string[], account: string,
  context: ReturnType<typeof s3RequestContext>,
): Verdict | undefined {
  let best: Verdict | undefined;
  for (const arn of principals) {
    const r = evaluatePolicy(doc, { action, resource, principal: { arn, account }, context });
    if (r.optimisticDecision !== 'deny' && r.decision !== 'deny') return undefined;
    const kind = r.optimisticDecision === 'deny' ? 'deny' : 'unsure';
    if (!best || (best.kind === 'deny' && kind === 'unsure')) {
      best = { kind, statements: kind === 'deny' ? r.deniedBy : r.unknownStatements.filter(s => s.effect === 'Deny') };
    }
  }
  return best;
}

/** Whether a statement's conditions test a key (`aws:SourceVpce`), case-insensitively. */
export function conditionsOn(statement: IamStatement, key: string): boolean {
  const lower = key.toLowerCase();
  return statement.conditions.some(c => c.key === lower);
}
