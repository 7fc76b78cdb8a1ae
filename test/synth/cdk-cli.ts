/**
 * Runs the real CDK CLI (`cdk synth`) on an app of this repository, in a fresh directory, against one aws-cdk-lib of
 * the compatibility matrix: the floor (the dev dependencies) or the newest (compat/newest, with its own CLI).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.join(__dirname, '..', '..');

/** One aws-cdk-lib of the matrix and the CDK CLI installed with it. */
export interface CdkVersion {
  readonly name: string;
  /** The folder whose node_modules holds aws-cdk-lib, constructs, cdk-nag and the aws-cdk CLI. */
  readonly root: string;
}

export const FLOOR: CdkVersion = { name: 'floor', root: REPO };
export const NEWEST: CdkVersion = { name: 'newest', root: path.join(REPO, 'compat', 'newest') };

/** The versions of aws-cdk-lib and of the CLI that a matrix entry has installed (throws when it is not installed). */
export function installedVersions(v: CdkVersion): { lib: string; cli: string } {
  const read = (pkg: string) => {
    const file = path.join(v.root, 'node_modules', pkg, 'package.json');
    if (!fs.existsSync(file)) {
      throw new Error(`${pkg} is not installed in ${v.root}: run \`npm ci --prefix compat/newest\` (or \`npx projen test:newest\`)`);
    }
    return JSON.parse(fs.readFileSync(file, 'utf8')).version as string;
  };
  return { lib: read('aws-cdk-lib'), cli: read('aws-cdk') };
}

/** What one `cdk synth` did. */
export interface SynthResult {
  readonly code: number | null;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  /** The aws-cdk-lib version that built the app (from cdk.out/tree.json), when synthesis wrote one. */
  readonly libVersion?: string;
}

/**
 * Whether every source of lib/ has a compiled .js at least as new (as after `npx projen compile`): the apps then
 * load the library as users do, and ~3 s faster per synth than through ts-node; else ts-node compiles the sources.
 */
export function compiledLibIsFresh(dir = path.join(REPO, 'lib')): boolean {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!compiledLibIsFresh(file)) return false;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const js = file.replace(/\.ts$/, '.js');
      if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(file).mtimeMs) return false;
    }
  }
  return true;
}

/** Options of {@link cdkSynth}. */
export interface SynthOptions {
  /**
   * Turn off aws-cdk-lib's built-in CloudFormation validation in the app (`CDK_VALIDATION=false`, which `cdk synth
   * --no-validation` passes it), which newer aws-cdk-lib runs on every synth: it judges nothing of this library's
   * and costs ~6 s per synth here. The CLI itself keeps validating.
   */
  readonly noBuiltinValidation?: boolean;
}

/** Runs `cdk synth <args>` on `app` (a .ts file of this repository) with version `v`, in a new temp directory. */
export function cdkSynth(v: CdkVersion, app: string, args: readonly string[], options: SynthOptions = {}): Promise<SynthResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-synth-'));
  fs.copyFileSync(path.join(REPO, 'cdk.context.json'), path.join(dir, 'cdk.context.json'));
  // the app's own environment: the CLI reads CDK_VALIDATION too, and would then skip its own validation of Stages
  const node = [
    ...(options.noBuiltinValidation ? ['env', 'CDK_VALIDATION=false'] : []),
    'node',
    '-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'),
    '-r', path.join(__dirname, 'cdk-modules.ts'),
    path.join(REPO, app),
  ].map(a => JSON.stringify(a)).join(' ');
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: node }));
  const cli = path.join(v.root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'synth', '--quiet', ...args], {
      cwd: dir,
      env: {
        ...process.env,
        S3PA_CDK_MODULES: path.join(v.root, 'node_modules'),
        TS_NODE_PROJECT: path.join(REPO, 'test', 'tsconfig.json'),
        TS_NODE_PREFER_TS_EXTS: compiledLibIsFresh() ? 'false' : 'true',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
      },
    });
    let output = '';
    child.stdout.on('data', d => { output += String(d); });
    child.stderr.on('data', d => { output += String(d); });
    child.on('error', reject);
    child.on('close', code => {
      const libVersion = treeVersion(path.join(dir, 'cdk.out', 'tree.json'));
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, output, libVersion });
    });
  });
}

function treeVersion(file: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).tree?.constructInfo?.version;
  } catch {
    return undefined;
  }
}

/** Runs the jobs at most `limit` at a time; resolves to their results, in order. */
export async function inParallel<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
