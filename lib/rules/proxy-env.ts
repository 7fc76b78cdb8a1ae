import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { cidrContains, parseIpv4Cidr } from '../model/s3-ranges';
import { endpointOnlyDenials } from '../model/s3-routes';
import { s3UseOf } from '../model/s3-use';
import { isUnknown, Maybe, ModelResource, WorkloadNode } from '../model/types';

/** Link-local addresses the SDKs call for credentials: EC2 instance metadata, and the ECS task credential endpoint. */
const IMDS = '169.254.169.254';
const ECS_CREDENTIALS = '169.254.170.2';

/**
 * S3PA-ProxyEnv: an HTTP(S) proxy set for a container or Lambda function whose `NO_PROXY` does not exempt the AWS APIs
 * and the credential endpoints. Every Lambda function and ECS task definition is judged, in a VPC or not.
 */
export const proxyEnv: Rule = {
  id: 'S3PA-ProxyEnv',
  level: 'error',
  symptom: 'The proxy refuses S3 calls, or they take the NAT path and get 403 from a bucket that requires the endpoint.',
  description: 'A container (ECS task definition) or Lambda environment with `HTTP_PROXY`/`HTTPS_PROXY` (any case) but a '
    + '`NO_PROXY`/`no_proxy` that does not cover `.amazonaws.com` (or the S3 names, e.g. `s3.<region>.amazonaws.com`), '
    + `and for containers \`${IMDS}\` (instance metadata) and \`${ECS_CREDENTIALS}\` (task credentials). Lambda functions `
    + 'get their credentials from environment variables, so only the AWS API names are required there. Entries may be '
    + 'domain suffixes (with or without a leading `.` or `*.`), addresses, CIDRs or `*`.',
  fix: `Extend \`NO_PROXY\` with \`.amazonaws.com,${IMDS},${ECS_CREDENTIALS}\`.`,
  appliesWhen: 'A Lambda function or container of a workload that uses S3 sets HTTP(S)_PROXY without a NO_PROXY that '
    + 'exempts the AWS APIs and the credential endpoints. An error when the requests fail: a container\'s credential '
    + 'calls go to the proxy (no credentials for any call), or a bucket the workload is granted on denies requests not '
    + 'through the endpoint (the proxy path gets 403). A warning otherwise: the proxy may forward S3 calls, at a cost '
    + 'and outside the endpoint; and for functions and task definitions that no workload of the app runs in a VPC.',
  guard: 'Workloads that do not use S3 are not judged; NO_PROXY entries may be suffixes, addresses, CIDRs or `*`.',
  hops: ['s3-route'],
  check(m: Model, report: Reporter): void {
    const byResource = new Map<string, WorkloadNode>();
    for (const w of m.workloads) byResource.set((w.kind === 'ecs-service' && w.definition ? w.definition : w.res).key, w);
    for (const fn of m.ofType('AWS::Lambda::Function')) {
      judge(m, report, fn, byResource.get(fn.key), `Lambda function ${fn.path}`, envOf(m, fn, fn.props.Environment?.Variables), false);
    }
    for (const td of m.ofType('AWS::ECS::TaskDefinition')) {
      for (const c of listOf(td.props.ContainerDefinitions)) {
        const env: Record<string, Maybe<string>> = {};
        for (const e of listOf(c?.Environment)) if (typeof e?.Name === 'string') env[e.Name] = m.str(td, e.Value);
        judge(m, report, td, byResource.get(td.key), `container ${String(c?.Name ?? '?')} of task definition ${td.path}`, env, true);
      }
    }
  },
};

function envOf(m: Model, res: ModelResource, vars: any): Record<string, Maybe<string>> {
  const env: Record<string, Maybe<string>> = {};
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) for (const [k, v] of Object.entries(vars)) env[k] = m.str(res, v);
  return env;
}

function judge(
  m: Model, report: Reporter, res: ModelResource, w: WorkloadNode | undefined, who: string, env: Record<string, Maybe<string>>, container: boolean,
): void {
  const proxies = Object.keys(env).filter(k => /^https?_proxy$/i.test(k) && env[k] !== '');
  if (proxies.length === 0) return;
  const use = w ? s3UseOf(m, w).level : 'maybe';
  if (use === 'no') return;
  const subjects = w ? { workloads: [w.res.key] } : {};
  const noProxyKeys = Object.keys(env).filter(k => /^no_proxy$/i.test(k));
  const values = noProxyKeys.map(k => env[k]);
  const unresolved = values.find(isUnknown);
  if (unresolved) {
    report.cannotJudge(res, `the NO_PROXY of ${who} (${unresolved.what})`, { subjects });
    return;
  }
  const entries = (values as string[]).flatMap(v => v.split(/[,\s]+/)).map(e => e.trim().toLowerCase()).filter(e => e !== '');
  const missing: string[] = [];
  if (!coversAwsApis(entries)) missing.push('.amazonaws.com');
  if (container && !coversAddress(entries, IMDS)) missing.push(IMDS);
  if (container && !coversAddress(entries, ECS_CREDENTIALS)) missing.push(ECS_CREDENTIALS);
  if (missing.length === 0) return;
  const noCredentials = missing.some(x => x !== '.amazonaws.com');
  const denied = w && !coversAwsApis(entries) ? endpointOnlyDenials(m, w).filter(d => d.kind === 'deny') : [];
  const definite = use === 'yes' && (noCredentials || denied.length > 0);
  const outcome = noCredentials ? ': the SDK gets no credentials through the proxy'
    : denied.length > 0 ? `: S3 calls take the proxy's path and the bucket policy of ${[...new Set(denied.map(d => d.bucket.node?.res.path ?? d.bucket.name))].join(', ')} denies them (403)`
      : '';
  const message = noProxyKeys.length === 0
    ? `${who} sets ${proxies.join(', ')} and no NO_PROXY, so calls to ${missing.join(', ')} go to the proxy`
    : `${who} sets ${proxies.join(', ')} but ${noProxyKeys.join('/')} "${(values as string[]).join(',')}" does not cover `
      + `${missing.join(', ')}, so those calls go to the proxy`;
  report.failIf(definite, res, message + outcome, { fix: `extend NO_PROXY of ${who} with ${missing.join(',')}`, subjects });
}

/** `*`, `amazonaws.com` as a suffix, or an S3 name (`s3.amazonaws.com`, `s3.<region>.amazonaws.com`, `s3-<region>…`). */
function coversAwsApis(entries: string[]): boolean {
  return entries.some(raw => {
    if (raw === '*') return true;
    const e = raw.replace(/^\*?\./, '');
    return e === 'amazonaws.com' || e === 'amazonaws.com.cn' || /^s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/.test(e);
  });
}

/** `*`, the address itself, or a CIDR containing it. */
function coversAddress(entries: string[], address: string): boolean {
  return entries.some(e => e === '*' || e === address || (parseIpv4Cidr(e) !== undefined && cidrContains(e, `${address}/32`)));
}
