#!/usr/bin/env node
/**
 * The `s3-private-access` command: `check` runs the catalog's rules over a synthesized cloud assembly (or template
 * files, or the deployed account with `--live`); `explain` shows the path of one request from a workload to a
 * bucket, hop by hop. See `s3-private-access --help`.
 *
 * Internal: not exported from the package's index (the programmatic API is `S3PrivateAccessDiagnostics`).
 */
import { CliArgs, parseCli, usageOf } from './args';
import { checkTemplateSet } from '../diagnostics/check';
import { S3PrivateAccessDiagnostics } from '../diagnostics/diagnostics';
import { explainTemplates } from '../diagnostics/explain';
import { readLive, readTemplateInputs, TemplateSet } from '../diagnostics/sources';
import { PathVerdict } from '../diagnostics/types';

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

/** Runs the CLI; resolves to the exit code (0 fine, 1 errors found / a hop fails, 2 bad usage or input). */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (e) {
    const command = argv[0] === 'check' || argv[0] === 'explain' ? argv[0] : undefined;
    io.stderr(`error: ${(e as Error).message}\n\n${usageOf(command)}\n`);
    return 2;
  }
  try {
    switch (args.command) {
      case 'help':
        io.stdout(`${usageOf(args.topic)}\n`);
        return 0;
      case 'version':
        io.stdout(`${S3PrivateAccessDiagnostics.version()}\n`);
        return 0;
      case 'check':
        return await check(args, io);
      default:
        return await explain(args, io);
    }
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return 2;
  }
}

async function templates(args: CliArgs, io: CliIo): Promise<{ set: TemplateSet; from?: string }> {
  if (!args.live) return { set: readTemplateInputs(args.inputs.length > 0 ? args.inputs : ['cdk.out']) };
  const live = await readLive({
    region: args.region!,
    profile: args.profile,
    vpcIds: args.vpcs,
    bucketNames: args.buckets,
    roleNames: args.roles,
    from: args.command === 'explain' ? args.from : undefined,
  });
  for (const note of live.notes) io.stderr(`note: ${note.message}\n`);
  return { set: { stacks: live.stacks, files: new Map() }, from: live.from };
}

async function check(args: CliArgs, io: CliIo): Promise<number> {
  const { set } = await templates(args, io);
  const report = checkTemplateSet(set, { disabledRules: args.disable, warningsAsErrors: args.warningsAsErrors });
  if (args.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (args.format === 'sarif') io.stdout(`${S3PrivateAccessDiagnostics.toSarif(report)}\n`);
  else io.stdout(S3PrivateAccessDiagnostics.toText(report));
  return report.errorCount > 0 ? 1 : 0;
}

async function explain(args: CliArgs, io: CliIo): Promise<number> {
  const { set, from } = await templates(args, io);
  const explanation = explainTemplates(set.stacks, { from: from ?? args.from!, bucket: args.buckets[0], action: args.action, key: args.key });
  if (args.format === 'json') io.stdout(`${JSON.stringify(explanation, null, 2)}\n`);
  else if (args.format === 'mermaid') io.stdout(S3PrivateAccessDiagnostics.explanationToMermaid(explanation));
  else io.stdout(S3PrivateAccessDiagnostics.explanationToText(explanation));
  return explanation.hops.some(h => h.verdict === PathVerdict.FAIL) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  });
}
