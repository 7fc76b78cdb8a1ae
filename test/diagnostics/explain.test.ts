import { cleanUp, PlantedFault, synthExample, synthPlanted } from './fixtures';
import { FAULTS } from '../../examples/example-stack';
import { PathExplanation, PathVerdict, S3PrivateAccessDiagnostics } from '../../lib';

const HOPS = ['dns', 'subnet', 'route-table', 's3-route', 'endpoint', 'security-group', 'nacl-outbound', 'nacl-return',
  'endpoint-policy', 'bucket-policy', 'identity-policy', 'kms'];

const dirs: Record<string, string> = {};
beforeAll(() => {
  for (const fault of [undefined, ...FAULTS]) dirs[fault ?? 'none'] = synthExample(fault);
  for (const fault of ['none', 'sg-no-egress', 'endpoint-policy-other-bucket', 'wrong-vpce', 'kms-no-grant'] as PlantedFault[]) {
    dirs[`planted:${fault}`] = synthPlanted(fault);
  }
});
afterAll(() => cleanUp(Object.values(dirs)));

function verdicts(e: PathExplanation): Record<string, string> {
  return Object.fromEntries(e.hops.map(h => [h.name, h.verdict]));
}

describe('explainPath on the example app', () => {
  test('GIVEN no fault THEN every hop on the path is ok and only KMS (SSE-S3 bucket) is n/a', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs.none, { from: 'S3PrivateAccessExample/Worker', bucket: 'S3PrivateAccessExample/Data' });

    expect(e.hops.map(h => h.name)).toEqual(HOPS);
    expect(e.firstFailure).toBeUndefined();
    expect(e.hops.filter(h => h.verdict !== PathVerdict.OK).map(h => [h.name, h.verdict])).toEqual([['kms', 'n/a']]);
    expect(e.workload).toBe('S3PrivateAccessExample/Worker/Resource');
    // the key defaults to one inside the role's grant (work/*), so the identity policy allows it
    expect(e.resource).toMatch(/^arn:aws:s3:::\{\{S3PrivateAccessExample\/Data[0-9A-F]+\}\}\/work\/s3pa-probe$/);
  });

  test('GIVEN no fault THEN the route hop shows the longest prefix match to the endpoint\'s prefix-list route', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs.none, { from: 'Worker', bucket: 'Data' });
    const route = e.hops.find(h => h.name === 's3-route')!;
    expect(route.evidence.join('\n')).toMatch(/\d+ of the \d+ S3 ranges of eu-west-1 go to the prefix-list route of S3 gateway endpoint S3PrivateAccessExample\/S3Access\/Endpoint\/Resource/);
  });

  test('GIVEN route-not-associated THEN the route table hop fails first, with S3PA-RouteNotAssociated and its fix', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['route-not-associated'], { from: 'Worker', bucket: 'Data' });

    expect(e.firstFailure).toMatchObject({ name: 'route-table', ruleId: 'S3PA-RouteNotAssociated', fix: expect.stringMatching(/associate the route table/) });
    expect(e.firstFailure!.evidence.join('\n')).toMatch(/appSubnet1\/RouteTable, which no S3 gateway endpoint lists in its RouteTableIds/);
    expect(verdicts(e)).toMatchObject({ dns: 'ok', subnet: 'ok', endpoint: 'n/a' });
  });

  test('GIVEN nacl-ephemeral THEN the NACL return hop fails first with S3PA-NaclEphemeral, the outbound hop passes', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['nacl-ephemeral'], { from: 'Worker', bucket: 'Data' });

    expect(e.firstFailure).toMatchObject({ name: 'nacl-return', ruleId: 'S3PA-NaclEphemeral' });
    expect(verdicts(e)['nacl-outbound']).toBe('ok');
    expect(e.firstFailure!.evidence.join('\n')).toMatch(/network ACL S3PrivateAccessExample\/AppAcl\/Resource of subnet .*: inbound TCP 1024-65535 \(return traffic\) from \d+ of the \d+ S3 ranges of eu-west-1 is denied/);
  });

  test.each(['s3:PutObject', 's3:GetObject'])('GIVEN source-ip-private THEN the bucket policy hop fails first with S3PA-SourceIpPrivate (%s)', (action) => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['source-ip-private'], { from: 'Worker', bucket: 'Data', action });

    expect(e.firstFailure).toMatchObject({ name: 'bucket-policy', ruleId: 'S3PA-SourceIpPrivate' });
    expect(e.hops.slice(0, HOPS.indexOf('bucket-policy')).every(h => h.verdict === 'ok')).toBe(true);
  });

  test('GIVEN source-ip-private and s3:PutObject THEN the evidence shows the Deny that matches the request', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['source-ip-private'], { from: 'Worker', bucket: 'Data', action: 's3:PutObject' });
    expect(e.firstFailure!.evidence[0]).toMatch(/^bucket policy S3PrivateAccessExample\/Data\/Policy\/Resource denies s3:PutObject on .*\/work\/s3pa-probe/);
  });

  test('GIVEN ecr-layers THEN the ECS service\'s path to the ECR layer bucket fails at the endpoint policy with S3PA-EndpointPolicyAwsBuckets', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['ecr-layers'], { from: 'S3PrivateAccessExample/Service', bucket: 'prod-eu-west-1-starport-layer-bucket' });

    expect(e.workload).toBe('S3PrivateAccessExample/Service/Service');
    expect(e.firstFailure).toMatchObject({ name: 'endpoint-policy', ruleId: 'S3PA-EndpointPolicyAwsBuckets', fix: expect.stringMatching(/AwsOwnedBuckets\.ECR_LAYERS/) });
    // AWS owns the bucket: its policy, the identity side and its encryption are not the app's
    expect(verdicts(e)).toMatchObject({ 'bucket-policy': 'n/a', 'identity-policy': 'n/a', 'kms': 'n/a' });
  });

  test('GIVEN interface-vpce-only THEN the bucket policy hop fails first with S3PA-InterfaceVpceRequired, naming the gateway route', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['interface-vpce-only'], { from: 'Worker', bucket: 'Data' });

    expect(e.firstFailure).toMatchObject({ name: 'bucket-policy', ruleId: 'S3PA-InterfaceVpceRequired', fix: expect.stringMatching(/list both endpoint ids/) });
    expect(e.firstFailure!.evidence.join('\n')).toMatch(/\[S3PA-InterfaceVpceRequired\] .*unless aws:SourceVpce is S3 interface endpoint S3PrivateAccessExample\/Vpc\/S3Remote\/Resource.*gateway endpoint S3PrivateAccessExample\/S3Access\/Endpoint\/Resource/);
    expect(e.hops.slice(0, HOPS.indexOf('bucket-policy')).every(h => h.verdict === 'ok')).toBe(true);
  });

  test('GIVEN access-point-other-vpc THEN the function\'s direct path to the bucket is not affected (the fault is on the access point)', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['access-point-other-vpc'], { from: 'Worker', bucket: 'Data' });
    expect(e.firstFailure).toBeUndefined();
  });

  test('GIVEN ecr-layers THEN the function\'s path to the data bucket is not affected (the fault is on the layer bucket only)', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['ecr-layers'], { from: 'Worker', bucket: 'Data' });
    expect(e.firstFailure).toBeUndefined();
  });
});

