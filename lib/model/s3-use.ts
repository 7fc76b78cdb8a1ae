/**
 * Whether a workload uses S3, decided once for every rule: a network or policy fault breaks a workload only when it
 * makes S3 requests, so rules about a workload's path to S3 judge `yes` workloads (errors), warn at most for `maybe`
 * ones (the app does not show whether they use S3), and say nothing about `no` ones.
 *
 * Internal: not exported from the package's index.
 */
import { expandActions, parseS3Arn } from './grants';
import { hasUnresolved } from './iam/patterns';
import type { Model } from './model';
import { listOf } from './network';
import { statementsOfDoc } from './policy-conditions';
import { ModelResource, RoleNode, WorkloadNode } from './types';
import { awsManagedPolicyName, MANAGED_POLICIES_WITH_S3, MANAGED_POLICIES_WITHOUT_S3 } from '../aws/managed-policies';

/** `yes`: it makes S3 requests; `maybe`: the app does not show; `no`: nothing in the app lets or makes it call S3. */
export type S3UseLevel = 'yes' | 'maybe' | 'no';

export interface S3Use {
  readonly level: S3UseLevel;
  /** Why: the evidence for `yes`, what the app does not show for `maybe`, what was looked at for `no`. */
  readonly why: string;
}

/** Literal values that name S3: `s3://` URLs, S3 ARNs, S3 host names. */
const S3_TEXT = /^s3:\/\/|arn:aws[a-z-]*:s3:::|(?:^|[./])s3[.-](?:[a-z0-9-]+\.)*amazonaws\.com/;
/** User data that calls S3: the AWS CLI's `s3`/`s3api` commands, `s3://` URLs, S3 host names. */
const S3_USER_DATA = /\baws\s+s3(?:api)?\b|s3:\/\/|\.s3[.-](?:[a-z0-9-]+\.)*amazonaws\.com/;
/** Package installs and upgrades in user data. */
const PACKAGE_INSTALL = /\b(?:dnf|yum)\s+(?:-\S+\s+)*(?:install|update|upgrade)\b|amazon-linux-extras\s+install/;
/** SSM parameters of images that are not Amazon Linux (CDK's `MachineImage.latestWindows`, `fromSsmParameter` ...). */
const OTHER_OS_IMAGE = /canonical|ubuntu|debian|windows|suse|rhel|redhat|bottlerocket/;

/** Whether a workload uses S3 (see {@link S3UseLevel}), decided once per model. */
export function s3UseOf(m: Model, w: WorkloadNode): S3Use {
  const index = m.derive('s3-use', () => new Map<WorkloadNode, S3Use>());
  let use = index.get(w);
  if (!use) {
    use = decide(m, w);
    index.set(w, use);
  }
  return use;
}

function decide(m: Model, w: WorkloadNode): S3Use {
  const yes = (why: string): S3Use => ({ level: 'yes', why });
  for (const role of w.roles) {
    const grant = s3GrantOf(m, role);
    if (grant) return yes(`its role ${role.res.path} is granted ${grant}`);
  }
  const env = environmentS3(m, w);
  if (env) return yes(env);
  if (w.kind === 'ecs-service' && w.usesEcrImage) return yes('it pulls ECR images, whose layers come from S3');
  if (w.kind === 'ecs-service' && environmentFilesFromS3(w)) return yes('its containers read environment files from S3');
  const instance = w.kind === 'ec2-instance' || w.kind === 'autoscaling-group';
  const os = instance ? amazonLinuxOf(w) : undefined;
  const osName = os === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2';
  if (instance && typeof w.userData === 'string') {
    if (S3_USER_DATA.test(w.userData)) return yes('its user data calls S3');
    if (os && installsPackages(w)) return yes(`its user data installs packages from ${osName}'s repositories, which are S3 buckets`);
  }

  const unsure: string[] = [];
  if (w.externalRoles.length > 0) unsure.push(`it runs as ${w.externalRoles.join(', ')}`);
  for (const role of w.roles) {
    const unknownPolicies = externalManagedArns(m, role).filter(arn => !knownWithoutS3(arn));
    if (unknownPolicies.length > 0) unsure.push(`its role ${role.res.path} has managed policies not defined in the app (${unknownPolicies.join(', ')})`);
  }
  if (w.kind === 'batch') unsure.push('its jobs are not part of the compute environment');
  if (os) unsure.push(`it runs ${osName}, whose package repositories are S3 buckets, if it installs packages`);
  if (instance && w.roles.some(managedBySsm)) unsure.push('it is managed by Systems Manager, whose agent reads S3 for updates and some documents');
  if (instance && !os && !knownOtherOs(w)) {
    unsure.push('its image (and the agents and package repositories it uses) is not known from the template');
  }
  if (unsure.length > 0) return { level: 'maybe', why: `the app does not show whether it uses S3: ${unsure.join('; ')}` };
  return { level: 'no', why: 'it has no S3 permission, names no bucket in its environment and pulls no ECR image' };
}

