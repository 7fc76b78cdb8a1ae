import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ADMIN_POLICY, Decision, decide } from '../helpers/simulate';
import { LiteralTemplate } from './helpers/template-literals';
import { BucketRestriction, EndpointSource, S3PrivateAccess } from '../../lib';

/*
 * The IAM matrix over topologies with one bucket reached through several endpoints: two VPCs, two endpoints in one
 * VPC (one created, one adopted), and hub and spokes (three VPCs in three stacks). For every endpoint, a granted
 * workload gets through and the same request through an unknown endpoint or from outside is denied; exemptions of
 * every construct hold. Requests are evaluated by @cloud-copilot/iam-simulate against the synthesized policies.
 */

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const env = { account: ACCOUNT, region: REGION };
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const cfnExecRole = role(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
const obj = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const UNKNOWN = { endpoint: 'vpce-0eeeeeeeeeeeeeee0', vpc: 'vpc-0eeeeeeeeeeeeeee0' };

interface Path {
  readonly name: string;
  readonly endpoint: string;
  readonly vpc: string;
  /** the template and logical id of the endpoint, for its policy */
  readonly template: LiteralTemplate;
  readonly logicalId: string;
}

function isolatedVpc(stack: Stack, id: string, cidr: string, groups = ['iso']): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 1,
    natGateways: 0,
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    subnetConfiguration: groups.map((name) => ({ name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED })),
  });
}

