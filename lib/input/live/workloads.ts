/**
 * Reads the workloads `explain --from` names (EC2 instances, Lambda functions, ECS services) and writes them as
 * `AWS::EC2::Instance`, `AWS::Lambda::Function`, `AWS::ECS::Service` + `AWS::ECS::TaskDefinition`. Lambda and ECS
 * need their own SDK clients; without them the workload is left out with a note that names the package.
 *
 * Internal: not exported from the package's index.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import { getAtt, LiveStackBuilder, ref, refs } from './builder';
import { nameOfArn, roleKey } from './roles';
import { LiveCaller, OPTIONAL_PACKAGES } from './sdk';

/** The workloads to read. */
export interface LiveWorkloads {
  /** Lambda function names (or ARNs). */
  readonly lambdaFunctions?: string[];
  /** ECS services by cluster (name or ARN) and service (name or ARN). */
  readonly ecsServices?: Array<{ cluster: string; service: string }>;
  /** EC2 instance ids (`i-…`). */
  readonly instanceIds?: string[];
}

/** What the workloads need read besides themselves. */
export interface WorkloadNeeds {
  /** VPCs the workloads run in (so they are read even when the VPC scope is narrower). */
  readonly vpcIds: Set<string>;
  /** Subnets whose VPC is not known yet (ECS services name subnets only). */
  readonly subnetIds: Set<string>;
  readonly roleNames: Set<string>;
  readonly instanceProfiles: Set<string>;
}

/** Reads the workloads into the stack; returns what else must be read for them. */
export async function readWorkloads(call: LiveCaller, b: LiveStackBuilder, workloads: LiveWorkloads): Promise<WorkloadNeeds> {
  const needs: WorkloadNeeds = { vpcIds: new Set(), subnetIds: new Set(), roleNames: new Set(), instanceProfiles: new Set() };
  if (workloads.instanceIds?.length) await readInstances(call, b, workloads.instanceIds, needs);
  for (const fn of workloads.lambdaFunctions ?? []) await readFunction(call, b, fn, needs);
  for (const svc of workloads.ecsServices ?? []) await readService(call, b, svc.cluster, svc.service, needs);
  return needs;
}

const roleRef = (arn: string | undefined) => (arn ? getAtt(roleKey(nameOfArn(arn)), 'Arn', arn) : undefined);

async function readInstances(call: LiveCaller, b: LiveStackBuilder, ids: string[], needs: WorkloadNeeds): Promise<void> {
  const ec2 = call.modules.ec2;
  const input = { InstanceIds: ids };
  const r = await call.pages<any>('ec2', ec2.paginateDescribeInstances, input, new ec2.DescribeInstancesCommand(input),
    `instances ${ids.join(', ')} are unknown, so they cannot be explained`);
  if (!r.ok) return;
  const instances: Instance[] = r.value.flatMap(page => (page.Reservations ?? []).flatMap((x: any) => x.Instances ?? []));
  for (const id of ids) if (!instances.some(i => i.InstanceId === id)) call.note(`instance ${id} was not found`);
  for (const i of instances) {
    const id = i.InstanceId!;
    if (i.VpcId) needs.vpcIds.add(i.VpcId);
    const profile = i.IamInstanceProfile?.Arn ? nameOfArn(i.IamInstanceProfile.Arn) : undefined;
    if (profile) needs.instanceProfiles.add(profile);
    const userData = await call.send('ec2', new ec2.DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }),
      `the user data of ${id} is unknown, so containers it starts are not judged`);
    const nics = i.NetworkInterfaces ?? [];
    const groups = [...new Set([...(i.SecurityGroups ?? []).map(g => g.GroupId), ...nics.flatMap(n => (n.Groups ?? []).map(g => g.GroupId))])];
    b.add(id, 'AWS::EC2::Instance', {
      SubnetId: i.SubnetId ? ref(i.SubnetId) : undefined,
      SecurityGroupIds: refs(groups),
      IamInstanceProfile: profile ? ref(`instance-profile/${profile}`, profile) : undefined,
      MetadataOptions: i.MetadataOptions ? {
        HttpTokens: i.MetadataOptions.HttpTokens,
        HttpPutResponseHopLimit: i.MetadataOptions.HttpPutResponseHopLimit,
        HttpEndpoint: i.MetadataOptions.HttpEndpoint,
      } : undefined,
      // base64, as CloudFormation takes it; the model decodes a literal
      UserData: userData.ok ? userData.value.UserData?.Value : undefined,
    }, id);
  }
}

