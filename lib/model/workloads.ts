import type { Model } from './model';
import { describeId, listOf } from './network';
import {
  ContainerInfo, isUnknown, Maybe, ModelResource, RoleNode, SecurityGroupNode, SubnetNode, unknown, WorkloadNode,
} from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ECR_IMAGE = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** Finds everything that runs in a VPC and may call S3: Lambda with VpcConfig, ECS services, EC2, ASGs, Batch. */
export function buildWorkloads(m: Model): WorkloadNode[] {
  const out: WorkloadNode[] = [];
  const subnetsOf = (res: ModelResource, v: any) => listOf(v).map((s): Maybe<SubnetNode> =>
    m.subnet(m.target(res, s)) ?? unknown(describeId(m, res, s, 'subnet')));
  const groupsOf = (res: ModelResource, v: any) => listOf(v).map((g): Maybe<SecurityGroupNode> =>
    m.securityGroup(m.target(res, g)) ?? unknown(describeId(m, res, g, 'security group')));
  /** The roles a reference names; those not defined in the app are added to `external`. */
  const roleOf = (res: ModelResource, v: any, external: string[]): RoleNode[] => {
    if (v === undefined) return [];
    const target = m.target(res, v);
    if (target?.type === 'AWS::IAM::InstanceProfile') {
      return listOf(target.props.Roles).flatMap(r => {
        const role = m.role(m.target(target, r));
        if (!role) external.push(describeId(m, target, r, 'role'));
        return role ? [role] : [];
      });
    }
    const role = m.role(target);
    if (!role) external.push(describeId(m, res, v, target ? 'instance profile or role' : 'role'));
    return role ? [role] : [];
  };
  const base = (res: ModelResource, kind: WorkloadNode['kind']): Mutable<WorkloadNode> => ({
    res,
    kind,
    subnets: [],
    securityGroups: [],
    roles: [],
    externalRoles: [],
    executionRoles: [],
    environment: {},
    containers: [],
    usesEcrImage: false,
  });

  for (const res of m.ofType('AWS::Lambda::Function')) {
    const vpc = res.props.VpcConfig;
    if (!vpc || listOf(vpc.SubnetIds).length === 0) continue;
    const w = base(res, 'lambda');
    w.subnets = subnetsOf(res, vpc.SubnetIds);
    w.securityGroups = groupsOf(res, vpc.SecurityGroupIds);
    w.roles = roleOf(res, res.props.Role, w.externalRoles);
    w.environment = envOf(m, res, res.props.Environment?.Variables);
    const image = res.props.Code?.ImageUri === undefined ? undefined : m.str(res, res.props.Code.ImageUri);
    w.usesEcrImage = res.props.PackageType === 'Image';
    w.containers = image === undefined ? [] : [{ name: res.logicalId, image, ecrImage: w.usesEcrImage, environment: w.environment }];
    out.push(w);
  }

  for (const res of m.ofType('AWS::ECS::Service')) {
    const w = base(res, 'ecs-service');
    const taskDef = m.target(res, res.props.TaskDefinition);
    w.definition = taskDef;
    const awsvpc = res.props.NetworkConfiguration?.AwsvpcConfiguration;
    w.networkMode = taskDef ? (taskDef.props.NetworkMode === undefined ? 'bridge' : m.str(taskDef, taskDef.props.NetworkMode))
      : unknown(describeId(m, res, res.props.TaskDefinition, 'task definition'));
    w.launchType = res.props.LaunchType === undefined ? undefined : m.str(res, res.props.LaunchType);
    if (awsvpc) {
      w.subnets = subnetsOf(res, awsvpc.Subnets);
      w.securityGroups = groupsOf(res, awsvpc.SecurityGroups);
      w.assignPublicIp = awsvpc.AssignPublicIp === undefined ? 'DISABLED' : m.str(res, awsvpc.AssignPublicIp);
    } else {
      // bridge/host mode: the container instances' network applies
      for (const host of hostsOfCluster(m, res, res.props.Cluster)) {
        w.subnets.push(...host.subnets);
        w.securityGroups.push(...host.securityGroups);
      }
    }
    if (taskDef) {
      w.roles = roleOf(taskDef, taskDef.props.TaskRoleArn, w.externalRoles);
      w.executionRoles = roleOf(taskDef, taskDef.props.ExecutionRoleArn, []);
      w.containers = listOf(taskDef.props.ContainerDefinitions).map(c => containerOf(m, taskDef, c));
      for (const c of w.containers) Object.assign(w.environment, c.environment);
      w.usesEcrImage = w.containers.some(c => c.ecrImage);
    }
    out.push(w);
  }

  const instanceLike = (res: ModelResource, kind: WorkloadNode['kind'], data: any, subnets: any, groups: any) => {
    const w = base(res, kind);
    w.subnets = subnetsOf(res, subnets);
    w.securityGroups = groupsOf(res, groups);
    w.roles = roleOf(res, data.IamInstanceProfile?.Arn ?? data.IamInstanceProfile?.Name ?? data.IamInstanceProfile, w.externalRoles);
    const meta = data.MetadataOptions;
    w.metadataOptions = {
      httpTokens: meta?.HttpTokens === undefined ? undefined : m.str(res, meta.HttpTokens),
      httpPutResponseHopLimit: m.num(res, meta?.HttpPutResponseHopLimit),
    };
    w.userData = data.UserData === undefined ? undefined : userDataText(m, res, data.UserData);
    return w;
  };
  const templateOf = (res: ModelResource, spec: any): ModelResource | undefined =>
    spec ? m.target(res, spec.LaunchTemplateId ?? spec.LaunchTemplateName) : undefined;

  for (const res of m.ofType('AWS::EC2::Instance')) {
    const p = res.props;
    const nics = listOf(p.NetworkInterfaces);
    const lt = templateOf(res, p.LaunchTemplate);
    const ltData = lt?.props.LaunchTemplateData ?? {};
    const data = { ...ltData, ...p, MetadataOptions: p.MetadataOptions ?? ltData.MetadataOptions };
    const subnets = p.SubnetId ?? nics.map(n => n.SubnetId).filter(s => s !== undefined);
    const groups = [...listOf(p.SecurityGroupIds ?? ltData.SecurityGroupIds), ...nics.flatMap(n => listOf(n.GroupSet))];
    const w = instanceLike(res, 'ec2-instance', data, subnets, groups);
    w.definition = lt;
    out.push(w);
  }

  for (const res of m.ofType('AWS::AutoScaling::AutoScalingGroup')) {
    const lt = templateOf(res, res.props.LaunchTemplate ?? res.props.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification);
    const lc = m.target(res, res.props.LaunchConfigurationName);
    const data = lt?.props.LaunchTemplateData ?? lc?.props ?? {};
    const w = instanceLike(res, 'autoscaling-group', { ...data }, res.props.VPCZoneIdentifier, data.SecurityGroupIds ?? data.SecurityGroups);
    if (lt ?? lc) {
      w.externalRoles = [];
      w.roles = roleOf(lt ?? lc!, data.IamInstanceProfile?.Arn ?? data.IamInstanceProfile?.Name ?? data.IamInstanceProfile, w.externalRoles);
    }
    w.definition = lt ?? lc;
    out.push(w);
  }

  for (const res of m.ofType('AWS::Batch::ComputeEnvironment')) {
    const cr = res.props.ComputeResources;
    if (!cr) continue;
    const w = base(res, 'batch');
    w.subnets = subnetsOf(res, cr.Subnets);
    w.securityGroups = groupsOf(res, cr.SecurityGroupIds);
    w.roles = roleOf(res, cr.InstanceRole, w.externalRoles);
    out.push(w);
  }
  return out;
}

