/**
 * `--live`: reads the deployed account with lib/live (read-only AWS SDK calls) into templates, which then go through
 * the same engine as a synthesized app.
 *
 * Internal: not exported from the package's index.
 */
import { CliArgs, UsageError } from './args';
import { LiveNote, LiveWorkloads, readLiveStacks } from '../live';
import { StackTemplate } from '../model/values';

/** The live templates, and what could not be read. */
export interface LiveTemplates {
  readonly stacks: StackTemplate[];
  readonly notes: LiveNote[];
  /** For explain: the workload's name as the live templates carry it. */
  readonly from?: string;
}

/** Reads the account for `check --live` or `explain --live`. */
export async function readLive(args: CliArgs): Promise<LiveTemplates> {
  const target = args.command === 'explain' && args.from !== undefined ? liveWorkload(args.from) : undefined;
  const result = await readLiveStacks({
    region: args.region!,
    profile: args.profile,
    vpcIds: args.vpcs.length > 0 ? args.vpcs : undefined,
    bucketNames: args.buckets.length > 0 ? args.buckets : undefined,
    roleNames: args.roles.length > 0 ? args.roles : undefined,
    workloads: target?.workloads,
  });
  return { stacks: result.stacks, notes: result.notes, from: target?.name };
}

/**
 * The workload `--from` names in live mode: an instance id (`i-…`), an ECS service (`ecs:<cluster>/<service>` or a
 * service ARN), else a Lambda function name or ARN.
 */
export function liveWorkload(from: string): { workloads: LiveWorkloads; name: string } {
  if (/^i-[0-9a-f]{8,17}$/.test(from)) return { workloads: { instanceIds: [from] }, name: from };
  const ecs = /^ecs:([^/]+)\/([^/]+)$/.exec(from) ?? /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/([^/]+)\/([^/]+)$/.exec(from);
  if (ecs) return { workloads: { ecsServices: [{ cluster: ecs[1], service: ecs[2] }] }, name: ecs[2] };
  if (from.startsWith('ecs:') || /:ecs:/.test(from)) {
    throw new UsageError(`cannot read ECS service '${from}': pass it as ecs:<cluster>/<service> or as a service ARN with its cluster`);
  }
  const fn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(from)?.[1] ?? from;
  if (!/^[A-Za-z0-9_-]{1,140}$/.test(fn)) {
    throw new UsageError(`'${from}' is not a workload the live reader knows: pass a Lambda function name or ARN, an instance id (i-...) or ecs:<cluster>/<service>`);
  }
  return { workloads: { lambdaFunctions: [from] }, name: fn };
}
