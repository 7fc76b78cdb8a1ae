import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../../lib';
import { exampleApp } from '../helpers/example';

const ROUTE = 'S3PA-RouteNotAssociated';

/** What each front end reports, reduced to `<rule id> <construct path>` pairs at error level. */
function errorsOfAspect(stack: Stack): string[] {
  const messages = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('\\[S3PA-'));
  return unique(messages.map(m => `${/\[(S3PA-[A-Za-z0-9]+)\]/.exec(String(m.entry.data))![1]} ${m.id.replace(/^\//, '')}`));
}

/** Front ends group differently (one annotation per finding, one nag violation per resource): compare the pairs. */
function unique(pairs: string[]): string[] {
  return [...new Set(pairs)].sort();
}

describe('the three front ends', () => {
  test('GIVEN the seed story (a function whose subnet is not routed to the endpoint) THEN all three report the same errors', () => {
    // GIVEN
    const { app, stack } = exampleApp('route-not-associated');
    Aspects.of(app).add(new S3PrivateAccessChecks());

    // WHEN
    const aspect = errorsOfAspect(stack);
    const assembly = app.synth();
    const validator = new S3PrivateAccessValidator().validate({
      templatePaths: [assembly.getStackArtifact(stack.artifactId).templateFullPath],
    });
    const nag = new S3PrivateAccessNagPack(app).validateScope(app);

    // THEN
    expect(aspect).toContain(`${ROUTE} S3PrivateAccessExample/Worker/Resource`);
    const fromValidator = unique(validator.violations.filter(v => v.severity === 'error')
      .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${r.constructPath}`)));
    const fromNag = unique(nag.violations.filter(v => v.severity === 'error')
      .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${r.constructPath}`)));
    expect(validator.success).toBe(false);
    expect(nag.success).toBe(false);
    expect(fromValidator).toEqual(aspect);
    expect(fromNag).toEqual(aspect);
  });

  test('GIVEN the example without faults THEN no front end reports anything', () => {
    const { app, stack } = exampleApp();
    Aspects.of(app).add(new S3PrivateAccessChecks());

    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('S3PA-'));
    const assembly = app.synth();
    const validator = new S3PrivateAccessValidator().validate({
      templatePaths: [assembly.getStackArtifact(stack.artifactId).templateFullPath],
    });
    expect(validator.violations).toEqual([]);
    expect(validator.success).toBe(true);
    expect(new S3PrivateAccessNagPack(app).validateScope(app).violations).toEqual([]);
  });

  test('the Aspect reports the fix and the logical id with the rule id', () => {
    const { app, stack } = exampleApp('route-not-associated');
    Aspects.of(app).add(new S3PrivateAccessChecks());
    Annotations.fromStack(stack).hasError('/S3PrivateAccessExample/Worker/Resource',
      Match.stringLikeRegexp(`\\[${ROUTE}\\] .*\\(logical id Worker[0-9A-F]+\\)\\. Fix: .*subnets`));
  });

  test('disabledRules turns a rule off in every front end; an unknown id is an error', () => {
    const { app, stack } = exampleApp('route-not-associated');
    Aspects.of(app).add(new S3PrivateAccessChecks({ disabledRules: [ROUTE] }));
    expect(errorsOfAspect(stack).filter(e => e.startsWith(ROUTE))).toEqual([]);
    const nag = new S3PrivateAccessNagPack(app, { disabledRules: [ROUTE] }).validateScope(app);
    expect(nag.violations.map(v => v.ruleName)).not.toContain(ROUTE);
    expect(() => new S3PrivateAccessChecks({ disabledRules: ['S3PA-Nope'] })).toThrow(/unknown rule id in disabledRules: S3PA-Nope/);
    expect(() => new S3PrivateAccessValidator({ disabledRules: ['S3PA-Nope'] })).toThrow(/unknown rule id/);
  });

  /** Adds a DHCP options set with a custom DNS server to the example's VPC (S3PA-CustomDns, a warning). */
  function addCustomDns(stack: Stack): void {
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
    const dhcp = new ec2.CfnDHCPOptions(stack, 'Dhcp', { domainNameServers: ['10.0.0.53'] });
    new ec2.CfnVPCDHCPOptionsAssociation(stack, 'DhcpAssoc', { vpcId: vpc.vpcId, dhcpOptionsId: dhcp.ref });
  }

  test('warningsAsErrors turns a warning into an error', () => {
    const { app, stack } = exampleApp();
    addCustomDns(stack);
    Aspects.of(app).add(new S3PrivateAccessChecks({ warningsAsErrors: true }));
    Annotations.fromStack(stack).hasError('/S3PrivateAccessExample/Dhcp', Match.stringLikeRegexp('S3PA-CustomDns'));
  });

  test('a warning carries a stable id that can be acknowledged', () => {
    const { app, stack } = exampleApp();
    addCustomDns(stack);
    Aspects.of(app).add(new S3PrivateAccessChecks());
    Annotations.fromStack(stack).hasWarning('/S3PrivateAccessExample/Dhcp',
      Match.stringLikeRegexp('S3PA-CustomDns.*\\[ack: cdk-s3-private-access:S3PA-CustomDns\\]'));
  });

  test('the nag pack runs through Validations even where aws-cdk-lib gives no construct tree', () => {
    const { app } = exampleApp('route-not-associated');
    const report = new S3PrivateAccessNagPack(app).validate({ templatePaths: [] });
    expect(report.violations.map(v => v.ruleName)).toContain(ROUTE);
  });

  test('the Aspect works on a plain app that never uses S3PrivateAccess', () => {
    // GIVEN an L1-only VPC with DNS support off, an S3 gateway endpoint and an L1 function that uses S3 in it
    const app = new App();
    const stack = new Stack(app, 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16', enableDnsSupport: false, enableDnsHostnames: false });
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
    const rt = new ec2.CfnRouteTable(stack, 'Rt', { vpcId: vpc.ref });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Assoc', { subnetId: subnet.ref, routeTableId: rt.ref });
    new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: [rt.ref] });
    new lambda.CfnFunction(stack, 'Fn', {
      role: 'arn:aws:iam::111111111111:role/fn',
      code: { zipFile: 'exports.handler = async () => {}' },
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      vpcConfig: { subnetIds: [subnet.ref], securityGroupIds: [] },
      environment: { variables: { BUCKET_NAME: 'app-data-bucket' } },
    });

    // WHEN
    Aspects.of(app).add(new S3PrivateAccessChecks());

    // THEN
    Annotations.fromStack(stack).hasError('/Plain/Vpc', Match.stringLikeRegexp('\\[S3PA-DnsSupport\\]'));
  });
});
