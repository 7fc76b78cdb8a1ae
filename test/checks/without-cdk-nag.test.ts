import { execFileSync } from 'child_process';
import * as path from 'path';

/*
 * cdk-nag is an optional peer dependency. A project without it (npm --legacy-peer-deps, or a user who skipped the
 * optional peer) must load the library and synthesize the construct; only constructing the cdk-nag pack needs it.
 * The check runs in a child node process whose module resolution cannot find cdk-nag.
 */

const ROOT = path.join(__dirname, '..', '..');

function runWithoutCdkNag(): any {
  const stdout = execFileSync(process.execPath, [
    '-r', path.join(__dirname, 'fixtures', 'hide-cdk-nag.js'),
    '-r', 'ts-node/register/transpile-only',
    path.join(__dirname, 'fixtures', 'synth-without-cdk-nag.ts'),
  ], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return JSON.parse(stdout);
}

describe('the library without cdk-nag installed', () => {
  const result = runWithoutCdkNag();

  test('GIVEN cdk-nag cannot be resolved THEN the library loads from its index', () => {
    expect(result.cdkNagResolvable).toBe(false);
    expect(result.exports).toBeGreaterThan(10);
    expect(result.nagPackIsClass).toBe(true);
  });

  test('GIVEN cdk-nag cannot be resolved THEN S3PrivateAccess synthesizes with the checks on', () => {
    expect(result.resourceTypes).toEqual(expect.arrayContaining(['AWS::EC2::VPCEndpoint', 'AWS::S3::BucketPolicy']));
  });

  test('GIVEN cdk-nag cannot be resolved WHEN the nag pack is constructed THEN it says to install cdk-nag', () => {
    expect(result.nagPackError).toMatch(/^the cdk-nag front ends of cdk-s3-private-access need the cdk-nag package, which cannot be loaded \(Cannot find module 'cdk-nag'\): install it with `npm install cdk-nag@\^3`/);
  });
});
