/**
 * Cross-checks the evaluator against @cloud-copilot/iam-simulate (AGPL-3.0: a dev dependency used only here, never
 * shipped). Every row states the decision AWS's documented evaluation logic gives; both evaluators must reach it.
 *
 * iam-simulate evaluates VPC endpoint policies like identity policies and ignores their `Principal`, so endpoint
 * policies with `Principal: "*"` are cross-checked here and endpoint policies naming principals are covered by the
 * hand-checked table in endpoint-principal.test.ts.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import * as p from './cross-check-policies';
import { Decision, evaluateAll } from '../../../lib/model/iam';

interface Row {
  /** What the row shows. */
  readonly name: string;
  readonly identity?: object[];
  readonly resourcePolicy?: object;
  readonly endpoint?: object[];
  /** An IAM principal ARN, or a service principal (`logging.s3.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Request context on top of the principal keys every request carries. */
  readonly context?: Record<string, string | string[]>;
  readonly expected: Decision;
}

const OBJ = `${p.BUCKET}/data/file.csv`;
const SYM_BUCKET = 'arn:aws:s3:::{{Stack/Bucket1234}}';
const SYM_ENDPOINT = '{{Stack/Endpoint5678}}';
const SYM_READ = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${SYM_BUCKET}/*` }] };
const SYM_DENY = {
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [SYM_BUCKET, `${SYM_BUCKET}/*`],
    Condition: { StringNotEquals: { 'aws:SourceVpce': SYM_ENDPOINT } },
  }],
};
const FROM_ENDPOINT = { 'aws:SourceVpce': p.VPCE, 'aws:SourceVpc': p.VPC };

const rows: Row[] = [
  // identity policies, actions and object ARNs
  { name: 'identity read allows GetObject', identity: [p.READ_OBJECTS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'identity read does not allow PutObject', identity: [p.READ_OBJECTS], principal: p.APP_ROLE, action: 's3:PutObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'identity read does not cover another bucket', identity: [p.READ_OBJECTS], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.OTHER_BUCKET}/k`, expected: 'implicit-deny' },
  { name: 'action names are case-insensitive', identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'S3:getobject', Resource: `${p.BUCKET}/*` }] }], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'ListBucket granted only on bucket/* does not list', identity: [p.LIST_ON_OBJECTS], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, expected: 'implicit-deny' },
  { name: 'object actions on bucket/* still work', identity: [p.LIST_ON_OBJECTS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'prefix wildcard covers a key under it', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.BUCKET}/reports/2024/jan.csv`, expected: 'allow' },
  { name: 'prefix wildcard does not cover a sibling prefix', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.BUCKET}/reports/2023/jan.csv`, expected: 'implicit-deny' },
  { name: 'prefix wildcard does not cover the prefix object itself', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.BUCKET}/reports/2024`, expected: 'implicit-deny' },
  { name: 'ListBucket with a matching s3:prefix', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, context: { 's3:prefix': 'reports/2024/q1/' }, expected: 'allow' },
  { name: 'ListBucket with the bare prefix', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, context: { 's3:prefix': 'reports/2024/' }, expected: 'allow' },
  { name: 'ListBucket with another s3:prefix', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, context: { 's3:prefix': 'secrets/' }, expected: 'implicit-deny' },
  { name: 'ListBucket without s3:prefix (StringLike on a missing key)', identity: [p.REPORTS_PREFIX], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, expected: 'implicit-deny' },
  // NotAction / NotResource
  { name: 'NotAction allow covers GetObject', identity: [p.ALL_BUT_DELETE], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'NotAction allow excludes DeleteObject', identity: [p.ALL_BUT_DELETE], principal: p.APP_ROLE, action: 's3:DeleteObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'NotAction deny leaves reads', identity: [p.READ_WRITE_ANY], resourcePolicy: p.DENY_ALL_BUT_READ, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'NotAction deny blocks writes', identity: [p.READ_WRITE_ANY], resourcePolicy: p.DENY_ALL_BUT_READ, principal: p.APP_ROLE, action: 's3:PutObject', resource: OBJ, expected: 'deny' },
  { name: 'NotResource deny blocks other buckets', identity: [p.READ_WRITE_ANY, p.DENY_OUTSIDE_BUCKET], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.OTHER_BUCKET}/k`, expected: 'deny' },
  { name: 'NotResource deny spares the bucket', identity: [p.READ_WRITE_ANY, p.DENY_OUTSIDE_BUCKET], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  // deny-unless-endpoint bucket policy with exemptions
  { name: 'through the endpoint', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'through another endpoint', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceVpce': 'vpce-0ffffffffffffffff' }, expected: 'deny' },
  { name: 'from the internet (no aws:SourceVpce)', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'deny' },
  { name: 'the admin role is exempt', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.ADMIN_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'the CloudFormation execution role is exempt', identity: [p.READ_WRITE_ANY], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.CFN_EXEC_ROLE, action: 's3:PutObject', resource: OBJ, expected: 'allow' },
  { name: 'an AWS service principal is exempt', resourcePolicy: p.DENY_UNLESS_VPCE, principal: 'logging.s3.amazonaws.com', action: 's3:PutObject', resource: `${p.BUCKET}/logs/x`, expected: 'allow' },
  { name: 'a service principal without a grant', resourcePolicy: p.DENY_UNLESS_VPCE, principal: 'logging.s3.amazonaws.com', action: 's3:PutObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'a call via an AWS service is exempt', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:ViaAWSService': 'true' }, expected: 'allow' },
  { name: 'aws:ViaAWSService false is no exemption', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:ViaAWSService': 'false' }, expected: 'deny' },
  { name: 'the deny also covers ListBucket on the bucket ARN', identity: [p.READ_WRITE_ANY], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, expected: 'deny' },
  { name: 'deny-unless-VPC from the VPC', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPC, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'deny-unless-VPC from another VPC', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPC, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceVpc': 'vpc-0fffffffffffffff0' }, expected: 'deny' },
  { name: 'Null deny without any endpoint', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_WITHOUT_ANY_ENDPOINT, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'deny' },
  { name: 'Null deny through some endpoint', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_WITHOUT_ANY_ENDPOINT, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'plain HTTP is denied', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_INSECURE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SecureTransport': 'false' }, expected: 'deny' },
  { name: 'HTTPS passes', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_INSECURE, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SecureTransport': 'true' }, expected: 'allow' },
  // IP addresses
  { name: 'private aws:SourceIp allow-list denies a public address', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_PRIVATE_IP, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceIp': '203.0.113.5' }, expected: 'deny' },
  { name: 'private aws:SourceIp allow-list passes a private address', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_PRIVATE_IP, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceIp': '172.20.1.9' }, expected: 'allow' },
  { name: 'private aws:SourceIp allow-list denies when the key is absent (endpoint traffic)', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_PRIVATE_IP, principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'deny' },
  { name: 'aws:VpcSourceIp in the VPC range', identity: [p.ALLOW_BY_ADDRESS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { ...FROM_ENDPOINT, 'aws:VpcSourceIp': '10.0.12.7' }, expected: 'allow' },
  { name: 'aws:VpcSourceIp outside the VPC range', identity: [p.ALLOW_BY_ADDRESS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { ...FROM_ENDPOINT, 'aws:VpcSourceIp': '10.1.0.7' }, expected: 'implicit-deny' },
  { name: 'IPv6 aws:SourceIp in the block', identity: [p.ALLOW_BY_ADDRESS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceIp': '2001:db8:ab::1' }, expected: 'allow' },
  { name: 'IPv6 aws:SourceIp outside the block', identity: [p.ALLOW_BY_ADDRESS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:SourceIp': '2001:db9::1' }, expected: 'implicit-deny' },
  // same-account and cross-account combinations
  { name: 'same account: bucket policy naming the role grants alone', resourcePolicy: p.grantTo({ AWS: p.APP_ROLE }), principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'same account: bucket policy naming another role', resourcePolicy: p.grantTo({ AWS: p.OTHER_ROLE }), principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'same account: bucket policy naming the account does not grant alone', resourcePolicy: p.grantTo({ AWS: `arn:aws:iam::${p.ACCOUNT}:root` }), principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'same account: account grant plus identity allow', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo({ AWS: p.ACCOUNT }), principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'same account: a deny naming the role wins', identity: [p.READ_OBJECTS], resourcePolicy: p.denyTo({ AWS: p.APP_ROLE }), principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'deny' },
  { name: 'cross account: identity allow without bucket grant', identity: [p.READ_OBJECTS], principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'cross account: bucket grant without identity allow', resourcePolicy: p.grantTo({ AWS: p.PARTNER_ROLE }), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'cross account: both sides grant', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo({ AWS: p.PARTNER_ROLE }), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'cross account: bucket grants the partner account', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo({ AWS: p.PARTNER_ACCOUNT }), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  { name: 'cross account: bucket grants another account', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo({ AWS: '333333333333' }), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'cross account: a deny-unless-endpoint policy also binds the partner', identity: [p.READ_OBJECTS], resourcePolicy: p.DENY_UNLESS_VPCE, principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'deny' },
  { name: 'public grant with Principal "*"', resourcePolicy: p.grantTo('*'), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
  { name: 'public grant with Principal "*" plus identity allow', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo('*'), principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'allow' },
  // endpoint policies with Principal "*"
  { name: 'restricted endpoint allows the data bucket', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:PutObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'restricted endpoint blocks another bucket', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.OTHER_BUCKET}/k`, context: FROM_ENDPOINT, expected: 'implicit-deny' },
  { name: 'restricted endpoint allows ECR layers', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${p.STARPORT}/sha256:abc`, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'restricted endpoint does not allow writing ECR layers', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:PutObject', resource: `${p.STARPORT}/x`, context: FROM_ENDPOINT, expected: 'implicit-deny' },
  { name: 'restricted endpoint denies deletes explicitly', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:DeleteObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'deny' },
  { name: 'restricted endpoint lists the data bucket', identity: [p.READ_WRITE_ANY], endpoint: [p.RESTRICTED_ENDPOINT], principal: p.APP_ROLE, action: 's3:ListBucket', resource: p.BUCKET, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'account-conditioned endpoint passes own account', identity: [p.READ_OBJECTS], endpoint: [p.ACCOUNT_ONLY_ENDPOINT], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'allow' },
  { name: 'account-conditioned endpoint blocks the partner', identity: [p.READ_OBJECTS], resourcePolicy: p.grantTo({ AWS: p.PARTNER_ROLE }), endpoint: [p.ACCOUNT_ONLY_ENDPOINT], principal: p.PARTNER_ROLE, action: 's3:GetObject', resource: OBJ, context: FROM_ENDPOINT, expected: 'implicit-deny' },
  // symbolic references as Model.symDoc writes them
  { name: 'symbolic bucket ARN in the identity policy', identity: [SYM_READ], principal: p.APP_ROLE, action: 's3:GetObject', resource: `${SYM_BUCKET}/k`, expected: 'allow' },
  { name: 'symbolic bucket ARN does not cover another bucket', identity: [SYM_READ], principal: p.APP_ROLE, action: 's3:GetObject', resource: 'arn:aws:s3:::{{Stack/Other4321}}/k', expected: 'implicit-deny' },
  { name: 'symbolic endpoint id through that endpoint', identity: [SYM_READ], resourcePolicy: SYM_DENY, principal: p.APP_ROLE, action: 's3:GetObject', resource: `${SYM_BUCKET}/k`, context: { 'aws:SourceVpce': SYM_ENDPOINT }, expected: 'allow' },
  { name: 'symbolic endpoint id through another endpoint', identity: [SYM_READ], resourcePolicy: SYM_DENY, principal: p.APP_ROLE, action: 's3:GetObject', resource: `${SYM_BUCKET}/k`, context: { 'aws:SourceVpce': '{{Stack/Endpoint9999}}' }, expected: 'deny' },
  // policy variables and set operators
  { name: 'policy variable matches the user', identity: [p.OWN_HOME], principal: p.ALICE, action: 's3:GetObject', resource: `${p.BUCKET}/home/alice/notes.txt`, context: { 'aws:username': 'alice' }, expected: 'allow' },
  { name: 'policy variable does not match another home', identity: [p.OWN_HOME], principal: p.ALICE, action: 's3:GetObject', resource: `${p.BUCKET}/home/bob/notes.txt`, context: { 'aws:username': 'alice' }, expected: 'implicit-deny' },
  { name: 'ForAnyValue:StringLike on org paths matches', identity: [p.ORG_PATHS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, context: { 'aws:PrincipalOrgPaths': ['o-abc123/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'] }, expected: 'allow' },
  { name: 'ForAnyValue:StringLike on org paths without the key', identity: [p.ORG_PATHS], principal: p.APP_ROLE, action: 's3:GetObject', resource: OBJ, expected: 'implicit-deny' },
];

/** The keys AWS puts in every request of an IAM or service principal. */
function principalContext(principal: string): Record<string, string> {
  if (!principal.startsWith('arn:')) return { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal };
  return { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4], 'aws:PrincipalIsAWSService': 'false' };
}

