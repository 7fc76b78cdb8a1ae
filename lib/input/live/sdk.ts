/**
 * Loading the AWS SDK v3 clients at run time (they are dev dependencies of this library, not runtime ones) and
 * sending read-only calls with the failures `--live` expects: access denied becomes a note, "not there" an absent
 * value, anything else an error that names the call.
 *
 * Internal: not exported from the package's index.
 */
import { actionOf, LiveService } from './actions';

/** Anything with the SDK v3 client's `send`. */
export interface SdkClient {
  send(command: any): Promise<any>;
}

/** The SDK packages `--live` needs, and the optional ones for Lambda and ECS workloads and S3 access points. */
export const REQUIRED_PACKAGES = ['@aws-sdk/client-ec2', '@aws-sdk/client-s3', '@aws-sdk/client-iam'] as const;
export const OPTIONAL_PACKAGES: Readonly<Record<'lambda' | 'ecs' | 's3control', string>> = {
  lambda: '@aws-sdk/client-lambda',
  ecs: '@aws-sdk/client-ecs',
  s3control: '@aws-sdk/client-s3control',
};

/** The loaded SDK modules (command classes, paginators and client classes). */
export interface SdkModules {
  readonly ec2: any;
  readonly s3: any;
  readonly iam: any;
  /** undefined when `@aws-sdk/client-lambda` is not installed. */
  readonly lambda?: any;
  /** undefined when `@aws-sdk/client-ecs` is not installed. */
  readonly ecs?: any;
  /** undefined when `@aws-sdk/client-s3control` (access points) is not installed. */
  readonly s3control?: any;
}

/** Loads the SDK packages with a plain `require`, so the library does not depend on them at run time. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time: dev dependencies, not runtime ones
export function loadSdkModules(load: (name: string) => any = name => require(name)): SdkModules {
  const missing: string[] = [];
  const loaded: Record<string, any> = {};
  for (const name of REQUIRED_PACKAGES) {
    try {
      loaded[name] = load(name);
    } catch (e) {
      missing.push(`${name} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (missing.length > 0) {
    throw new Error('--live needs @aws-sdk/client-ec2, @aws-sdk/client-s3 and @aws-sdk/client-iam: npm install them '
      + `(could not load ${missing.join(', ')})`);
  }
  const optional = (name: string) => {
    try {
      return load(name);
    } catch {
      return undefined;
    }
  };
  return {
    ec2: loaded['@aws-sdk/client-ec2'],
    s3: loaded['@aws-sdk/client-s3'],
    iam: loaded['@aws-sdk/client-iam'],
    lambda: optional(OPTIONAL_PACKAGES.lambda),
    ecs: optional(OPTIONAL_PACKAGES.ecs),
    s3control: optional(OPTIONAL_PACKAGES.s3control),
  };
}

/** Error names (and HTTP 403) that mean the caller may not make the call. */
const DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'Forbidden',
  'AllAccessDisabled', 'AuthorizationError',
]);

export function isAccessDenied(e: unknown): boolean {
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return DENIED.has(err?.name ?? '') || DENIED.has(err?.Code ?? '') || err?.$metadata?.httpStatusCode === 403;
}

/** Something `--live` could not read, or read differently than asked, for the CLI to print. */
export interface LiveNote {
  /** The IAM action of the call, when the note is about one call (e.g. `ec2:DescribeRouteTables`). */
  readonly action?: string;
  /** What happened and what it means for the checks. Lowercase start, no trailing period. */
  readonly message: string;
}

/** The outcome of one call: its answer, or why there is none. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; denied: boolean; error: Error };

/** Sends commands, collects notes and records the IAM action of every command sent. */
export class LiveCaller {
  readonly notes: LiveNote[] = [];

  constructor(readonly modules: SdkModules, private readonly clients: Readonly<Record<LiveService, SdkClient | undefined>>) {}

  client(service: LiveService): SdkClient | undefined {
    return this.clients[service];
  }

  /**
   * Sends one command. Access denied: a note (`what` says what stays unknown) and `{ ok: false, denied: true }`.
   * An error named in `absent` (e.g. `NoSuchBucketPolicy`): `{ ok: false, denied: false }`, no note. Anything else
   * is thrown with the call's action in the message.
   */
  async send<T = any>(service: LiveService, command: any, what: string, absent: readonly string[] = []): Promise<CallResult<T>> {
    const client = this.clients[service];
    const action = actionOf(service, command);
    if (!client) throw new Error(`no ${service} client to call ${action}`);
    try {
      return { ok: true, value: await client.send(command) as T };
    } catch (e) {
      return this.failure(action, e, what, absent);
    }
  }

  /** Every page of an SDK paginator, or the failure of the first page that failed. */
  async pages<T = any>(
    service: LiveService, paginator: (config: any, input: any) => AsyncIterable<T>, input: any, command: any, what: string,
  ): Promise<CallResult<T[]>> {
    const action = actionOf(service, command);
    const out: T[] = [];
    try {
      for await (const page of paginator({ client: this.clients[service] }, input)) out.push(page);
      return { ok: true, value: out };
    } catch (e) {
      return this.failure(action, e, what, []);
    }
  }

  note(message: string, action?: string): void {
    this.notes.push(action ? { action, message } : { message });
  }

  private failure<T>(action: string, e: unknown, what: string, absent: readonly string[]): CallResult<T> {
    const err = e instanceof Error ? e : new Error(String(e));
    if (absent.includes(err.name) || absent.includes((e as { Code?: string })?.Code ?? '')) {
      return { ok: false, denied: false, error: err };
    }
    if (isAccessDenied(e)) {
      this.note(`access denied on ${action} (${err.name}): ${what}`, action);
      return { ok: false, denied: true, error: err };
    }
    throw new Error(`${action} failed: ${err.name}: ${err.message}`);
  }
}
