import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3PrivateAccess } from '../lib';
import { addWorkload, Workload, WORKLOAD_KINDS, WorkloadContext } from './workloads';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
const S3_PREFIX_LIST_ID = 'pl-6da54004';

/** Options of {@link buildApp}. */
export interface GenerateOptions {
  /** Where the app synthesizes to (a temp dir per measurement). */
  readonly outdir?: string;
  /** Extra context (e.g. `@aws-cdk/core:failSynthOnValidationErrors`). */
  readonly context?: Record<string, unknown>;
}

/**
 * The context key `PrefixList.fromLookup` reads for the S3 prefix list (aws-cdk-lib 2.257's cc-api provider format,
 * as in test/helpers/s3pa-fixtures.ts, which the bench does not import: it pulls in jest types).
 */
function s3PrefixListContextKey(account: string, region: string): string {
  return `cc-api-provider:account=${account}:expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId:` +
    `propertyMatch.PrefixListName=com.amazonaws.${region}.s3:region=${region}:typeName=AWS$:$:EC2$:$:PrefixList`;
}

/** Context answering every lookup the generated stacks make, so synthesis never needs AWS. */
export function lookupContext(): Record<string, unknown> {
  return {
    [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    [s3PrefixListContextKey(ACCOUNT, REGION)]: [{ PrefixListId: S3_PREFIX_LIST_ID }],
  };
}

/** Workloads in stack `i`: 10 to 20, spread deterministically so every size has the same mix. */
export function workloadCount(i: number): number {
  return 10 + ((i * 7) % 11);
}

/** An app of `n` stacks (see BENCHMARKS.md for what each stack holds). Deterministic: same `n`, same app. */
export function buildApp(n: number, options: GenerateOptions = {}): App {
  const app = new App({ outdir: options.outdir, context: { ...lookupContext(), ...options.context } });
  for (let i = 0; i < n; i++) {
    buildStack(app, i);
  }
  return app;
}

function buildStack(app: App, i: number): Stack {
  const stack = new Stack(app, `Workloads${i}`, { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 3,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const buckets = [dataBucket(stack, 'Data'), dataBucket(stack, 'Reports')];
  const ctx: WorkloadContext = { stack, vpc };
  const workloads: Workload[] = [];
  for (let w = 0; w < workloadCount(i); w++) {
    workloads.push(addWorkload(ctx, WORKLOAD_KINDS[(i + w) % WORKLOAD_KINDS.length], `Workload${w}`));
  }
  if (i % 2 === 0) {
    wireWithConstruct(stack, vpc, buckets, workloads);
  } else {
    wireByHand(stack, vpc, buckets, workloads, i % 4 === 3);
  }
  return stack;
}

function dataBucket(stack: Stack, id: string): s3.Bucket {
  return new s3.Bucket(stack, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
  });
}

/** Even stacks: the library's construct (its own checks off, so the plain-synth scenario really is plain). */
function wireWithConstruct(stack: Stack, vpc: ec2.IVpc, buckets: s3.Bucket[], workloads: Workload[]): void {
  const access = new S3PrivateAccess(stack, 'S3Access', { vpc, buckets, checks: false });
  workloads.forEach((w, k) => {
    access.allowFrom(w.connectable);
    access.grantRead(w.grantee, buckets[k % buckets.length], { prefix: `w${k}/` });
    if (k % 3 === 0) access.grantWrite(w.grantee, buckets[(k + 1) % buckets.length], { prefix: `w${k}/` });
  });
}

/** Odd stacks: what people write without the library: endpoint, prefix-list egress, grants, a VPCE condition. */
function wireByHand(stack: Stack, vpc: ec2.Vpc, buckets: s3.Bucket[], workloads: Workload[], forgetOne: boolean): void {
  const endpoint = vpc.addGatewayEndpoint('S3', {
    service: ec2.GatewayVpcEndpointAwsService.S3,
    subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const prefixList = ec2.PrefixList.fromLookup(stack, 'S3PrefixList', { prefixListName: `com.amazonaws.${REGION}.s3` });
  workloads.forEach((w, k) => {
    // one stack in four forgets the egress rule of its last workload, so the checks have findings to report
    const forgotten = forgetOne && k === workloads.length - 1;
    if (!forgotten) w.connectable.connections.allowTo(ec2.Peer.prefixList(prefixList.prefixListId), ec2.Port.tcp(443), 'HTTPS to S3');
    buckets[k % buckets.length].grantRead(w.grantee);
    if (k % 3 === 0) buckets[(k + 1) % buckets.length].grantPut(w.grantee);
  });
  for (const bucket of buckets) {
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
    }));
  }
}