describe('explainPath on the example app\'s policy faults of issue 14', () => {
  test('GIVEN custom-resource-response THEN the custom resource function\'s PUT to CloudFormation\'s response bucket fails at the endpoint policy', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['custom-resource-response'], {
      from: 'SeedHandler', bucket: 'cloudformation-custom-resource-response-euwest1', action: 's3:PutObject',
    });

    expect(e.firstFailure).toMatchObject({ name: 'endpoint-policy', ruleId: 'S3PA-CustomResourceResponse', fix: expect.stringMatching(/AwsOwnedBuckets\.CLOUDFORMATION_RESPONSES/) });
    expect(e.hops.filter(h => h.verdict === 'fail').map(h => h.name)).toEqual(['endpoint-policy']);
  });

  test('GIVEN custom-resource-response THEN the function\'s path to the data bucket is not affected', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['custom-resource-response'], { from: 'Worker', bucket: 'Data' });
    expect(e.firstFailure).toBeUndefined();
  });

  test('GIVEN set-operator-single-valued THEN the function\'s path through the endpoint still works: the hole is for requests through no endpoint', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['set-operator-single-valued'], { from: 'Worker', bucket: 'Data' });

    expect(e.firstFailure).toBeUndefined();
  });
});

describe('explainPath on planted faults', () => {
  test('GIVEN the fault-free fixture THEN no hop fails', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['planted:none'], { from: 'Reader', bucket: 'Data' });
    expect(e.hops.filter(h => h.verdict === 'fail')).toEqual([]);
  });

  test.each([
    ['sg-no-egress', 'security-group', 'S3PA-SgEgress', /allows no TCP 443/],
    ['endpoint-policy-other-bucket', 'endpoint-policy', 'S3PA-EndpointPolicyDenies', /does not allow s3:GetObject on .*Data[0-9A-F]+\}\}\/work\/s3pa-probe/],
    ['wrong-vpce', 'bucket-policy', 'S3PA-SourceVpceValue', /come through S3 endpoint Planted\/S3Access\/Endpoint\/Resource .*aws:SourceVpce names only Planted\/OtherVpc\/S3\/Resource, not that endpoint, so they get 403/],
    ['kms-no-grant', 'kms', 'S3PA-KmsGrant', /may not use kms:Decrypt/],
  ])('GIVEN %s THEN the first failing hop is %s with %s', (fault, hop, ruleId, evidence) => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs[`planted:${fault}`], { from: 'Reader', bucket: 'Data' });

    expect(e.firstFailure).toMatchObject({ name: hop, verdict: 'fail', ruleId });
    expect(e.firstFailure!.evidence.join('\n')).toMatch(evidence);
    expect(e.hops.filter(h => h.verdict === 'fail').map(h => h.name)).toEqual([hop]);
  });

  test('GIVEN an action the role is not granted THEN the identity policy hop fails with no rule and a grant fix', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['planted:none'], { from: 'Reader', bucket: 'Data', action: 's3:PutObject' });
    expect(e.firstFailure).toMatchObject({ name: 'identity-policy', fix: expect.stringMatching(/^grant s3:PutObject on /) });
    expect(e.firstFailure!.ruleId).toBeUndefined();
  });

  test('GIVEN a key outside the grant THEN the identity policy hop fails on that key', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['planted:none'], { from: 'Reader', bucket: 'Data', key: 'other/file.csv' });
    expect(e.resource).toMatch(/\/other\/file\.csv$/);
    expect(e.firstFailure?.name).toBe('identity-policy');
  });

  test('GIVEN a bucket action THEN the request names the bucket ARN and KMS is n/a', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['planted:kms-no-grant'], { from: 'Reader', bucket: 'Data', action: 's3:ListBucket' });
    expect(e.resource).toMatch(/^arn:aws:s3:::\{\{Planted\/Data[0-9A-F]+\}\}$/);
    expect(verdicts(e).kms).toBe('n/a');
  });
});