/**
 * The qualifier of a finding about workloads of which none surely uses S3: `, if it uses S3 (<why>)`; empty when one
 * of them does (the finding is then definite).
 */
export function ifUsesS3(m: Model, workloads: readonly WorkloadNode[]): string {
  if (workloads.some(w => s3UseOf(m, w).level === 'yes')) return '';
  return `, if ${workloads.length > 1 ? 'they use' : 'it uses'} S3 (${workloads.map(w => s3UseOf(m, w).why).join('; ')})`;
}

/** Whether one of the workloads surely uses S3. */
export function anyUsesS3(m: Model, workloads: readonly WorkloadNode[]): boolean {
  return workloads.some(w => s3UseOf(m, w).level === 'yes');
}

/** What a role's own policies grant on S3 (`s3:GetObject on arn:aws:s3:::b/*`), or undefined when nothing. */
function s3GrantOf(m: Model, role: RoleNode): string | undefined {
  for (const p of role.policies) {
    for (const st of statementsOfDoc(m.symDoc(p.res, p.document))) {
      if (st.Effect !== 'Allow') continue;
      const actions = expandActions(st);
      if (actions.length === 0) continue;
      const resource = listOf(st.Resource).find((r): r is string => typeof r === 'string'
        && (r === '*' || parseS3Arn(r) !== undefined || /^\{\{[^/]*\}\}$/.test(r) || hasUnresolved(r) && r.includes(':s3:')));
      if (resource) return `${actions[0].action}${actions.length > 1 ? ' and more' : ''} on ${resource}`;
    }
  }
  for (const arn of externalManagedArns(m, role)) {
    const name = awsManagedPolicyName(arn);
    if (name && MANAGED_POLICIES_WITH_S3.has(name)) return `S3 actions by the AWS managed policy ${name}`;
  }
  return undefined;
}

/**
 * The ARNs of a role's managed policies that the app does not define, symbolic where unresolved (an env-agnostic
 * stack's `arn:${AWS::Partition}:iam::aws:policy/...` reads as `arn:{{AWS::Partition}}:iam::aws:policy/...`).
 */
function externalManagedArns(m: Model, role: RoleNode): string[] {
  return listOf(role.res.props.ManagedPolicyArns)
    .filter(raw => m.target(role.res, raw)?.type !== 'AWS::IAM::ManagedPolicy')
    .map(raw => m.sym(role.res, raw));
}

function knownWithoutS3(arn: string): boolean {
  const name = awsManagedPolicyName(arn);
  return name !== undefined && (MANAGED_POLICIES_WITHOUT_S3.has(name) || MANAGED_POLICIES_WITH_S3.has(name));
}

