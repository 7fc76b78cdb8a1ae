import { App, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NaclCidrUpdater, NaclCidrUpdaterProps } from '../../lib/network/nacl-cidr-updater';
import { naclUpdaterHandlerCode } from '../../lib/network/nacl-cidr-updater-code';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';

function setup(props: Partial<NaclCidrUpdaterProps> = {}, region = 'eu-west-1') {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
  const updater = new NaclCidrUpdater(stack, 'Updater', { networkAcls: [acl], ...props });
  return { app, stack, acl, updater, template: Template.fromStack(stack) };
}

describe('NaclCidrUpdater template', () => {
  test('creates a Node.js 22 function whose inline code is the tested handler', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: naclUpdaterHandlerCode() },
    });
  });

  test('passes the ACL ids, region and rule-number ranges to the function and the deploy-time sync', () => {
    const { template, stack, acl } = setup({ egressRuleNumberStart: 100, ingressRuleNumberStart: 200, maxEntriesPerDirection: 18 });
    const config = stack.resolve(stack.toJsonString({
      networkAclIds: [acl.networkAclId], region: 'eu-west-1', egressRuleNumberStart: 100, ingressRuleNumberStart: 200, maxEntriesPerDirection: 18,
    }));
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { NACL_UPDATER_CONFIG: config } } });
    template.hasResourceProperties('Custom::S3NaclCidrs', { ServiceToken: Match.anyValue(), Config: config });
  });

  test('ipv6: the settings carry the IPv6 ranges, by default right after the IPv4 ones', () => {
    const { template, stack, acl } = setup({ egressRuleNumberStart: 100, ingressRuleNumberStart: 200, maxEntriesPerDirection: 18, ipv6: {} });
    const config = stack.resolve(stack.toJsonString({
      networkAclIds: [acl.networkAclId],
      region: 'eu-west-1',
      egressRuleNumberStart: 100,
      ingressRuleNumberStart: 200,
      maxEntriesPerDirection: 18,
      ipv6: { egressRuleNumberStart: 118, ingressRuleNumberStart: 218, maxEntriesPerDirection: 18 },
    }));
    template.hasResourceProperties('Custom::S3NaclCidrs', { ServiceToken: Match.anyValue(), Config: config });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { NACL_UPDATER_CONFIG: config } } });
  });

  test('ipv6 with its own ranges; without ipv6 the settings have none', () => {
    const { stack } = setup({ ipv6: { egressRuleNumberStart: 400, ingressRuleNumberStart: 410, maxEntriesPerDirection: 5 } });
    const [sync] = Object.values(Template.fromStack(stack).findResources('Custom::S3NaclCidrs')) as any[];
    expect(JSON.stringify(sync.Properties.Config)).toContain('\\"ipv6\\":{\\"egressRuleNumberStart\\":400,\\"ingressRuleNumberStart\\":410,\\"maxEntriesPerDirection\\":5}');
    const [plain] = Object.values(setup().template.findResources('Custom::S3NaclCidrs')) as any[];
    expect(JSON.stringify(plain.Properties.Config)).not.toContain('ipv6');
  });

  test('subscribes the function to the AmazonIpSpaceChanged topic in us-east-1', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda', TopicArn: TOPIC_ARN, Region: 'us-east-1', Endpoint: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TOPIC_ARN,
    });
    expect(NaclCidrUpdater.AMAZON_IP_SPACE_CHANGED_TOPIC_ARN).toBe(TOPIC_ARN);
  });

  test('the deploy-time sync waits for the function\'s permissions', () => {
    const { template } = setup();
    const [sync] = Object.values(template.findResources('Custom::S3NaclCidrs'));
    const policies = Object.keys(template.findResources('AWS::IAM::Policy'));
    expect(sync.DependsOn).toEqual(expect.arrayContaining(policies));
  });

  test('grants the mutating actions on the managed ACLs only, DescribeNetworkAcls on *, and log writes on its log group', () => {
    const { template, stack, acl } = setup();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
          {
            Effect: 'Allow',
            Action: ['ec2:CreateNetworkAclEntry', 'ec2:ReplaceNetworkAclEntry', 'ec2:DeleteNetworkAclEntry'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:111111111111:network-acl/', stack.resolve(acl.networkAclId)]] },
          },
          { Effect: 'Allow', Action: 'ec2:DescribeNetworkAcls', Resource: '*' },
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 1);
  });

  test('the role has no managed policy (no broad AWSLambdaBasicExecutionRole)', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('an imported ACL is granted by its id', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    new NaclCidrUpdater(stack, 'Updater', { networkAcls: [ec2.NetworkAcl.fromNetworkAclId(stack, 'Acl', 'acl-0123456789abcdef0')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:111111111111:network-acl/acl-0123456789abcdef0']] },
        })]),
      },
    });
  });

  test('an env-agnostic stack uses the deploy-time region', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new NaclCidrUpdater(stack, 'Updater', { networkAcls: [ec2.NetworkAcl.fromNetworkAclId(stack, 'Acl', 'acl-1')] });
    Template.fromStack(stack).hasResourceProperties('Custom::S3NaclCidrs', {
      Config: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'AWS::Region' }])] },
    });
  });
});

