/**
 * The construct's own cost, apart from the checks: an app of N stacks, each a VPC, a bucket and an S3PrivateAccess
 * (`checks: false`), built and synthesized 4 times in one process; prints the medians of the last 3 (CPU ms) of
 * construction, `app.synth()`, the time spent in `node.validate()` and in `findAll` walks during construction.
 *
 *   npx ts-node --transpile-only bench/endpoint-validation.ts [N] [lib directory]
 *
 * To compare with another commit: `git archive <commit> lib | tar -x -C /some/dir` (inside the repository, so that
 * aws-cdk-lib resolves) and pass that `lib` directory.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Node } from 'constructs';

const n = Number(process.argv[2] ?? 30);
const libDir = path.resolve(process.argv[3] ?? path.join(__dirname, '..', 'lib'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { S3PrivateAccess } = require(libDir);

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wraps a method of Node to add its CPU time to a counter. */
function timed(name: 'validate' | 'findAll'): { ms: number } {
  const counter = { ms: 0 };
  const proto = Node.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = proto[name];
  proto[name] = function (this: unknown, ...a: unknown[]) {
    const t = cpu();
    try {
      return original.apply(this, a);
    } finally {
      counter.ms += cpu() - t;
    }
  };
  return counter;
}

const validate = timed('validate');
const findAll = timed('findAll');
const runs: number[][] = [];
for (let r = 0; r < 4; r++) {
  findAll.ms = 0;
  const c0 = cpu();
  const app = new App();
  for (let i = 0; i < n; i++) {
    const stack = new Stack(app, `S${i}`, { env: { account: '111122223333', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new S3PrivateAccess(stack, 'Access', { vpc, buckets: [new s3.Bucket(stack, 'Bucket')], checks: false });
  }
  const c1 = cpu();
  const constructionWalks = findAll.ms;
  validate.ms = 0;
  app.synth();
  runs.push([c1 - c0, cpu() - c1, validate.ms, constructionWalks]);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = runs.slice(1);
const at = (k: number) => Math.round(median(warm.map((r) => r[k])));
const lib = path.relative(process.cwd(), libDir);
console.log(JSON.stringify({ n, lib, construct: at(0), synth: at(1), validate: at(2), constructionWalks: at(3) }));
