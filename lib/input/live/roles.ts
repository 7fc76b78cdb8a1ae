/**
 * Reads IAM roles (trust policy, inline policies, attached managed policies at their default version) and instance
 * profiles, and writes them as `AWS::IAM::Role`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::InstanceProfile`.
 *
 * A role whose policies cannot all be read is left out: with some of its grants missing, the rules would judge a
 * role that does not exist. Workloads then have no known role, which the rules treat as outside the account.
 *
 * Internal: not exported from the package's index.
 */
import type {
  GetInstanceProfileResponse, GetPolicyResponse, GetPolicyVersionResponse, GetRolePolicyResponse, GetRoleResponse,
} from '@aws-sdk/client-iam';
import { LiveStackBuilder, parsePolicy, policyWithRefs, ref } from './builder';
import { LiveCaller } from './sdk';

/** The key a role is emitted under. */
export function roleKey(name: string): string {
  return `role/${name}`;
}

/** The name of a role or instance profile from its ARN (the last part of the path). */
export function nameOfArn(arn: string): string {
  const resource = arn.startsWith('arn:') ? arn.split(':').slice(5).join(':') : arn;
  return resource.split('/').pop() ?? resource;
}

/** The account of an ARN, when it has one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Reads instance profiles by name; returns the names of their roles. */
export async function readInstanceProfiles(call: LiveCaller, b: LiveStackBuilder, names: readonly string[]): Promise<string[]> {
  const roles: string[] = [];
  for (const name of names) {
    const r = await call.send<GetInstanceProfileResponse>('iam', new call.modules.iam.GetInstanceProfileCommand({ InstanceProfileName: name }),
      `the roles of instance profile ${name} are unknown, so instances using it have no known role`, ['NoSuchEntity']);
    if (!r.ok) {
      if (!r.denied) call.note(`instance profile ${name} does not exist`);
      continue;
    }
    const roleNames = (r.value.InstanceProfile?.Roles ?? []).map(x => x.RoleName).filter((x): x is string => !!x);
    roles.push(...roleNames);
    b.add(`instance-profile/${name}`, 'AWS::IAM::InstanceProfile', {
      InstanceProfileName: name,
      Roles: roleNames.map(n => ref(roleKey(n), n)),
    }, `instance-profile/${name}`, `InstanceProfile${name}`);
  }
  return roles;
}

/** Reads each role with its policies; returns the account of the roles' ARNs, if any was read. */
export async function readRoles(call: LiveCaller, b: LiveStackBuilder, names: readonly string[]): Promise<string | undefined> {
  const managed = new Map<string, Promise<{ name: string; document: any } | undefined>>();
  let account: string | undefined;
  for (const name of names) {
    const role = await readRole(call, b, name, managed);
    account ??= accountOfArn(role);
  }
  return account;
}

async function readRole(
  call: LiveCaller, b: LiveStackBuilder, name: string, managed: Map<string, Promise<{ name: string; document: any } | undefined>>,
): Promise<string | undefined> {
  const iam = call.modules.iam;
  const leftOut = `role ${name} is left out (its grants would be incomplete), so workloads using it have no known role`;
  const got = await call.send<GetRoleResponse>('iam', new iam.GetRoleCommand({ RoleName: name }), leftOut, ['NoSuchEntity']);
  if (!got.ok) {
    if (!got.denied) call.note(`role ${name} does not exist`);
    return undefined;
  }
  const role = got.value.Role;
  const inlineNames = await call.pages<any>('iam', iam.paginateListRolePolicies, { RoleName: name },
    new iam.ListRolePoliciesCommand({ RoleName: name }), leftOut);
  if (!inlineNames.ok) return undefined;
  const Policies: Array<{ PolicyName: string; PolicyDocument: any }> = [];
  for (const PolicyName of inlineNames.value.flatMap(page => page.PolicyNames ?? []) as string[]) {
    const p = await call.send<GetRolePolicyResponse>('iam', new iam.GetRolePolicyCommand({ RoleName: name, PolicyName }), leftOut);
    if (!p.ok) return undefined;
    Policies.push({ PolicyName, PolicyDocument: policyWithRefs(parsePolicy(p.value.PolicyDocument)) });
  }
  const attached = await call.pages<any>('iam', iam.paginateListAttachedRolePolicies, { RoleName: name },
    new iam.ListAttachedRolePoliciesCommand({ RoleName: name }), leftOut);
  if (!attached.ok) return undefined;
  const arns: string[] = [];
  for (const a of attached.value.flatMap(page => page.AttachedPolicies ?? [])) {
    if (!a.PolicyArn) continue;
    arns.push(a.PolicyArn);
    if (!managed.has(a.PolicyArn)) managed.set(a.PolicyArn, readManagedPolicy(call, b, a.PolicyArn));
    await managed.get(a.PolicyArn);
  }
  b.add(roleKey(name), 'AWS::IAM::Role', {
    RoleName: name,
    Path: role?.Path,
    AssumeRolePolicyDocument: parsePolicy(role?.AssumeRolePolicyDocument),
    Policies: Policies.length > 0 ? Policies : undefined,
    // a managed policy that could not be read stays a literal ARN: the model keeps it as an external policy
    ManagedPolicyArns: arns.length > 0 ? arns.map(arn => ref(arn)) : undefined,
  }, `role/${name}`, `Role${name}`);
  return role?.Arn;
}

/** A managed policy's default version, emitted as `AWS::IAM::ManagedPolicy` under its ARN. */
async function readManagedPolicy(call: LiveCaller, b: LiveStackBuilder, arn: string): Promise<{ name: string; document: any } | undefined> {
  const iam = call.modules.iam;
  const what = `managed policy ${arn} is unknown, so its grants are judged as those of a policy outside the account`;
  const policy = await call.send<GetPolicyResponse>('iam', new iam.GetPolicyCommand({ PolicyArn: arn }), what, ['NoSuchEntity']);
  const versionId = policy.ok ? policy.value.Policy?.DefaultVersionId : undefined;
  if (!versionId) return undefined;
  const version = await call.send<GetPolicyVersionResponse>('iam', new iam.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
    what, ['NoSuchEntity']);
  if (!version.ok) return undefined;
  const name = policy.ok ? policy.value.Policy?.PolicyName ?? nameOfArn(arn) : nameOfArn(arn);
  const document = policyWithRefs(parsePolicy(version.value.PolicyVersion?.Document));
  b.add(arn, 'AWS::IAM::ManagedPolicy', { ManagedPolicyName: name, PolicyDocument: document }, `policy/${name}`, `Policy${name}`);
  return { name, document };
}