async function readFunction(call: LiveCaller, b: LiveStackBuilder, name: string, needs: WorkloadNeeds): Promise<void> {
  const lambda = call.modules.lambda;
  if (!lambda || !call.client('lambda')) {
    call.note(`Lambda function ${name} is left out: reading it needs ${OPTIONAL_PACKAGES.lambda} (npm install it)`);
    return;
  }
  const r = await call.send('lambda', new lambda.GetFunctionConfigurationCommand({ FunctionName: name }),
    `Lambda function ${name} is unknown, so it cannot be explained`, ['ResourceNotFoundException']);
  if (!r.ok) {
    if (!r.denied) call.note(`Lambda function ${name} was not found`);
    return;
  }
  const fn = r.value;
  const vpc = fn.VpcConfig;
  if (vpc?.VpcId) needs.vpcIds.add(vpc.VpcId);
  if (fn.Role) needs.roleNames.add(nameOfArn(fn.Role));
  const fnName = fn.FunctionName ?? name;
  b.add(`lambda/${fnName}`, 'AWS::Lambda::Function', {
    FunctionName: fnName,
    Role: roleRef(fn.Role),
    PackageType: fn.PackageType,
    Runtime: fn.Runtime,
    VpcConfig: vpc?.SubnetIds?.length ? {
      SubnetIds: refs(vpc.SubnetIds),
      SecurityGroupIds: refs(vpc.SecurityGroupIds),
      Ipv6AllowedForDualStack: vpc.Ipv6AllowedForDualStack,
    } : undefined,
    Environment: fn.Environment?.Variables ? { Variables: fn.Environment.Variables } : undefined,
  }, `lambda/${fnName}`, `Function${fnName}`);
}

async function readService(call: LiveCaller, b: LiveStackBuilder, cluster: string, service: string, needs: WorkloadNeeds): Promise<void> {
  const ecs = call.modules.ecs;
  const label = `ECS service ${cluster}/${service}`;
  if (!ecs || !call.client('ecs')) {
    call.note(`${label} is left out: reading it needs ${OPTIONAL_PACKAGES.ecs} (npm install it)`);
    return;
  }
  const r = await call.send('ecs', new ecs.DescribeServicesCommand({ cluster, services: [service] }),
    `${label} is unknown, so it cannot be explained`, ['ClusterNotFoundException']);
  const svc = r.ok ? r.value.services?.[0] : undefined;
  if (!svc) {
    if (r.ok || !r.denied) call.note(`${label} was not found`);
    return;
  }
  const awsvpc = svc.networkConfiguration?.awsvpcConfiguration;
  for (const s of awsvpc?.subnets ?? []) needs.subnetIds.add(s);
  const taskDefArn: string | undefined = svc.taskDefinition;
  let taskDefKey: string | undefined;
  if (taskDefArn) {
    const td = await call.send('ecs', new ecs.DescribeTaskDefinitionCommand({ taskDefinition: taskDefArn }),
      `task definition ${taskDefArn} is unknown, so the roles and containers of ${label} are not judged`);
    const def = td.ok ? td.value.taskDefinition : undefined;
    if (def) {
      taskDefKey = `task-definition/${def.family}:${def.revision}`;
      for (const arn of [def.taskRoleArn, def.executionRoleArn]) if (arn) needs.roleNames.add(nameOfArn(arn));
      b.add(taskDefKey, 'AWS::ECS::TaskDefinition', {
        Family: def.family,
        NetworkMode: def.networkMode,
        RequiresCompatibilities: def.requiresCompatibilities,
        TaskRoleArn: roleRef(def.taskRoleArn),
        ExecutionRoleArn: roleRef(def.executionRoleArn),
        ContainerDefinitions: (def.containerDefinitions ?? []).map((c: any) => ({
          Name: c.name,
          Image: c.image,
          Environment: (c.environment ?? []).map((e: any) => ({ Name: e.name, Value: e.value })),
          LogConfiguration: c.logConfiguration ? { LogDriver: c.logConfiguration.logDriver } : undefined,
        })),
      }, taskDefKey, `TaskDefinition${def.family}${def.revision}`);
    }
  }
  const name = svc.serviceName ?? nameOfArn(service);
  b.add(`ecs/${name}`, 'AWS::ECS::Service', {
    ServiceName: name,
    Cluster: svc.clusterArn ?? cluster,
    TaskDefinition: taskDefKey ? ref(taskDefKey, taskDefArn) : taskDefArn,
    LaunchType: svc.launchType,
    CapacityProviderStrategy: svc.capacityProviderStrategy?.map((c: any) => ({ CapacityProvider: c.capacityProvider, Weight: c.weight })),
    NetworkConfiguration: awsvpc ? {
      AwsvpcConfiguration: {
        Subnets: refs(awsvpc.subnets),
        SecurityGroups: refs(awsvpc.securityGroups),
        AssignPublicIp: awsvpc.assignPublicIp,
      },
    } : undefined,
  }, `ecs/${nameOfArn(svc.clusterArn ?? cluster)}/${name}`, `Service${name}`);
}