function reader(stack: Stack, name: string): iam.Role {
  return new iam.Role(stack, name, { roleName: name, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

function endpointLogicalId(stack: Stack, access: S3PrivateAccess): string {
  return (stack.resolve(access.endpointId) as { Ref: string }).Ref;
}

/** Two VPCs in one stack, each with its S3PrivateAccess on the same bucket and its own exemption. */
function twoVpcs(): Topology {
  const stack = new Stack(new App(), 'TwoVpcs', { env });
  const bucket = new s3.Bucket(stack, 'Data', { bucketName: 'shared-data' });
  const a = new S3PrivateAccess(stack, 'A', { vpc: isolatedVpc(stack, 'VpcA', '10.1.0.0/16'), buckets: [bucket], exemptPrincipalArns: [role('admin-a')] });
  const b = new S3PrivateAccess(stack, 'B', { vpc: isolatedVpc(stack, 'VpcB', '10.2.0.0/16'), buckets: [bucket], exemptPrincipalArns: [role('admin-b')] });
  a.grantRead(reader(stack, 'reader-a'), bucket);
  b.grantRead(reader(stack, 'reader-b'), bucket);
  const [ea, eb] = [endpointLogicalId(stack, a), endpointLogicalId(stack, b)];
  const t = new LiteralTemplate(stack, {
    endpointId: '',
    vpcId: '',
    endpointIdByLogicalId: { [ea]: 'vpce-0aaaaaaaaaaaaaaa0', [eb]: 'vpce-0bbbbbbbbbbbbbbb0' },
    vpcIdByLogicalId: { TwoVpcsVpcA: 'vpc-0aaaaaaaaaaaaaaa0', TwoVpcsVpcB: 'vpc-0bbbbbbbbbbbbbbb0' },
  });
  const paths: Path[] = [
    { name: 'endpoint of VPC A', endpoint: 'vpce-0aaaaaaaaaaaaaaa0', vpc: 'vpc-0aaaaaaaaaaaaaaa0', template: t, logicalId: ea },
    { name: 'endpoint of VPC B', endpoint: 'vpce-0bbbbbbbbbbbbbbb0', vpc: 'vpc-0bbbbbbbbbbbbbbb0', template: t, logicalId: eb },
  ];
  return { bucket: 'shared-data', owner: t, paths, readers: { 'reader-a': t, 'reader-b': t }, admins: [role('admin-a'), role('admin-b')] };
}

/** One VPC with two route-table groups: one construct creates an endpoint, the other adopts an existing one. */
function twoEndpointsOneVpc(): Topology {
  const stack = new Stack(new App(), 'TwoEndpoints', { env });
  const vpc = isolatedVpc(stack, 'Vpc', '10.3.0.0/16', ['app', 'batch']);
  const bucket = new s3.Bucket(stack, 'Data', { bucketName: 'shared-data' });
  const created = new S3PrivateAccess(stack, 'App', { vpc, subnets: [{ subnetGroupName: 'app' }], buckets: [bucket] });
  const adopted = new S3PrivateAccess(stack, 'Batch', {
    vpc,
    subnets: [{ subnetGroupName: 'batch' }],
    buckets: [bucket],
    endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0ccccccccccccccc0')),
  });
  created.grantRead(reader(stack, 'reader-app'), bucket);
  adopted.grantRead(reader(stack, 'reader-batch'), bucket);
  const ec = endpointLogicalId(stack, created);
  const t = new LiteralTemplate(stack, { endpointId: 'vpce-0aaaaaaaaaaaaaaa0', vpcId: 'vpc-0ccccccccccccccc0' });
  const paths: Path[] = [
    { name: 'created endpoint', endpoint: 'vpce-0aaaaaaaaaaaaaaa0', vpc: 'vpc-0ccccccccccccccc0', template: t, logicalId: ec },
    // the adopted endpoint's policy is not in the app: AWS's default full access stands in for it
    { name: 'adopted endpoint', endpoint: 'vpce-0ccccccccccccccc0', vpc: 'vpc-0ccccccccccccccc0', template: t, logicalId: '' },
  ];
  return { bucket: 'shared-data', owner: t, paths, readers: { 'reader-app': t, 'reader-batch': t }, admins: [] };
}

/**
 * Hub and spokes: the hub stack owns the bucket and a VPC with S3PrivateAccess; two spoke stacks each have a VPC whose
 * S3PrivateAccess adds its endpoint (spoke 1) or its VPC (spoke 2) to the hub bucket's one Deny. Spoke workloads are
 * granted on the bucket imported by name, so no spoke depends on the hub while the hub imports the spokes' ids.
 */
function hubAndSpokes(): Topology {
  const app = new App();
  const hub = new Stack(app, 'Hub', { env });
  const bucket = new s3.Bucket(hub, 'Data', { bucketName: 'hub-data' });
  const hubAccess = new S3PrivateAccess(hub, 'S3', { vpc: isolatedVpc(hub, 'Vpc', '10.0.0.0/16'), buckets: [bucket], exemptPrincipalArns: [role('platform-admin')] });
  hubAccess.grantRead(reader(hub, 'reader-hub'), bucket);
  const spokes = [1, 2].map((i) => {
    const stack = new Stack(app, `Spoke${i}`, { env });
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc: isolatedVpc(stack, 'Vpc', `10.${10 + i}.0.0/16`),
      buckets: [bucket],
      bucketRestriction: i === 2 ? BucketRestriction.toVpc() : BucketRestriction.toEndpoint(),
    });
    access.grantRead(reader(stack, `reader-spoke${i}`), s3.Bucket.fromBucketName(stack, 'HubData', 'hub-data'));
    return { stack, access };
  });
  const assembly = app.synth();
  const ids = (i: number) => ({ endpointId: `vpce-0${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}0`, vpcId: `vpc-0${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}${i}0` });
  const spokeTemplates = spokes.map(({ stack }, k) =>
    new LiteralTemplate(stack, ids(k + 1), assembly.getStackByName(stack.stackName).template));
  const imports = Object.assign({}, ...spokeTemplates.map((t) => t.exports()));
  const hubTemplate = new LiteralTemplate(hub, { ...ids(0), imports }, assembly.getStackByName('Hub').template);
  const paths: Path[] = [
    { name: 'hub endpoint', ...pathIds(ids(0)), template: hubTemplate, logicalId: endpointLogicalId(hub, hubAccess) },
    ...spokes.map(({ stack, access }, k) => ({
      name: `spoke ${k + 1} ${k === 1 ? 'VPC' : 'endpoint'}`, ...pathIds(ids(k + 1)), template: spokeTemplates[k], logicalId: endpointLogicalId(stack, access),
    })),
  ];
  return {
    bucket: 'hub-data',
    owner: hubTemplate,
    paths,
    readers: { 'reader-hub': hubTemplate, 'reader-spoke1': spokeTemplates[0], 'reader-spoke2': spokeTemplates[1] },
    admins: [role('platform-admin')],
  };
}

function pathIds(ids: { endpointId: string; vpcId: string }) {
  return { endpoint: ids.endpointId, vpc: ids.vpcId };
}

interface Row {
  readonly request: string;
  readonly expected: Decision;
  readonly run: () => Promise<Decision>;
}

/** One topology: the bucket, the template that owns its policy, the paths in, the readers and the exempt admins. */
interface Topology {
  readonly bucket: string;
  readonly owner: LiteralTemplate;
  readonly paths: Path[];
  readonly readers: Record<string, LiteralTemplate>;
  readonly admins: string[];
}

/** The rows of one topology: each reader through each path, from an unknown endpoint and outside; the exemptions. */
function rowsOf(scenario: string, t: Topology): Row[] {
  const rows: Row[] = [];
  const request = (who: string, identity: unknown[], path: Path | 'unknown' | 'outside', action = 's3:GetObject') => {
    const context: Record<string, string> = path === 'outside' ? {} : path === 'unknown'
      ? { 'aws:SourceVpce': UNKNOWN.endpoint, 'aws:SourceVpc': UNKNOWN.vpc }
      : { 'aws:SourceVpce': path.endpoint, 'aws:SourceVpc': path.vpc };
    const endpointPolicy = typeof path === 'string' ? undefined
      : path.logicalId ? path.template.endpointPolicy(path.logicalId)
        : { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };
    return () => decide({
      principal: who.startsWith('arn:') ? who : role(who),
      action,
      resource: action === 's3:PutBucketPolicy' ? `arn:aws:s3:::${t.bucket}` : obj(t.bucket, 'reports/q1.csv'),
      resourceAccount: ACCOUNT,
      identityPolicies: identity,
      bucketPolicy: t.owner.bucketPolicy(t.bucket),
      endpointPolicy: path === 'unknown' ? { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } : endpointPolicy,
      context,
    });
  };
  for (const [name, template] of Object.entries(t.readers)) {
    const identity = template.identityPolicies(name);
    for (const path of t.paths) {
      rows.push({ request: `${scenario} | ${name} through the ${path.name}`, expected: 'Allowed', run: request(name, identity, path) });
    }
    rows.push({ request: `${scenario} | ${name} through an unknown endpoint`, expected: 'ExplicitlyDenied', run: request(name, identity, 'unknown') });
    rows.push({ request: `${scenario} | ${name} from outside`, expected: 'ExplicitlyDenied', run: request(name, identity, 'outside') });
  }
  for (const admin of t.admins) {
    rows.push({ request: `${scenario} | exempt ${admin} from outside`, expected: 'Allowed', run: request(admin, [ADMIN_POLICY], 'outside') });
  }
  rows.push({ request: `${scenario} | the deploy role updates the bucket policy from outside`, expected: 'Allowed', run: request(cfnExecRole, [ADMIN_POLICY], 'outside', 's3:PutBucketPolicy') });
  rows.push({ request: `${scenario} | a developer from outside`, expected: 'ExplicitlyDenied', run: request(role('developer'), [ADMIN_POLICY], 'outside') });
  return rows;
}

const ROWS: Row[] = [
  ...rowsOf('two VPCs', twoVpcs()),
  ...rowsOf('two endpoints in one VPC', twoEndpointsOneVpc()),
  ...rowsOf('hub and spokes', hubAndSpokes()),
];

/** Errors the synth-time checks (on by default in S3PrivateAccess) report in the stacks of a topology. */
function checkErrors(...stacks: Stack[]): string[] {
  return stacks.flatMap((stack) => Annotations.fromStack(stack).findError('*', Match.anyValue())
    .map((m) => `${m.id}: ${String(m.entry.data)}`));
}

describe('IAM matrix over topologies: one bucket, several endpoints', () => {
  test.each([
    ['two VPCs', () => [twoVpcs().owner.stack]],
    ['two endpoints in one VPC', () => [twoEndpointsOneVpc().owner.stack]],
    ['hub and spokes', () => { const t = hubAndSpokes(); return Object.values(t.readers).map((r) => r.stack); }],
  ])('%s: the synth-time checks report no error', (_name, stacks) => {
    expect(checkErrors(...stacks())).toEqual([]);
  });

  test('every topology has a row for each endpoint of each reader', () => {
    expect(ROWS.filter((r) => r.expected === 'Allowed' && / through the /.test(r.request)).length).toBe(4 + 4 + 9);
  });

  test.each(ROWS)('$request → $expected', async ({ run, expected }) => {
    expect(await run()).toBe(expected);
  });
});