/** Where an ECS cluster's container instances run. */
interface ClusterHosts {
  readonly subnets: Maybe<SubnetNode>[];
  readonly securityGroups: Maybe<SecurityGroupNode>[];
}

/** Auto Scaling groups that serve an ECS cluster: through capacity providers, or user data naming the cluster. */
function hostsOfCluster(m: Model, from: ModelResource, clusterRef: any): ClusterHosts[] {
  const cluster = m.target(from, clusterRef);
  if (!cluster) return [{ subnets: [unknown(describeId(m, from, clusterRef, 'ECS cluster'))], securityGroups: [] }];
  const asgKeys = new Set<string>();
  const providers = new Set<string>();
  for (const assoc of m.ofType('AWS::ECS::ClusterCapacityProviderAssociations')) {
    if (m.target(assoc, assoc.props.Cluster)?.key !== cluster.key) continue;
    for (const cp of listOf(assoc.props.CapacityProviders)) {
      const target = m.target(assoc, cp);
      if (target) providers.add(target.key);
    }
  }
  for (const cp of m.ofType('AWS::ECS::CapacityProvider')) {
    if (!providers.has(cp.key)) continue;
    const asg = m.target(cp, cp.props.AutoScalingGroupProvider?.AutoScalingGroupArn);
    if (asg) asgKeys.add(asg.key);
  }
  const marker = JSON.stringify({ Ref: cluster.logicalId });
  for (const asg of m.ofType('AWS::AutoScaling::AutoScalingGroup')) {
    if (asg.stack.id !== cluster.stack.id) continue;
    const lt = m.target(asg, asg.props.LaunchTemplate?.LaunchTemplateId);
    const lc = m.target(asg, asg.props.LaunchConfigurationName);
    const userData = JSON.stringify(lt?.props.LaunchTemplateData?.UserData ?? lc?.props.UserData ?? '');
    if (userData.includes(marker)) asgKeys.add(asg.key);
  }
  return m.resources.filter(r => asgKeys.has(r.key)).map(asg => {
    const lt = m.target(asg, asg.props.LaunchTemplate?.LaunchTemplateId);
    const data = lt?.props.LaunchTemplateData ?? m.target(asg, asg.props.LaunchConfigurationName)?.props ?? {};
    return {
      subnets: listOf(asg.props.VPCZoneIdentifier).map(s => m.subnet(m.target(asg, s)) ?? unknown(describeId(m, asg, s, 'subnet'))),
      securityGroups: listOf(data.SecurityGroupIds ?? data.SecurityGroups).map(g =>
        m.securityGroup(m.target(lt ?? asg, g)) ?? unknown(describeId(m, asg, g, 'security group'))),
    };
  });
}

