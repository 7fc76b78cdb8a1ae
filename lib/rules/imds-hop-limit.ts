import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isUnknown, Maybe, ModelResource } from '../model/types';

/** Commands that start containers; compose and podman networks add a hop just like docker's bridge. */
const CONTAINER_COMMAND = /\b(?:docker\s+(?:run|create)|docker[ -]compose|podman\s+(?:run|create)|podman[ -]compose|nerdctl\s+(?:run|compose))\b/;
/** Host networking: no extra hop, so hop limit 1 is enough. */
const HOST_NETWORK = /--net(?:work)?[ =]host\b/;

interface ImdsSubject {
  readonly res: ModelResource;
  readonly kind: string;
  readonly httpTokens?: Maybe<string>;
  readonly hopLimit?: Maybe<number>;
  readonly userData?: string;
  readonly hasRole: boolean;
}

/**
 * S3PA-ImdsHopLimit: an instance, launch template or launch configuration that requires IMDSv2 with a response hop limit
 * of 1 and whose user data starts containers (not on the host network) that can only use the instance role: the IMDSv2
 * token reply dies one hop short of the container, and the SDK finds no credentials.
 */
export const imdsHopLimit: Rule = {
  id: 'S3PA-ImdsHopLimit',
  level: 'warning',
  symptom: '"Unable to locate credentials" inside containers on EC2.',
  description: 'An EC2 instance, launch template or launch configuration that requires IMDSv2 (`HttpTokens: required`) '
    + 'with `HttpPutResponseHopLimit` 1 (or unset: 1 unless the AMI sets 2), an instance profile, and user data that runs '
    + 'containers (`docker run`, `docker compose`/`docker-compose`, `podman`, `nerdctl`) other than on the host network '
    + '(`--network host`). The container\'s bridge adds a hop, so the token reply never reaches the SDK inside it.',
  fix: 'Set `HttpPutResponseHopLimit` to 2 (CDK: a launch template with `httpPutResponseHopLimit: 2`), or give the '
    + 'containers their own credentials (an ECS task role).',
  appliesWhen: 'An instance, launch template or launch configuration requires IMDSv2 with hop limit 1 and its user data runs containers '
    + 'off the host network (always a warning: the containers may bring credentials of their own).',
  guard: 'Host-network containers and hop limits of 2 or more are compliant; without an instance profile there are no credentials to miss.',
  hops: ['identity-policy'],
  check(m: Model, report: Reporter): void {
    const templates = new Map<string, ImdsSubject>();
    for (const lt of m.ofType('AWS::EC2::LaunchTemplate')) templates.set(lt.key, subjectOf(m, lt, 'launch template', lt.props.LaunchTemplateData ?? {}));
    const covered = new Set<string>();
    for (const t of templates.values()) if (judge(report, t)) covered.add(t.res.key);
    for (const lc of m.ofType('AWS::AutoScaling::LaunchConfiguration')) judge(report, subjectOf(m, lc, 'launch configuration', lc.props));
    for (const inst of m.ofType('AWS::EC2::Instance')) {
      const lt = launchTemplateOf(m, inst);
      if (lt && covered.has(lt.key) && inst.props.UserData === undefined && inst.props.MetadataOptions === undefined) continue;
      const ltData = lt?.props.LaunchTemplateData ?? {};
      const data = {
        MetadataOptions: inst.props.MetadataOptions ?? ltData.MetadataOptions,
        UserData: inst.props.UserData ?? ltData.UserData,
        IamInstanceProfile: inst.props.IamInstanceProfile ?? ltData.IamInstanceProfile,
      };
      judge(report, subjectOf(m, inst, 'instance', data, lt ?? inst));
    }
  },
};

/** Reports a subject; true when it fired (so instances that merely use a fired template are not reported twice). */
function judge(report: Reporter, s: ImdsSubject): boolean {
  if (!s.hasRole || s.userData === undefined) return false;
  const lines = s.userData.split(/\r?\n|;|&&/).filter(l => CONTAINER_COMMAND.test(l) && !HOST_NETWORK.test(l));
  if (lines.length === 0) return false;
  const evidence = lines[0].trim().slice(0, 80);
  if (isUnknown(s.hopLimit) || isUnknown(s.httpTokens)) {
    const what = isUnknown(s.hopLimit) ? s.hopLimit.what : (s.httpTokens as { what: string }).what;
    report.cannotJudge(s.res, `the IMDS settings of ${s.kind} ${s.res.path}, whose user data runs containers (${evidence}): ${what}`);
    return false;
  }
  if (s.httpTokens?.toLowerCase() !== 'required') return false;
  if (s.hopLimit !== undefined && s.hopLimit >= 2) return false;
  report.fail(s.res,
    `${s.kind} ${s.res.path} requires IMDSv2 with HttpPutResponseHopLimit ${s.hopLimit ?? 'unset (1 unless the AMI sets 2)'} `
    + `and its user data runs containers (${evidence}) that can only use the instance role: the token reply does not reach them`);
  return true;
}

function subjectOf(m: Model, res: ModelResource, kind: string, data: any, metaFrom: ModelResource = res): ImdsSubject {
  const meta = data.MetadataOptions ?? {};
  return {
    res,
    kind,
    httpTokens: meta.HttpTokens === undefined ? undefined : m.str(metaFrom, meta.HttpTokens),
    hopLimit: m.num(metaFrom, meta.HttpPutResponseHopLimit),
    userData: data.UserData === undefined ? undefined : userDataText(m, res, data.UserData),
    hasRole: data.IamInstanceProfile !== undefined,
  };
}

/** The launch template an instance names, by reference or by literal name. */
function launchTemplateOf(m: Model, inst: ModelResource): ModelResource | undefined {
  const spec = inst.props.LaunchTemplate;
  if (!spec) return undefined;
  const byRef = m.target(inst, spec.LaunchTemplateId ?? spec.LaunchTemplateName);
  if (byRef) return byRef;
  const name = m.str(inst, spec.LaunchTemplateName);
  if (typeof name !== 'string') return undefined;
  return m.ofType('AWS::EC2::LaunchTemplate').find(lt => lt.stack.id === inst.stack.id && lt.props.LaunchTemplateName === name);
}

/** User data as text: `Fn::Base64` of strings, joins and subs (references kept symbolic), or a base64 literal. */
function userDataText(m: Model, res: ModelResource, value: any): string {
  if (typeof value === 'string') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return Buffer.from(decoded, 'utf8').toString('base64') === value ? decoded : value;
  }
  return m.sym(res, value?.['Fn::Base64'] ?? value);
}
