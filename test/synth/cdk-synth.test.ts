/**
 * The compatibility matrix as a user sees it: the real CDK CLI's `cdk synth` of the example apps, on the floor and
 * the newest aws-cdk-lib, each with its CLI. Every plantable fault must fail synth with the rule id, the resource's
 * construct path and the fix printed, through each front end (the Aspect, the validator, the nag pack and the
 * construct's own checks), in a CDK Pipelines Stage and in a plain Stage; each clean twin must succeed.
 */
import { cdkSynth, CdkVersion, FLOOR, inParallel, installedVersions, NEWEST, SynthResult } from './cdk-cli';
import { ALL_RULES } from '../../lib/rules/all';

interface Case {
  readonly name: string;
  readonly app: string;
  readonly args: string[];
  /** The finding that must fail synth; none for a clean twin (exit 0). */
  readonly fails?: { readonly rule: string; readonly path: string };
  /** Text the output must hold (beyond the finding), and text it must not. */
  readonly shows?: string[];
  readonly hides?: RegExp[];
  /** Stage apps run without aws-cdk-lib's built-in CloudFormation validation, which judges nothing of ours. */
  readonly noBuiltinValidation?: boolean;
}

const EXAMPLE = 'examples/app.ts';
const PIPELINE = 'examples/pipeline-app.ts';
const READER = 'Prod/Network/Workers/Reader/Resource';
const ROUTE = 'S3PA-RouteNotAssociated';

const CASES: Case[] = [
  ...[
    ['route-not-associated', ROUTE, 'S3PrivateAccessExample/Worker/Resource'],
    ['source-ip-private', 'S3PA-SourceIpPrivate', 'S3PrivateAccessExample/Data/Policy/Resource'],
    ['nacl-ephemeral', 'S3PA-NaclEphemeral', 'S3PrivateAccessExample/AppAcl/Resource'],
    ['ecr-layers', 'S3PA-EndpointPolicyAwsBuckets', 'S3PrivateAccessExample/S3Access/Endpoint/Resource'],
    ['custom-resource-response', 'S3PA-CustomResourceResponse', 'S3PrivateAccessExample/S3Access/Endpoint/Resource'],
    ['set-operator-single-valued', 'S3PA-SetOperatorSingleValued', 'S3PrivateAccessExample/Data/Policy/Resource'],
    ['interface-vpce-only', 'S3PA-InterfaceVpceRequired', 'S3PrivateAccessExample/Data/Policy/Resource'],
    ['access-point-other-vpc', 'S3PA-AccessPointVpcOrigin', 'S3PrivateAccessExample/PartnerReports'],
  ].map(([fault, rule, path]) => ({ name: `example app, fault ${fault}`, app: EXAMPLE, args: ['-c', `fault=${fault}`], fails: { rule, path } })),
  { name: 'example app, no fault', app: EXAMPLE, args: [] },
  {
    // the CLI reads a trailing `(x::y)` of an error annotation as its rule: the fix's ARN must not be taken for one
    name: 'example app, fault ecr-layers, the Aspect only',
    app: EXAMPLE,
    args: ['-c', 'fault=ecr-layers', '-c', 'frontend=aspect'],
    fails: { rule: 'S3PA-EndpointPolicyAwsBuckets', path: 'S3PrivateAccessExample/S3Access/Endpoint/Resource' },
    shows: ['(s3:GetObject on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*', 'Rule cdk-s3-private-access::S3PA-EndpointPolicyAwsBuckets'],
    hides: [/Rule s3:GetObject/],
  },
  // the app-level Aspect takes the same path for both kinds of Stage: it runs once, in the CDK Pipelines app
  ...[['pipeline', ['aspect', 'validator', 'nag', 'construct']], ['plain', ['validator', 'nag', 'construct']]].flatMap(([stage, frontEnds]) => [
    ...(frontEnds as string[]).map(frontEnd => ({
      name: `${stage} Stage, nested stack's function not routed, ${frontEnd}`,
      app: PIPELINE,
      args: ['-c', 'fault=route-not-associated', '-c', `frontend=${frontEnd}`, '-c', `stage=${stage}`],
      fails: { rule: ROUTE, path: READER },
      noBuiltinValidation: true,
    })),
    {
      name: `${stage} Stage, clean twin with a warning only, every front end`,
      app: PIPELINE,
      args: ['-c', 'warning=custom-dns', '-c', `stage=${stage}`],
      shows: ['S3PA-CustomDns'],
      noBuiltinValidation: true,
    },
  ]),
];

const VERSIONS: CdkVersion[] = [FLOOR, NEWEST];
const results = new Map<string, SynthResult>();

beforeAll(async () => {
  const jobs = VERSIONS.flatMap(v => CASES.map(c => async () => {
    results.set(`${v.name}|${c.name}`, await cdkSynth(v, c.app, c.args, { noBuiltinValidation: c.noBuiltinValidation }));
  }));
  await inParallel(jobs, 2);
}, 20 * 60_000);

describe.each(VERSIONS)('cdk synth on the $name aws-cdk-lib', (v) => {
  test('the versions of the matrix are installed', () => {
    const { lib, cli } = installedVersions(v);
    expect(lib).toMatch(/^2\.\d+\.\d+$/);
    expect(cli).toMatch(/^2\.\d+\.\d+$/);
  });

  test.each(CASES)('$name', (c) => {
    const r = results.get(`${v.name}|${c.name}`)!;
    const context = `exit code ${r.code}, output:\n${r.output}`;
    if (c.fails) {
      expect([r.code === 0 ? 'exit 0' : 'exit non-zero', context]).toEqual(['exit non-zero', context]);
      const fix = ALL_RULES.find(rule => rule.id === c.fails!.rule)!.fix.slice(0, 40);
      for (const text of [c.fails.rule, c.fails.path, fix]) expect(r.output).toContain(text);
    } else {
      expect([r.code, context]).toEqual([0, context]);
      // the app really ran on this matrix entry's aws-cdk-lib
      expect(r.libVersion).toBe(installedVersions(v).lib);
    }
    for (const text of c.shows ?? []) expect(r.output).toContain(text);
    for (const re of c.hides ?? []) expect(r.output).not.toMatch(re);
  });
});
