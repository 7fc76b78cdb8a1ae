import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listOf } from '../model/network';
import { cidrContains, parseIpv4Cidr } from '../model/s3-ranges';
import { isUnknown, Maybe, ModelResource } from '../model/types';

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
  check(m: Model, report: Reporter): void {
    for (const fn of m.ofType('AWS::Lambda::Function')) {
      judge(report, fn, `Lambda function ${fn.path}`, envOf(m, fn, fn.props.Environment?.Variables), false);
    }
    for (const td of m.ofType('AWS::ECS::TaskDefinition')) {
      for (const c of listOf(td.props.ContainerDefinitions)) {
        const env: Record<string, Maybe<string>> = {};
        for (const e of listOf(c?.Environment)) if (typeof e?.Name === 'string') env[e.Name] = m.str(td, e.Value);
        judge(report, td, `container ${String(c?.Name ?? '?')} of task definition ${td.path}`, env, true);
      }
    }
  },
};

function envOf(m: Model, res: ModelResource, vars: any): Record<string, Maybe<string>> {
  const env: Record<string, Maybe<string>> = {};
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) for (const [k, v] of Object.entries(vars)) env[k] = m.str(res, v);
  return env;
}

function judge(report: Reporter, res: ModelResource, who: string, env: Record<string, Maybe<string>>, container: boolean): void {
  const proxies = Object.keys(env).filter(k => /^https?_proxy$/i.test(k) && env[k] !== '');
  if (proxies.length === 0) return;
  const noProxyKeys = Object.keys(env).filter(k => /^no_proxy$/i.test(k));
  const values = noProxyKeys.map(k => env[k]);
  const unresolved = values.find(isUnknown);
  if (unresolved) {
    report.cannotJudge(res, `the NO_PROXY of ${who} (${unresolved.what})`);
    return;
  }
  const entries = (values as string[]).flatMap(v => v.split(/[,\s]+/)).map(e => e.trim().toLowerCase()).filter(e => e !== '');
  const missing: string[] = [];
  if (!coversAwsApis(entries)) missing.push('.amazonaws.com');
  if (container && !coversAddress(entries, IMDS)) missing.push(IMDS);
  if (container && !coversAddress(entries, ECS_CREDENTIALS)) missing.push(ECS_CREDENTIALS);
  if (missing.length === 0) return;
  const message = noProxyKeys.length === 0
    ? `${who} sets ${proxies.join(', ')} and no NO_PROXY, so calls to ${missing.join(', ')} go to the proxy`
    : `${who} sets ${proxies.join(', ')} but ${noProxyKeys.join('/')} "${(values as string[]).join(',')}" does not cover `
      + `${missing.join(', ')}, so those calls go to the proxy`;
  report.fail(res, message,
    `extend NO_PROXY of ${who} with ${missing.join(',')}`);
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
