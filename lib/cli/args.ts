/**
 * Argument parsing of the `s3-private-access` CLI (node's `util.parseArgs`, no dependencies).
 *
 * Internal: not exported from the package's index.
 */
import { parseArgs } from 'util';

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

const CHECK_USAGE = `  s3-private-access check [cdk.out | template.json ...] [options]
      runs every rule of the catalog over the synthesized templates (default: cdk.out), nested stacks included
      --format text|json|sarif    output format (default text)
      --disable RULE              skip a rule (repeatable), e.g. --disable S3PA-PrefixListLiteral
      --warnings-as-errors        exit 1 on warnings too
      --live --region R [--profile P] [--vpc ID ...] [--bucket NAME ...] [--role NAME ...]
                                  judge the deployed account instead (read-only AWS calls)`;

const EXPLAIN_USAGE = `  s3-private-access explain [cdk.out] --from WORKLOAD --bucket BUCKET [options]
      the path of one request from a workload to a bucket, hop by hop
      --from WORKLOAD             construct path or logical id of a Lambda function, ECS service, instance...
      --bucket BUCKET             construct path, logical id or name of the bucket
      --action ACTION             the S3 action (default s3:GetObject)
      --key KEY                   the object key (default: one inside the workload's grant)
      --format text|json|mermaid  output format (default text)
      --live --region R [--profile P] [--vpc ID ...] [--role NAME ...]
                                  judge the deployed account: --from is a function name or ARN, an instance id
                                  (i-...) or an ECS service as ecs:<cluster>/<service>; --bucket a bucket name`;

const EXIT_CODES = 'exit codes: 0 no error (check) or no failing hop (explain); 1 errors found or a hop fails; 2 bad usage or input';

/** The usage of both commands (`s3-private-access --help`). */
export const USAGE = `usage:\n${CHECK_USAGE}\n\n${EXPLAIN_USAGE}\n\n${EXIT_CODES}`;

/** The usage of one command (`s3-private-access check --help`), or of both. */
export function usageOf(command?: string): string {
  if (command === 'check') return `usage:\n${CHECK_USAGE}\n\n${EXIT_CODES}`;
  if (command === 'explain') return `usage:\n${EXPLAIN_USAGE}\n\n${EXIT_CODES}`;
  return USAGE;
}

/** Parsed options of both commands. */
export interface CliArgs {
  readonly command: 'check' | 'explain' | 'help' | 'version';
  /** For `help`: the command whose usage to print (all when undefined). */
  readonly topic?: 'check' | 'explain';
  readonly inputs: string[];
  readonly format: string;
  readonly disable: string[];
  readonly warningsAsErrors: boolean;
  readonly from?: string;
  readonly buckets: string[];
  readonly action?: string;
  readonly key?: string;
  readonly live: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly vpcs: string[];
  readonly roles: string[];
}

const FORMATS: Record<string, string[]> = { check: ['text', 'json', 'sarif'], explain: ['text', 'json', 'mermaid'] };

/** Parses argv (without `node` and the script); throws {@link UsageError} on bad usage. */
export function parseCli(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command: use check or explain');
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0];
    if (topic !== undefined && topic !== 'check' && topic !== 'explain') {
      throw new UsageError(`unknown command '${topic}': use help check or help explain`);
    }
    return { ...empty('help'), topic };
  }
  if (command === 'version' || command === '--version') return empty('version');
  if (command !== 'check' && command !== 'explain') {
    throw new UsageError(`unknown command '${command}': use check or explain`);
  }
  if (rest.includes('--help') || rest.includes('-h')) return { ...empty('help'), topic: command };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (e) {
    // node's messages run on with advice about positionals: keep the first sentence
    throw new UsageError(`${lowerFirst((e as Error).message.split('. ')[0].replace(/\.$/, ''))}: see s3-private-access ${command} --help`);
  }
  const v = parsed.values;
  const format = v.format ?? 'text';
  if (!FORMATS[command].includes(format)) {
    throw new UsageError(`unknown format '${format}' for ${command}: use ${FORMATS[command].join(', ')}`);
  }
  const args: CliArgs = {
    command,
    inputs: parsed.positionals,
    format,
    disable: v.disable ?? [],
    warningsAsErrors: v['warnings-as-errors'] ?? false,
    from: v.from,
    buckets: v.bucket ?? [],
    action: v.action,
    key: v.key,
    live: v.live ?? false,
    region: v.region,
    profile: v.profile,
    vpcs: v.vpc ?? [],
    roles: v.role ?? [],
  };
  validate(args);
  return args;
}

function parse(rest: string[]) {
  return parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      'format': { type: 'string' },
      'disable': { type: 'string', multiple: true },
      'warnings-as-errors': { type: 'boolean' },
      'from': { type: 'string' },
      'bucket': { type: 'string', multiple: true },
      'action': { type: 'string' },
      'key': { type: 'string' },
      'live': { type: 'boolean' },
      'region': { type: 'string' },
      'profile': { type: 'string' },
      'vpc': { type: 'string', multiple: true },
      'role': { type: 'string', multiple: true },
      'help': { type: 'boolean', short: 'h' },
    },
  });
}

function validate(a: CliArgs): void {
  const only = (flag: string, used: boolean, where: string) => {
    if (used) throw new UsageError(`${flag} is an option of ${where}, not of ${a.command}: see s3-private-access ${a.command} --help`);
  };
  if (a.command === 'check') {
    only('--from', a.from !== undefined, 'explain');
    only('--action', a.action !== undefined, 'explain');
    only('--key', a.key !== undefined, 'explain');
    if (!a.live) only('--bucket', a.buckets.length > 0, 'explain (and of check --live)');
  } else {
    only('--disable', a.disable.length > 0, 'check');
    only('--warnings-as-errors', a.warningsAsErrors, 'check');
    if (a.from === undefined) throw new UsageError('explain needs --from <construct path or logical id of the workload>');
    if (a.buckets.length !== 1) {
      throw new UsageError(`explain needs exactly one --bucket <construct path, logical id or name>, got ${a.buckets.length}`);
    }
    if (a.inputs.length > 1) throw new UsageError(`explain reads one cloud assembly directory, got ${a.inputs.join(', ')}`);
  }
  if (a.live) {
    if (a.inputs.length > 0) throw new UsageError(`--live reads the deployed account, not ${a.inputs.join(', ')}: drop the directory or --live`);
    if (!a.region) throw new UsageError('--live needs --region <region>, e.g. --region eu-west-1');
  } else {
    only('--region', a.region !== undefined, '--live');
    only('--profile', a.profile !== undefined, '--live');
    only('--vpc', a.vpcs.length > 0, '--live');
    only('--role', a.roles.length > 0, '--live');
  }
}

function empty(command: 'help' | 'version'): CliArgs {
  return { command, inputs: [], format: 'text', disable: [], warningsAsErrors: false, buckets: [], live: false, vpcs: [], roles: [] };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