describe('explainPath bad input', () => {
  test('an unknown workload lists the candidates by construct path and logical id', () => {
    expect(() => S3PrivateAccessDiagnostics.explainPath(dirs.none, { from: 'Nope', bucket: 'Data' }))
      .toThrow(/^unknown workload 'Nope': pass the construct path or logical id of one of S3PrivateAccessExample\/Worker\/Resource \(Lambda function, logical id Worker[0-9A-F]+\)/);
  });

  test('an unknown bucket lists the candidates', () => {
    expect(() => S3PrivateAccessDiagnostics.explainPath(dirs.none, { from: 'Worker', bucket: 'nope-bucket' }))
      .toThrow(/^unknown bucket 'nope-bucket': pass the construct path, logical id or name of one of .*S3PrivateAccessExample\/Data\/Resource \(logical id Data[0-9A-F]+\)/);
  });

  test('an action that is not one S3 action is refused', () => {
    expect(() => S3PrivateAccessDiagnostics.explainPath(dirs.none, { from: 'Worker', bucket: 'Data', action: 's3:Get*' }))
      .toThrow(/^invalid action 's3:Get\*': pass one S3 action without wildcards/);
  });

  test('a directory that is not a cloud assembly is refused', () => {
    expect(() => S3PrivateAccessDiagnostics.explainPath(__dirname, { from: 'Worker', bucket: 'Data' }))
      .toThrow(/is not a cloud assembly \(no manifest\.json\): pass the output directory of `cdk synth`/);
  });
});

describe('explanation renderings', () => {
  test('mermaid: a flowchart LR with one node per hop and the failing hop in class fail', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['nacl-ephemeral'], { from: 'Worker', bucket: 'Data' });
    const text = S3PrivateAccessDiagnostics.explanationToMermaid(e);

    expect(text.split('\n')[0]).toBe('flowchart LR');
    for (const hop of HOPS) expect(text).toMatch(new RegExp(`^  ${hop.replace(/-/g, '_')}\\[".*"\\]:::`, 'm'));
    expect(text).toMatch(/^ {2}nacl_return\[".*S3PA-NaclEphemeral.*"\]:::fail$/m);
    expect(text).toMatch(/^ {2}classDef fail /m);
    expect(text.match(/:::fail/g)).toHaveLength(1);
  });

  test('text: each hop with its verdict, then the first failure and its fix', () => {
    const e = S3PrivateAccessDiagnostics.explainPath(dirs['route-not-associated'], { from: 'Worker', bucket: 'Data' });
    const text = S3PrivateAccessDiagnostics.explanationToText(e);
    expect(text).toMatch(/^ 3\. FAIL +route table \[S3PA-RouteNotAssociated\]$/m);
    expect(text).toMatch(/^first failure: route table \[S3PA-RouteNotAssociated\]\nfix: associate the route table/m);
  });
});
