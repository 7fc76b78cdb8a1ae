import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { templatesOfScope } from '../../../lib/input/scope';
import { buildModel } from '../../../lib/model/model';
import { prefixListLiteral } from '../../../lib/rules/network/prefix-list-literal';
import { runRules } from '../../../lib/rules/run';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';
import { appWithPrefixListLookups, isolatedVpc, vpcFunction } from '../../helpers/net-fixtures';

function groupWithEgressTo(stack: Stack, vpc: ec2.IVpc, prefixListId: string): ec2.SecurityGroup {
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
  sg.addEgressRule(ec2.Peer.prefixList(prefixListId), ec2.Port.tcp(443));
  return sg;
}

describe('S3PA-PrefixListLiteral', () => {
  test('warns on a hard-coded id in an environment-bound stack whose context answered no lookup for it', () => {
    // GIVEN a literal pl- id in the egress of a function's group
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpcFunction(stack, vpc, { securityGroups: [groupWithEgressTo(stack, vpc, 'pl-6da54004')] });

    // WHEN
    const findings = findingsOf(stack, prefixListLiteral);

    // THEN one warning on the egress resource, naming the group, the id and the fix
    expect(summary(findings)).toEqual([{
      level: 'warning',
      path: 'Stack/Sg/to pl-6da54004:443',
      message: expect.stringContaining('security group Stack/Sg/Resource has egress to the hard-coded prefix list pl-6da54004'),
    }]);
    expect(findings[0].message).toContain('no prefix-list lookup');
    expect(findings[0].fix).toContain('PrefixList.fromLookup');
  });

  test('warns on any literal in an environment-agnostic stack', () => {
    // GIVEN no env: a lookup could not have written the id
    const stack = agnosticStack();
    const vpc = isolatedVpc(stack);
    vpcFunction(stack, vpc, { securityGroups: [groupWithEgressTo(stack, vpc, 'pl-6da54004')] });

    // THEN
    const [finding] = findingsOf(stack, prefixListLiteral);
    expect(finding.level).toBe('warning');
    expect(finding.message).toContain('environment-agnostic');
  });

  test('does not warn on an id written by PrefixList.fromLookup and answered by the context', () => {
    // GIVEN the same id, but from a lookup answered in cdk.context.json
    const app = appWithPrefixListLookups({ 'com.amazonaws.eu-west-1.s3': 'pl-6da54004' });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = isolatedVpc(stack);
    const s3 = ec2.PrefixList.fromLookup(stack, 'S3', { prefixListName: 'com.amazonaws.eu-west-1.s3' });
    vpcFunction(stack, vpc, { securityGroups: [groupWithEgressTo(stack, vpc, s3.prefixListId)] });

    // THEN
    expect(findingsOf(stack, prefixListLiteral)).toEqual([]);
  });

  test('does not warn on the placeholder of an unanswered lookup', () => {
    // GIVEN a lookup with no context answer (pl-xxxxxxxx)
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    const s3 = ec2.PrefixList.fromLookup(stack, 'S3', { prefixListName: 'com.amazonaws.eu-west-1.s3' });
    vpcFunction(stack, vpc, { securityGroups: [groupWithEgressTo(stack, vpc, s3.prefixListId)] });

    // THEN
    expect(findingsOf(stack, prefixListLiteral)).toEqual([]);
  });

  test('reports nothing false when only templates are known (no context to tell a lookup from a literal)', () => {
    // GIVEN a literal id, and a model built from templates without the lookup answers
    const stack = envStack();
    const vpc = isolatedVpc(stack);
    vpcFunction(stack, vpc, { securityGroups: [groupWithEgressTo(stack, vpc, 'pl-6da54004')] });
    const stacks = templatesOfScope(stack).stacks.map(s => ({ ...s, info: { ...s.info, prefixListLookups: undefined } }));

    // WHEN
    const findings = runRules(buildModel(stacks), [prefixListLiteral]);

    // THEN
    expect(findings).toEqual([]);
  });
});