/** An environment variable that names a bucket of the app or an S3 location. */
function environmentS3(m: Model, w: WorkloadNode): string | undefined {
  for (const { name, from, raw } of rawEnvironment(w)) {
    const bucket = referencedBuckets(m, from, raw)[0];
    if (bucket) return `its environment variable ${name} names bucket ${bucket.path}`;
    const text = m.sym(from, raw);
    const named = m.buckets.find(b => namesBucket(text, m.values.symOfResource(b.res)));
    if (named) return `its environment variable ${name} names bucket ${named.res.path}`;
    if (S3_TEXT.test(text)) return `its environment variable ${name} names S3 (${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
    if (/BUCKET/i.test(name) && text !== '') return `its environment variable ${name} names a bucket`;
  }
  return undefined;
}

/** Whether a value names a bucket: its symbolic name anywhere, or its literal name whole, as `s3://` URL or ARN. */
function namesBucket(text: string, name: string): boolean {
  if (name.startsWith('{{')) return text.includes(name);
  return text === name || text.includes(`s3://${name}`) || text.includes(`:s3:::${name}`);
}

/** The app's buckets a value refers to (also inside joins and subs: `s3://${Bucket}/prefix`). */
function referencedBuckets(m: Model, from: ModelResource, value: any, depth = 0): ModelResource[] {
  if (depth > 5 || value === null || typeof value !== 'object') return [];
  const target = m.target(from, value);
  if (target) return target.type === 'AWS::S3::Bucket' ? [target] : [];
  return Object.values(value).flatMap(v => referencedBuckets(m, from, v, depth + 1));
}

/** The workload's environment variables as written: Lambda `Environment.Variables`, ECS containers' `Environment`. */
export function rawEnvironment(w: WorkloadNode): Array<{ name: string; from: ModelResource; raw: any }> {
  const out: Array<{ name: string; from: ModelResource; raw: any }> = [];
  if (w.kind === 'lambda') {
    const vars = w.res.props.Environment?.Variables;
    if (vars && typeof vars === 'object') for (const [name, raw] of Object.entries(vars)) out.push({ name, from: w.res, raw });
  } else if (w.kind === 'ecs-service' && w.definition) {
    for (const c of listOf(w.definition.props.ContainerDefinitions)) {
      for (const e of listOf(c?.Environment)) {
        if (typeof e?.Name === 'string') out.push({ name: e.Name, from: w.definition, raw: e.Value });
      }
    }
  }
  return out;
}

/** ECS `EnvironmentFiles` of type `s3`: the ECS agent reads them from S3 in the task's network. */
function environmentFilesFromS3(w: WorkloadNode): boolean {
  return listOf(w.definition?.props.ContainerDefinitions)
    .some(c => listOf(c?.EnvironmentFiles).some(f => String(f?.Type ?? '').toLowerCase() === 's3'));
}

/**
 * The Amazon Linux generation an instance or group runs, read from its image id: CDK's `MachineImage.latestAmazonLinux*`
 * and ECS-optimized images resolve through SSM parameters whose names (kept in the parameter's logical id) tell.
 */
export function amazonLinuxOf(w: WorkloadNode): 'al2023' | 'al2' | undefined {
  const text = imageText(w);
  if (/al2023|amazonlinux2023/.test(text)) return 'al2023';
  if (/amzn2|amazonlinux2(?!023)/.test(text)) return 'al2';
  return undefined;
}

function knownOtherOs(w: WorkloadNode): boolean {
  return OTHER_OS_IMAGE.test(imageText(w));
}

function imageText(w: WorkloadNode): string {
  const def = w.definition?.props;
  const image = w.res.props.ImageId ?? def?.LaunchTemplateData?.ImageId ?? def?.ImageId;
  return JSON.stringify(image ?? '').toLowerCase().replace(/[-_/]/g, '');
}

/** Whether an instance's user data installs or upgrades packages (dnf, yum, amazon-linux-extras). */
export function installsPackages(w: WorkloadNode): boolean {
  return typeof w.userData === 'string' && PACKAGE_INSTALL.test(w.userData);
}

/** Whether a role lets SSM Agent register: the AWS managed policy, or the agent's own actions. */
export function managedBySsm(role: RoleNode): boolean {
  // the raw property, so an env-agnostic stack's `arn:${AWS::Partition}:iam::aws:policy/...` still reads
  if (/AmazonSSMManagedInstanceCore|AmazonEC2RoleforSSM/.test(JSON.stringify(role.res.props.ManagedPolicyArns ?? []))) return true;
  return role.policies.some(p => /ssm:UpdateInstanceInformation|ssmmessages:|"ssm:\*"/i.test(JSON.stringify(p.document ?? '')));
}