function envOf(m: Model, res: ModelResource, vars: any): Record<string, Maybe<string>> {
  const env: Record<string, Maybe<string>> = {};
  if (vars && typeof vars === 'object') for (const [k, v] of Object.entries(vars)) env[k] = m.str(res, v);
  return env;
}

function containerOf(m: Model, taskDef: ModelResource, c: any): ContainerInfo {
  const environment: Record<string, Maybe<string>> = {};
  for (const e of listOf(c?.Environment)) if (typeof e?.Name === 'string') environment[e.Name] = m.str(taskDef, e.Value);
  const image = m.str(taskDef, c?.Image);
  const text = JSON.stringify(c?.Image ?? '');
  const ecrImage = (typeof image === 'string' && ECR_IMAGE.test(image))
    || (isUnknown(image) && (text.includes('.dkr.ecr.') || text.includes('cdk-hnb659fds-container-assets') || text.includes('RepositoryUri')));
  return { name: String(c?.Name ?? ''), image, ecrImage, environment, logDriver: c?.LogConfiguration?.LogDriver };
}

/** User data as text: `Fn::Base64` of literals and joins; unresolvable parts become `${?}`. */
function userDataText(m: Model, res: ModelResource, value: any): string {
  const inner = value?.['Fn::Base64'] ?? value;
  const flat = (v: any): string => {
    const s = m.str(res, v);
    if (typeof s === 'string') return s;
    const join = v?.['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map(flat).join(join[0]);
    return '${?}';
  };
  if (typeof inner === 'string' && value?.['Fn::Base64'] === undefined) {
    try {
      return Buffer.from(inner, 'base64').toString('utf8');
    } catch {
      return inner;
    }
  }
  return flat(inner);
}
