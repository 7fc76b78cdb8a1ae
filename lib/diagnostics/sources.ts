/**
 * Where the diagnostics read an app from: template files and cloud assembly directories, or the deployed account
 * (`--live`: read-only AWS SDK calls, through lib/input/live), each as templates that go through the same engine as
 * a synthesized app.
 *
 * Internal: not exported from the package's index.
 */
import { readInputs, TemplateSet } from '../input/assembly';
import { LiveNote, LiveWorkloads, readLiveStacks } from '../input/live';
import { StackTemplate } from '../model/values';

export type { TemplateSet };

/** Template files and cloud assembly directories (nested assemblies of Stages included), read as one set. */
export function readTemplateInputs(inputs: readonly string[]): TemplateSet {
  return readInputs(inputs);
}

/** What to read of a deployed account. */
export interface LiveReadOptions {
  readonly region: string;
  readonly profile?: string;
  readonly vpcIds: string[];
  readonly bucketNames: string[];
  readonly roleNames: string[];
  /** The workload to explain, as `explain --from` names it; undefined for `check`. */
  readonly from?: string;
}

/** The live templates, and what could not be read. */
export interface LiveTemplates {
  readonly stacks: StackTemplate[];
  readonly notes: LiveNote[];
  /** For explain: the workload's name as the live templates carry it. */
  readonly from?: string;
}

/** Reads the account for `check --live` or `explain --live`. */
export async function readLive(options: LiveReadOptions): Promise<LiveTemplates> {
  const target = options.from !== undefined ? liveWorkload(options.from) : undefined;
  const result = await readLiveStacks({
    region: options.region,
    profile: options.profile,
    vpcIds: options.vpcIds.length > 0 ? options.vpcIds : undefined,
    bucketNames: options.bucketNames.length > 0 ? options.bucketNames : undefined,
    roleNames: options.roleNames.length > 0 ? options.roleNames : undefined,
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
    throw new Error(`cannot read ECS service '${from}': pass it as ecs:<cluster>/<service> or as a service ARN with its cluster`);
  }
  const fn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(from)?.[1] ?? from;
  if (!/^[A-Za-z0-9_-]{1,140}$/.test(fn)) {
    throw new Error(`'${from}' is not a workload the live reader knows: pass a Lambda function name or ARN, an instance id (i-...) or ecs:<cluster>/<service>`);
  }
  return { workloads: { lambdaFunctions: [from] }, name: fn };
}
