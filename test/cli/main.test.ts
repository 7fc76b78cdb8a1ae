import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { cleanUp, synthExample, tempDir } from '../diagnostics/fixtures';

/** Runs the CLI in-process; returns the exit code and what it wrote. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}

let ok: string;
let faulty: string;
let files: string;
beforeAll(() => {
  ok = synthExample();
  faulty = synthExample('route-not-associated');
  files = tempDir();
});
afterAll(() => cleanUp([ok, faulty, files]));

/** The fault-free template plus a DHCP options set with a custom DNS server on its VPC (S3PA-CustomDns, a warning). */
function templateWithCustomDns(): string {
  const template = JSON.parse(fs.readFileSync(path.join(ok, 'S3PrivateAccessExample.template.json'), 'utf8'));
  const vpc = Object.keys(template.Resources).find(k => template.Resources[k].Type === 'AWS::EC2::VPC')!;
  template.Resources.Dhcp = { Type: 'AWS::EC2::DHCPOptions', Properties: { DomainNameServers: ['10.9.9.9'] } };
  template.Resources.DhcpAssoc = {
    Type: 'AWS::EC2::VPCDHCPOptionsAssociation',
    Properties: { DhcpOptionsId: { Ref: 'Dhcp' }, VpcId: { Ref: vpc } },
  };
  const file = path.join(files, 'custom-dns.json');
  fs.writeFileSync(file, JSON.stringify(template, null, 1));
  return file;
}

describe('s3-private-access check', () => {
  test('GIVEN a fault-free assembly THEN exit 0 and a summary', async () => {
    const r = await run('check', ok);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^S3PrivateAccessExample: no findings$/m);
    expect(r.out).toMatch(/^0 errors, 0 warnings in 1 stack$/m);
  });

  test('GIVEN an error THEN exit 1 and the finding grouped under its stack, with its fix', async () => {
    const r = await run('check', faulty);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^S3PrivateAccessExample: 2 errors, 0 warnings\n {2}error {3}\[S3PA-RouteNotAssociated\] S3PrivateAccessExample\/Worker\/Resource \(logical id Worker[0-9A-F]+\)$/m);
    expect(r.out).toMatch(/^ +fix: associate the route table/m);
  });

  test('--format json prints the report', async () => {
    const r = await run('check', faulty, '--format', 'json');
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ errorCount: 2, warningCount: 0, stackIds: ['S3PrivateAccessExample'] });
    expect(Object.keys(report.findings[0]).sort()).toEqual(
      ['cannotJudge', 'constructPath', 'fix', 'level', 'logicalId', 'message', 'ruleId', 'stackId', 'templateFile']);
  });

  test('--format sarif prints a SARIF 2.1.0 log', async () => {
    const r = await run('check', faulty, '--format', 'sarif');
    const log = JSON.parse(r.out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.map((x: any) => x.ruleId)).toEqual(['S3PA-RouteNotAssociated', 'S3PA-RouteNotAssociated']);
    expect(r.code).toBe(1);
  });

  test('--disable turns a rule off, so the exit code is 0', async () => {
    const r = await run('check', faulty, '--disable', 'S3PA-RouteNotAssociated', '--disable', 'S3PA-NoEndpoint');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 errors, 0 warnings/);
  });

  test('GIVEN a plain template file with warnings only THEN exit 0, and 1 with --warnings-as-errors', async () => {
    // a template file without a manifest beside it has no environment: region-bound values become warnings
    const file = templateWithCustomDns();
    const plain = await run('check', file);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/^custom-dns: 0 errors, \d+ warnings$/m);
    expect(plain.out).toMatch(/^ {2}warning \[S3PA-CustomDns\] custom-dns\/Dhcp \(logical id Dhcp\)$/m);
    const strict = await run('check', file, '--warnings-as-errors');
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/^ {2}error {3}\[S3PA-CustomDns\]/m);
  });

  test('a YAML template is refused with the cfn-flip hint (exit 2)', async () => {
    const file = path.join(files, 'template.yaml');
    fs.writeFileSync(file, 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n');
    const r = await run('check', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: YAML templates are not supported: convert with `cfn-flip`/);
  });

  test.each([
    [['check', '/nonexistent/cdk.out'], /^error: '\/nonexistent\/cdk.out' does not exist: pass a cloud assembly directory/],
    [['check', __dirname], /is not a cloud assembly \(no manifest\.json\)/],
    [['check', '--format', 'xml'], /^error: unknown format 'xml' for check: use text, json, sarif/],
    [['check', '--disable', 'S3PA-Nope', 'x'], /'x' does not exist|unknown rule id/],
    [['check', '--frm', 'x'], /^error: unknown option '--frm': see s3-private-access check --help/],
    [['deploy'], /^error: unknown command 'deploy': use check or explain/],
    [['check', '--from', 'x'], /^error: --from is an option of explain, not of check/],
    [['check', '--live'], /^error: --live needs --region <region>/],
  ])('bad usage %j exits 2 with a message', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('--disable with an unknown rule id exits 2 and lists the known ids', async () => {
    const r = await run('check', ok, '--disable', 'S3PA-Nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown rule id in disabledRules: S3PA-Nope; known ids are S3PA-[A-Za-z0-9]+, .*S3PA-RouteNotAssociated, /);
  });
});

describe('s3-private-access explain', () => {
  test('GIVEN the fault-free app THEN exit 0 and no hop fails', async () => {
    const r = await run('explain', ok, '--from', 'Worker', '--bucket', 'Data');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^no hop fails: the request can reach the bucket$/m);
  });

  test('GIVEN a fault THEN exit 1, and --format json names the first failure', async () => {
    const r = await run('explain', faulty, '--from', 'Worker', '--bucket', 'Data', '--format', 'json');
    expect(r.code).toBe(1);
    const e = JSON.parse(r.out);
    expect(e.firstFailure).toMatchObject({ name: 'route-table', ruleId: 'S3PA-RouteNotAssociated' });
    expect(e.hops).toHaveLength(12);
  });

  test('--format mermaid prints a flowchart', async () => {
    const r = await run('explain', faulty, '--from', 'Worker', '--bucket', 'Data', '--format', 'mermaid');
    expect(r.out).toMatch(/^flowchart LR\n/);
    expect(r.out).toMatch(/route_table\[".*"\]:::fail/);
  });

  test.each([
    [['explain', 'cdk.out', '--bucket', 'b'], /^error: explain needs --from/],
    [['explain', 'cdk.out', '--from', 'w'], /^error: explain needs exactly one --bucket .*, got 0/],
    [['explain', 'cdk.out', '--from', 'w', '--bucket', 'b', '--format', 'sarif'], /unknown format 'sarif' for explain: use text, json, mermaid/],
  ])('bad usage %j exits 2', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('an unknown workload exits 2 and lists the candidates', async () => {
    const r = await run('explain', ok, '--from', 'Nope', '--bucket', 'Data');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown workload 'Nope': pass the construct path or logical id of one of S3PrivateAccessExample\/Worker\/Resource/);
  });
});

