/**
 * The README's quick start, as a new user runs it: `cdk init app --language typescript` (the newest CDK CLI of the
 * compatibility matrix, without network: `--generate-only`, then `npm install`, which brings the newest aws-cdk-lib),
 * `npm install` of this library from `npm pack`, the README's stack file unchanged, `cdk synth` (exit 0), then the
 * README's "delete the line" step (exit 1 with the rule, the path and the fix).
 *
 * Run after `npx projen compile` (the package needs lib/*.js): `npx projen quickstart`. Exits non-zero on any failure.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

function step(title: string): void {
  process.stdout.write(`\n== quickstart: ${title}\n`);
}

function run(cmd: string, args: string[], cwd: string): string {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  process.stdout.write(`$ ${cmd} ${args.join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.status})\n`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

/** The code block after `<!-- quickstart:file PATH -->` in the README, by path. */
function quickstartFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- quickstart:file (\S+) -->\n```[^\n]*\n([\s\S]*?)```/g;
  for (let m = re.exec(README); m; m = re.exec(README)) out.set(m[1], m[2]);
  if (out.size === 0) throw new Error('README.md has no <!-- quickstart:file ... --> block');
  return out;
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-quickstart-'));
  try {
    step('npm pack');
    const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
    const tarball = path.join(work, packed);

    step('cdk init app --language typescript (the newest CDK CLI of the matrix)');
    const app = path.join(work, 'my-app');
    fs.mkdirSync(app);
    const cdk = path.join(REPO, 'compat', 'newest', 'node_modules', 'aws-cdk', 'bin', 'cdk');
    run(process.execPath, [cdk, 'init', 'app', '--language', 'typescript', '--generate-only'], app);
    run('npm', ['install', '--no-audit', '--no-fund'], app);
    run('npm', ['install', '--no-audit', '--no-fund', tarball], app);
    // cdk-nag is an optional peer: the quick start installs nothing but the library, and must work without it
    const versions = ['aws-cdk-lib', 'aws-cdk', 'cdk-nag', 'typescript'].map(p => {
      const manifest = path.join(app, 'node_modules', p, 'package.json');
      return `${p} ${fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : 'not installed'}`;
    });
    process.stdout.write(`installed: ${versions.join(', ')}\n`);

    step('the README\'s stack file, unchanged; cdk synth succeeds');
    for (const [file, code] of quickstartFiles()) fs.writeFileSync(path.join(app, file), code);
    run(process.execPath, [path.join(app, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet'], app);

    step('the README\'s fault: delete `access.allowFrom(fn);`, cdk synth fails with the rule, the path and the fix');
    const stackFile = path.join(app, 'lib', 'my-app-stack.ts');
    const code = fs.readFileSync(stackFile, 'utf8');
    const broken = code.split('\n').filter(l => !l.trim().startsWith('access.allowFrom(fn);')).join('\n');
    if (broken === code) throw new Error('the quick start has no `access.allowFrom(fn);` line to delete');
    fs.writeFileSync(stackFile, broken);
    const r = spawnSync(process.execPath, [path.join(app, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet'], {
      cwd: app, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    const output = `${r.stdout}${r.stderr}`;
    const expected = ['S3PA-SgEgress', 'MyAppStack/ReaderSg/Resource', 'Fix: add egress TCP 443 to the S3 prefix list'];
    const missing = expected.filter(t => !output.includes(t));
    if (r.status === 0 || missing.length > 0) {
      throw new Error(`cdk synth of the faulty quick start: exit ${r.status}, missing ${JSON.stringify(missing)}:\n${output}`);
    }
    process.stdout.write(`exit ${r.status}, with ${expected.map(t => `"${t}"`).join(', ')}\n`);
    process.stdout.write('\nquickstart: 2 passed, 0 failed\n');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`quickstart failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
