import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { S3PrefixList, S3PrivateAccess } from '../../lib';
import { agnosticStackAndApp, compliantVpc, envBoundStack, S3_PREFIX_LIST_ID } from '../helpers/s3pa-fixtures';

const HTTPS_EGRESS = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS to Amazon S3 through the gateway endpoint' };

describe('S3 prefix list', () => {
  test('env-bound stack: looked up at synth time from context, no custom resource', () => {
    // GIVEN
    const { stack } = envBoundStack();
    // WHEN
    const pl = new S3PrefixList(stack, 'Pl');
    // THEN
    expect(pl.prefixListId).toBe(S3_PREFIX_LIST_ID);
    expect(pl.resolvedAtSynth).toBe(true);
    Template.fromStack(stack).resourceCountIs('Custom::S3PrefixListLookup', 0);
  });

  test('env-bound stack without the context answer: the lookup is reported missing', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    // WHEN
    new S3PrefixList(stack, 'Pl');
    // THEN
    const missing = app.synth().manifest.missing ?? [];
    expect(missing.map((m) => m.props)).toContainEqual(expect.objectContaining({
      propertyMatch: { PrefixListName: 'com.amazonaws.eu-west-1.s3' },
    }));
  });

  test('env-agnostic stack: a deploy-time DescribePrefixLists custom resource filtered by the region\'s name', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    // WHEN
    const pl = new S3PrefixList(stack, 'Pl');
    // THEN
    expect(pl.resolvedAtSynth).toBe(false);
    const template = Template.fromStack(stack);
    const call = {
      service: 'EC2',
      action: 'describePrefixLists',
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    template.hasResourceProperties('Custom::S3PrefixListLookup', {
      Create: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"Name":"prefix-list-name","Values":\\["com.amazonaws.'), { Ref: 'AWS::Region' }])] }),
      InstallLatestAwsSdk: false,
    });
    const [resource] = Object.values(template.findResources('Custom::S3PrefixListLookup')) as any[];
    const create = JSON.stringify(resource.Properties.Create);
    expect(create).toContain(`\\"service\\":\\"${call.service}\\"`);
    expect(create).toContain(`\\"action\\":\\"${call.action}\\"`);
    expect(create).toContain(`\\"outputPaths\\":[\\"${call.outputPaths[0]}\\"]`);
    expect(JSON.stringify(stack.resolve(pl.prefixListId))).toContain('PrefixLists.0.PrefixListId');
  });

  test('env-agnostic lookup may only call ec2:DescribePrefixLists', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    // WHEN
    new S3PrefixList(stack, 'Pl');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'ec2:DescribePrefixLists', Resource: '*' }] },
    });
  });

  test('allowFrom adds TCP 443 egress to the prefix list on a restricted security group', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    // WHEN
    new S3PrefixList(stack, 'Pl').allowFrom(sg);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      ...HTTPS_EGRESS, DestinationPrefixListId: S3_PREFIX_LIST_ID, GroupId: stack.resolve(sg.securityGroupId),
    });
  });

  test('every group in securityGroups gets the egress rule; nothing else does', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const a = new ec2.SecurityGroup(stack, 'A', { vpc, allowAllOutbound: false });
    const b = new ec2.SecurityGroup(stack, 'B', { vpc, allowAllOutbound: false });
    new ec2.SecurityGroup(stack, 'Other', { vpc, allowAllOutbound: false });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc, securityGroups: [a, b] });
    // THEN
    const rules = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupEgress', {
      Properties: { ...HTTPS_EGRESS, DestinationPrefixListId: S3_PREFIX_LIST_ID },
    });
    const groupIds = Object.values(rules).map((r: any) => r.Properties.GroupId);
    expect(groupIds).toHaveLength(2);
    expect(groupIds).toEqual(expect.arrayContaining([stack.resolve(a.securityGroupId), stack.resolve(b.securityGroupId)]));
  });

  test('S3PrivateAccess.allowFrom opens a Lambda function\'s group', () => {
    // GIVEN
    const { stack } = envBoundStack();
    const vpc = compliantVpc(stack);
    const fn = new lambda.Function(stack, 'Fn', {
      vpc, allowAllOutbound: false, runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const access = new S3PrivateAccess(stack, 'S3', { vpc });
    // WHEN
    access.allowFrom(fn);
    // THEN
    expect(access.prefixListId).toBe(S3_PREFIX_LIST_ID);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      ...HTTPS_EGRESS, DestinationPrefixListId: S3_PREFIX_LIST_ID, GroupId: stack.resolve(fn.connections.securityGroups[0].securityGroupId),
    });
  });

  test('no security groups and no prefixListId use: no lookup at all', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    // WHEN
    new S3PrivateAccess(stack, 'S3', { vpc: compliantVpc(stack) });
    // THEN
    const providers = (app.synth().manifest.missing ?? []).map((m) => m.provider);
    expect(providers).not.toContain('cc-api-provider');
  });

  test('nameFor gives the region\'s prefix-list name', () => {
    expect(S3PrefixList.nameFor('eu-west-1')).toBe('com.amazonaws.eu-west-1.s3');
  });
});