describe('usage', () => {
  test('GIVEN no arguments THEN exit 2 with the usage of both commands on stderr', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: missing command: use check or explain\n\nusage:\n {2}s3-private-access check .*\n[\s\S]* {2}s3-private-access explain /);
  });

  test.each([['--help'], ['-h'], ['help']])('GIVEN %s THEN exit 0 with the usage of both commands on stdout', async (flag) => {
    const r = await run(flag);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage:\n {2}s3-private-access check [\s\S]* {2}s3-private-access explain [\s\S]*\nexit codes: /);
  });

  test.each([
    [['check', '--help'], 'check', 'explain'],
    [['check', 'cdk.out', '-h'], 'check', 'explain'],
    [['explain', '--help'], 'explain', 'check'],
    [['help', 'explain'], 'explain', 'check'],
  ])('GIVEN %j THEN exit 0 with the usage of that command only', async (argv, shown, hidden) => {
    const r = await run(...argv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage:\\n {2}s3-private-access ${shown} `));
    expect(r.out).not.toMatch(new RegExp(`s3-private-access ${hidden} `));
  });

  test('GIVEN bad usage of a command THEN the usage printed is that command\'s', async () => {
    const r = await run('explain', 'cdk.out', '--bucket', 'b');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: explain needs --from .*\n\nusage:\n {2}s3-private-access explain /);
    expect(r.err).not.toMatch(/s3-private-access check /);
  });
});

describe('the bin', () => {
  test('GIVEN lib/cli/main.ts run as a script THEN it exits with the code of main and prints the report', () => {
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'lib', 'cli', 'main.ts'), 'check', faulty, '--format', 'json'], {
      env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).errorCount).toBe(2);
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'cli', 'main.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
