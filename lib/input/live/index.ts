/**
 * `--live`: reads a deployed account's network, buckets, access points, roles and workloads with read-only AWS SDK v3 calls and
 * writes them as synthetic CloudFormation templates, so the same model and rules judge the deployed state.
 *
 * The SDK packages are dev dependencies of this library: they are loaded with `require` when `readLiveStacks`
 * runs, with a clear error when they are missing.
 *
 * Internal: not exported from the package's index.
 */
import { readAccessPoints } from './access-points';
import { LIVE_READ_ONLY_ACTIONS, liveReadOnlyPolicy, LiveService } from './actions';
import { readBuckets } from './buckets';
import { LiveStackBuilder } from './builder';
import { readNetwork } from './network';
import { readInstanceProfiles, readRoles } from './roles';
import { LiveCaller, LiveNote, loadSdkModules, SdkClient, SdkModules } from './sdk';
import { LiveWorkloads, readWorkloads } from './workloads';
import { StackTemplate } from '../../model/values';

export { LIVE_READ_ONLY_ACTIONS, liveReadOnlyPolicy };
export type { LiveNote, LiveWorkloads, SdkClient };

/** What to read. */
export interface LiveOptions {
  /** The region to read (buckets of other regions are read into a stack of their own region). */
  readonly region: string;
  /** A profile of the shared AWS config and credentials files; default: the SDK's default credential chain. */
  readonly profile?: string;
  /** VPCs to read; default: every VPC of the region. The VPCs of the given workloads are always read. */
  readonly vpcIds?: string[];
  /** Buckets to read by name. */
  readonly bucketNames?: string[];
  /** Roles to read by name; the roles of the given workloads are always read. */
  readonly roleNames?: string[];
  /** Workloads to read (for `explain --from`). */
  readonly workloads?: LiveWorkloads;
  /** Clients to use instead of new ones (tests inject mocked clients). */
  readonly clients?: Partial<Record<LiveService, SdkClient>>;
  /** SDK modules to use instead of `require` (tests inject them; a missing optional one disables its workloads). */
  readonly modules?: SdkModules;
}

/** The synthetic templates and what could not be read. */
export interface LiveResult {
  /** One stack per region read: `live-<region>` (the main region first). */
  readonly stacks: StackTemplate[];
  /** Calls that were denied, resources not found, buckets in other regions... for the CLI to print as warnings. */
  readonly notes: LiveNote[];
}

/** Reads the deployed state into templates that `checkTemplates` / `buildModel` take as they are. */
export async function readLiveStacks(options: LiveOptions): Promise<LiveResult> {
  const modules = options.modules ?? loadSdkModules();
  const call = new LiveCaller(modules, createClients(modules, options));
  const builders = new Map<string, LiveStackBuilder>();
  const stackFor = (region: string) => {
    let b = builders.get(region);
    if (!b) {
      b = new LiveStackBuilder(`live-${region}`, region, undefined);
      builders.set(region, b);
    }
    return b;
  };
  const main = stackFor(options.region);

  const needs = await readWorkloads(call, main, options.workloads ?? {});
  let vpcIds = options.vpcIds ? new Set(options.vpcIds) : undefined;
  if (vpcIds) {
    for (const id of needs.vpcIds) vpcIds.add(id);
    for (const id of await vpcsOfSubnets(call, [...needs.subnetIds])) vpcIds.add(id);
  }
  const network = await readNetwork(call, main, vpcIds ? [...vpcIds] : undefined);
  const profileRoles = await readInstanceProfiles(call, main, [...needs.instanceProfiles]);
  const roleNames = [...new Set([...options.roleNames ?? [], ...needs.roleNames, ...profileRoles])];
  const roleAccount = await readRoles(call, main, roleNames);
  await readBuckets(call, options.bucketNames ?? [], options.region, stackFor);

  const account = network.account ?? roleAccount;
  await readAccessPoints(call, main, account);
  const stacks = [...builders.values()].map(b => {
    b.account = account;
    return b.build(b === main ? network.prefixLists : undefined);
  });
  return { stacks, notes: call.notes };
}

/** New clients for the region (and profile), except those the options inject. */
function createClients(modules: SdkModules, options: LiveOptions): Record<LiveService, SdkClient | undefined> {
  const config = { region: options.region, ...(options.profile ? { profile: options.profile } : {}) };
  const make = (service: LiveService, ctor: any, extra: Record<string, unknown> = {}): SdkClient | undefined =>
    options.clients?.[service] ?? (ctor ? new ctor({ ...config, ...extra }) : undefined);
  return {
    ec2: make('ec2', modules.ec2.EC2Client),
    // buckets of other regions answer with a redirect unless the client follows it
    s3: make('s3', modules.s3.S3Client, { followRegionRedirects: true }),
    iam: make('iam', modules.iam.IAMClient),
    lambda: make('lambda', modules.lambda?.LambdaClient),
    ecs: make('ecs', modules.ecs?.ECSClient),
    s3control: make('s3control', modules.s3control?.S3ControlClient),
  };
}

/** The VPCs of subnets that workloads name without their VPC (ECS services). */
async function vpcsOfSubnets(call: LiveCaller, subnetIds: string[]): Promise<string[]> {
  if (subnetIds.length === 0) return [];
  const r = await call.send('ec2', new call.modules.ec2.DescribeSubnetsCommand({ SubnetIds: subnetIds }),
    `the VPCs of subnets ${subnetIds.join(', ')} are unknown, so they are read only if in the given VPCs`);
  return r.ok ? (r.value.Subnets ?? []).map((s: any) => s.VpcId).filter((v: any): v is string => typeof v === 'string') : [];
}