function ours(row: Row): Decision {
  const isArn = row.principal.startsWith('arn:');
  const account = isArn ? row.principal.split(':')[4] : undefined;
  return evaluateAll({
    identity: row.identity,
    resource: row.resourcePolicy ? [row.resourcePolicy] : [],
    endpoint: row.endpoint,
    sameAccount: account === p.ACCOUNT,
  }, {
    action: row.action,
    resource: row.resource,
    principal: isArn ? { arn: row.principal } : { service: row.principal },
    context: { ...principalContext(row.principal), ...row.context },
  }).decision;
}

async function theirs(row: Row): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: row.principal,
      action: row.action,
      resource: { resource: row.resource, accountId: p.ACCOUNT },
      contextVariables: { ...principalContext(row.principal), ...row.context },
    },
    identityPolicies: (row.identity ?? []).map((policy, i) => ({ name: `identity${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: row.resourcePolicy,
    vpcEndpointPolicies: row.endpoint?.map((policy, i) => ({ name: `endpoint${i}`, policy })),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`iam-simulate rejected the row: ${JSON.stringify(result.errors)}`);
  const map = { Allowed: 'allow', ExplicitlyDenied: 'deny', ImplicitlyDenied: 'implicit-deny' } as const;
  return map[result.overallResult];
}

describe('cross-check with iam-simulate', () => {
  test('the table has at least 40 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  test.each(rows.map(r => [r.name, r] as const))('%s', async (_name, row) => {
    // WHEN both evaluators judge the same request
    const [mine, oracle] = [ours(row), await theirs(row)];
    // THEN both reach the documented decision
    expect({ mine, oracle }).toEqual({ mine: row.expected, oracle: row.expected });
  });
});