describe('NaclCidrUpdater validation', () => {
  test.each([
    [{ networkAcls: [] }, /networkAcls is empty/],
    [{ maxEntriesPerDirection: 0 }, /maxEntriesPerDirection must be an integer from 1 to 40 .*got 0/],
    [{ maxEntriesPerDirection: 41 }, /maxEntriesPerDirection must be an integer from 1 to 40 .*got 41/],
    [{ maxEntriesPerDirection: 2.5 }, /maxEntriesPerDirection must be an integer .*got 2.5/],
    [{ egressRuleNumberStart: 0 }, /egressRuleNumberStart must be an integer from 1 to 32747 .*got 0/],
    [{ ingressRuleNumberStart: 32760 }, /ingressRuleNumberStart must be an integer from 1 to 32747 so that its 20 rule numbers stay within 1-32766, got 32760/],
    [{ ipv6: { maxEntriesPerDirection: 41 } }, /ipv6\.maxEntriesPerDirection must be an integer from 1 to 40 .*got 41/],
    [{ ipv6: { egressRuleNumberStart: 32760 } }, /ipv6\.egressRuleNumberStart must be an integer from 1 to 32747 .*got 32760/],
    [{ ipv6: { egressRuleNumberStart: 32010 } }, /^ipv6\.egressRuleNumberStart range 32010-32029 overlaps the IPv4 range 32000-32019 of the same direction .*: pick a start outside it/],
    [{ ingressRuleNumberStart: 100, ipv6: { ingressRuleNumberStart: 90 } }, /^ipv6\.ingressRuleNumberStart range 90-109 overlaps the IPv4 range 100-119/],
  ])('rejects %p', (props, message) => {
    expect(() => setup(props as Partial<NaclCidrUpdaterProps>)).toThrow(message);
  });

  test('accepts the largest range that ends at rule 32766', () => {
    expect(() => setup({ egressRuleNumberStart: 32727, maxEntriesPerDirection: 40 })).not.toThrow();
  });

  test('accepts equal inbound and outbound starts (separate rule lists)', () => {
    expect(() => setup({ egressRuleNumberStart: 500, ingressRuleNumberStart: 500 })).not.toThrow();
  });

  test.each(['cn-north-1', 'us-gov-west-1'])('rejects %s, where the topic cannot be subscribed to', (region) => {
    expect(() => setup({}, region)).toThrow(new RegExp(`region '${region}' is outside the aws partition`));
  });
});

describe('NaclCidrUpdater warnings', () => {
  test('warns when the bundled snapshot already has more CIDRs than the range holds', () => {
    const { stack } = setup({ maxEntriesPerDirection: 2 });
    Annotations.fromStack(stack).hasWarning('/Stack/Updater', Match.stringLikeRegexp('S3 publishes \\d+ IPv4 CIDRs for eu-west-1 .* maxEntriesPerDirection is 2'));
  });

  test('ipv6: warns when the bundled snapshot has more IPv6 CIDRs than the IPv6 range holds', () => {
    const { stack } = setup({ ipv6: { maxEntriesPerDirection: 1 } });
    Annotations.fromStack(stack).hasWarning('/Stack/Updater', Match.stringLikeRegexp('S3 publishes \\d+ IPv6 CIDRs for eu-west-1 .* ipv6.maxEntriesPerDirection is 1'));
  });

  test('does not warn when the snapshot fits', () => {
    const { stack } = setup();
    Annotations.fromStack(stack).hasNoWarning('/Stack/Updater', Match.anyValue());
  });
});

describe('NaclCidrUpdater and cdk-nag', () => {
  test('AwsSolutions reports nothing unacknowledged on the updater', () => {
    const { app, stack } = setup();
    const violations = new AwsSolutionsChecks(app).validateScope(stack).violations
      .filter((v) => v.violatingResources.some((r) => (r.constructPath ?? '').startsWith('Stack/Updater')));
    expect(violations).toEqual([]);
  });

  test('every acknowledgement carries a written reason', () => {
    const { updater } = setup();
    const acknowledged: Record<string, string> = {};
    for (const construct of updater.node.findAll()) {
      for (const entry of construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
        Object.assign(acknowledged, entry.data);
      }
    }
    // CDK records plain ids as 'annotation::<id>' (2.257) or 'Annotation::<id>' (2.262.1 on); cdk-nag honours both
    expect(Object.keys(acknowledged).map((id) => id.replace(/^annotation::/i, '')).sort())
      .toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
    for (const reason of Object.values(acknowledged)) {
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});
