import * as ec2 from '@aws-sdk/client-ec2';
import { DescribeManagedPrefixListsCommand, DescribeVpcAttributeCommand, GetManagedPrefixListEntriesCommand } from '@aws-sdk/client-ec2';
import * as iam from '@aws-sdk/client-iam';
import * as s3 from '@aws-sdk/client-s3';
import {
  ACCOUNT, ACL, BUCKET, endpointOnlyPolicy, INSTANCE, mockAccount, RTB_A, RTB_MAIN, ROLE, S3_PL, serviceError, SG, SUBNET_A, SUBNET_B, VPC,
  workingAccount,
} from './fixtures';
import { readLiveStacks } from '../../../lib/input/live';
import { buildModel } from '../../../lib/model/model';
import { StackTemplate } from '../../../lib/model/values';
import { checkTemplates } from '../../../lib/rules/run';

const id = (awsId: string) => awsId.replace(/[^A-Za-z0-9]/g, '');
const ofType = (stacks: StackTemplate[], type: string) =>
  stacks.flatMap(s => Object.entries<any>(s.template.Resources ?? {})).filter(([, r]) => r.Type === type);
const errorIds = (stacks: StackTemplate[]) => checkTemplates(stacks).filter(f => f.level === 'error').map(f => f.ruleId);

describe('route tables', () => {
  test('subnets without an explicit association get one with the main table', async () => {
    // GIVEN subnet B loses its explicit association
    const state = workingAccount();
    state.routeTables = state.routeTables.filter(rt => rt.Associations?.[0]?.SubnetId !== SUBNET_B);
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const assocs = ofType(stacks, 'AWS::EC2::SubnetRouteTableAssociation').map(([, r]) => r.Properties);
    expect(assocs).toEqual(expect.arrayContaining([
      { SubnetId: { Ref: id(SUBNET_A) }, RouteTableId: { Ref: id(RTB_A) } },
      { SubnetId: { Ref: id(SUBNET_B) }, RouteTableId: { Ref: id(RTB_MAIN) } },
    ]));
    expect(assocs).toHaveLength(2);
  });

  test('local and gateway-endpoint routes are left to the model; other routes keep their target', async () => {
    // GIVEN a NAT route besides the local and endpoint routes
    const state = workingAccount();
    state.routeTables[1].Routes = [...state.routeTables[1].Routes!, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a1b2c3d4e5f60001', State: 'active' }];
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const routes = ofType(stacks, 'AWS::EC2::Route').map(([, r]) => r.Properties);
    expect(routes).toEqual([{ RouteTableId: { Ref: id(RTB_A) }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a1b2c3d4e5f60001' }]);
    expect(buildModel(stacks).subnets.find(s => s.res.path === SUBNET_A)?.hasInternetRoute).toBe(true);
  });
});

describe('network ACLs and security groups', () => {
  test('a default ACL with AWS\'s entries is not written: the model takes it as allow-all', async () => {
    // GIVEN / WHEN
    const { stacks } = await readLiveStacks(mockAccount(workingAccount()).options());

    // THEN
    expect(ofType(stacks, 'AWS::EC2::NetworkAcl')).toEqual([]);
  });

  test('a default ACL with changed entries is written as a custom one and judged', async () => {
    // GIVEN outbound allows only port 80
    const state = workingAccount();
    state.networkAcls[0].Entries![0] = { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 80, To: 80 } };
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(ofType(stacks, 'AWS::EC2::NetworkAclEntry').map(([, r]) => r.Properties.RuleNumber)).toEqual([100, 100]);
    expect(ofType(stacks, 'AWS::EC2::SubnetNetworkAclAssociation').map(([, r]) => r.Properties.NetworkAclId))
      .toEqual([{ Ref: id(ACL) }, { Ref: id(ACL) }]);
    expect(errorIds(stacks)).toEqual(['S3PA-NaclOutbound']);
  });

  test('each CIDR, prefix list and group pair of a permission is one egress entry', async () => {
    // GIVEN
    const state = workingAccount();
    state.securityGroups[0].IpPermissionsEgress = [{
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.0.0/16' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      PrefixListIds: [{ PrefixListId: S3_PL }],
      UserIdGroupPairs: [{ GroupId: SG, UserId: ACCOUNT }],
    }];
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const [[, sg]] = ofType(stacks, 'AWS::EC2::SecurityGroup');
    const base = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443 };
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      { ...base, CidrIp: '10.0.0.0/8' }, { ...base, CidrIp: '192.168.0.0/16' }, { ...base, CidrIpv6: '::/0' },
      { ...base, DestinationPrefixListId: S3_PL }, { ...base, DestinationSecurityGroupId: { Ref: id(SG) } },
    ]);
  });
});

describe('customer-managed prefix lists', () => {
  test('a list that egress names is read with its entries and judged by them', async () => {
    // GIVEN the group's only 443 egress goes to a customer list of private ranges
    const state = workingAccount();
    state.securityGroups[0].IpPermissionsEgress![0].PrefixListIds = [{ PrefixListId: 'pl-0a1b2c3d4e5f60001' }];
    const account = mockAccount(state);
    account.ec2.on(DescribeManagedPrefixListsCommand).resolves({
      PrefixLists: [{ PrefixListId: 'pl-0a1b2c3d4e5f60001', PrefixListName: 'corp-ranges', AddressFamily: 'IPv4', MaxEntries: 5, OwnerId: ACCOUNT, State: 'create-complete' }],
    });
    account.ec2.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '10.0.0.0/8', Description: 'corp' }] });

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(ofType(stacks, 'AWS::EC2::PrefixList').map(([logicalId, r]) => [logicalId, r.Properties.Entries]))
      .toEqual([['pl0a1b2c3d4e5f60001', [{ Cidr: '10.0.0.0/8', Description: 'corp' }]]]);
    expect(checkTemplates(stacks).map(f => `${f.level} ${f.ruleId}`)).toEqual(['error S3PA-SgEgress']);
    expect(account.ec2.commandCalls(DescribeManagedPrefixListsCommand)[0].args[0].input).toEqual({ PrefixListIds: ['pl-0a1b2c3d4e5f60001'] });
  });
});

describe('unreadable values and other regions', () => {
  test('an unreadable DNS attribute is unknown to the model: a warning, not an error', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.ec2.on(DescribeVpcAttributeCommand).rejects(serviceError('UnauthorizedOperation', 403));

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes.map(n => n.action)).toEqual(['ec2:DescribeVpcAttribute', 'ec2:DescribeVpcAttribute']);
    const findings = checkTemplates(stacks).filter(f => f.ruleId === 'S3PA-DnsSupport');
    // DNS hostnames matter only to interface endpoints with private DNS, which this account has none of
    expect(findings.map(f => [f.level, f.cannotJudge])).toEqual([['warning', true]]);
    expect(findings[0].message).toMatch(/EnableDnsSupport of VPC vpc-/);
  });

  test('a bucket of another region lands in a stack of its region, and its users get S3PA-RegionMismatch', async () => {
    // GIVEN the bucket lives in us-east-1
    const state = workingAccount();
    state.buckets[BUCKET].location = 'us-east-1';
    const account = mockAccount(state);

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(stacks.map(s => s.info.id)).toEqual(['live-eu-west-1', 'live-us-east-1']);
    expect(Object.keys(stacks[1].template.Resources!)).toEqual(['Bucketappdatabucket', 'BucketPolicyappdatabucket']);
    expect(notes.map(n => n.message)).toEqual([expect.stringContaining(`bucket ${BUCKET} is in us-east-1, not eu-west-1`)]);
    const errors = checkTemplates(stacks).filter(f => f.level === 'error');
    expect(errors.map(f => f.ruleId)).toContain('S3PA-RegionMismatch');
    expect(errors.find(f => f.ruleId === 'S3PA-RegionMismatch')?.resource.path).toBe(INSTANCE);
  });
});

describe('Lambda and ECS workloads (clients injected with the modules)', () => {
  /** A stand-in for an SDK client package: command classes that carry their input. */
  const commandClass = (name: string) => ({ [name]: class { constructor(readonly input: any) {} } })[name];
  const lambdaModule = { LambdaClient: class {}, GetFunctionConfigurationCommand: commandClass('GetFunctionConfigurationCommand') };
  const ecsModule = {
    ECSClient: class {},
    DescribeServicesCommand: commandClass('DescribeServicesCommand'),
    DescribeTaskDefinitionCommand: commandClass('DescribeTaskDefinitionCommand'),
  };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;

  test('a Lambda function in the VPC is a workload with its subnets, groups and role', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    const lambda = {
      send: async (cmd: any) => ({
        FunctionName: cmd.input.FunctionName,
        Role: roleArn,
        PackageType: 'Zip',
        Runtime: 'nodejs20.x',
        VpcConfig: { VpcId: VPC, SubnetIds: [SUBNET_A], SecurityGroupIds: [SG] },
        Environment: { Variables: { BUCKET } },
      }),
    };

    // WHEN
    const { stacks } = await readLiveStacks(account.options({
      modules: { ec2, s3, iam, lambda: lambdaModule },
      clients: { ...account.options().clients, lambda },
      workloads: { lambdaFunctions: ['reader'] },
    }));

    // THEN
    const [w] = buildModel(stacks).workloads;
    expect([w.kind, w.res.path, w.subnets.length, w.securityGroups.length, w.roles.map(r => r.res.path)])
      .toEqual(['lambda', 'lambda/reader', 1, 1, [`role/${ROLE}`]]);
    expect(errorIds(stacks)).toEqual([]);
  });

  test('an ECS service is a workload with its task definition\'s roles and containers', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    const sent: string[] = [];
    const ecsClient = {
      send: async (cmd: any) => {
        sent.push(cmd.constructor.name);
        if (cmd.constructor.name === 'DescribeServicesCommand') {
          return {
            services: [{
              serviceName: 'api',
              clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/main`,
              launchType: 'FARGATE',
              taskDefinition: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/api:7`,
              networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNET_A], securityGroups: [SG], assignPublicIp: 'DISABLED' } },
            }],
            failures: [],
          };
        }
        return {
          taskDefinition: {
            family: 'api',
            revision: 7,
            networkMode: 'awsvpc',
            taskRoleArn: roleArn,
            containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:latest', environment: [{ name: 'BUCKET', value: BUCKET }] }],
          },
        };
      },
    };

    // WHEN
    const { stacks } = await readLiveStacks(account.options({
      modules: { ec2, s3, iam, ecs: ecsModule },
      clients: { ...account.options().clients, ecs: ecsClient },
      workloads: { ecsServices: [{ cluster: 'main', service: 'api' }] },
    }));

    // THEN
    const [w] = buildModel(stacks).workloads;
    expect([w.kind, w.res.path, w.networkMode, w.subnets.length, w.roles.map(r => r.res.path), w.containers.map(c => c.name)])
      .toEqual(['ecs-service', 'ecs/main/api', 'awsvpc', 1, [`role/${ROLE}`], ['app']]);
    expect(sent).toEqual(['DescribeServicesCommand', 'DescribeTaskDefinitionCommand']);
    expect(errorIds(stacks)).toEqual([]);
  });

  test('the endpoint\'s own policy is kept, with its ids as references', async () => {
    // GIVEN an endpoint policy limited to the VPC's own endpoint
    const state = workingAccount();
    state.endpoints[0].PolicyDocument = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': VPC } } }],
    });
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const [[, ep]] = ofType(stacks, 'AWS::EC2::VPCEndpoint');
    expect(ep.Properties.PolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceVpc': { Ref: id(VPC) } } });
    expect(ep.Properties.RouteTableIds).toEqual([{ Ref: id(RTB_A) }, { Ref: expect.stringMatching(/^rtb/) }]);
  });
});

describe('bucket CORS configurations', () => {
  test('a CORS configuration is read, so S3PA-PresignedOutsideVpc judges the endpoint-only bucket from --live', async () => {
    // GIVEN the endpoint-only bucket answers browsers of a web app
    const state = workingAccount();
    state.buckets[BUCKET].cors = [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'], MaxAgeSeconds: 300 }];
    const account = mockAccount(state);

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    const [, bucket] = ofType(stacks, 'AWS::S3::Bucket')[0];
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'], MaxAge: 300 }],
    });
    expect(notes).toEqual([]);
    const findings = checkTemplates(stacks).filter(f => f.ruleId === 'S3PA-PresignedOutsideVpc');
    expect(findings.map(f => [f.level, f.message])).toEqual([['warning', expect.stringMatching(
      new RegExp(`^bucket bucket/${BUCKET} has a CORS configuration, so browsers outside the VPC call it, but its policy bucket/${BUCKET}/policy denies`),
    )]]);
  });

  test('a bucket without CORS rules (NoSuchCORSConfiguration) has none, and no note', async () => {
    // GIVEN / WHEN
    const { stacks, notes } = await readLiveStacks(mockAccount(workingAccount()).options());

    // THEN
    expect(ofType(stacks, 'AWS::S3::Bucket')[0][1].Properties.CorsConfiguration).toBeUndefined();
    expect(notes).toEqual([]);
    expect(checkTemplates(stacks).filter(f => f.ruleId === 'S3PA-PresignedOutsideVpc')).toEqual([]);
  });

  test('an unreadable CORS configuration is a note naming what is not judged', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.s3.on(s3.GetBucketCorsCommand).rejects(serviceError('AccessDenied', 403));

    // WHEN
    const { notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes.map(n => [n.action, n.message])).toEqual([['s3:GetBucketCORS', expect.stringContaining(`the CORS configuration of bucket ${BUCKET} is unknown`)]]);
  });
});

describe('policy rules of issue 14 over a deployed account', () => {
  test('a bucket perimeter written with ForAnyValue:StringNotEquals gives S3PA-SetOperatorSingleValued', async () => {
    // GIVEN
    const state = workingAccount();
    const policy = JSON.parse(JSON.stringify(state.buckets[BUCKET].policy));
    policy.Statement[0].Condition['ForAnyValue:StringNotEquals'] = policy.Statement[0].Condition.StringNotEquals;
    delete policy.Statement[0].Condition.StringNotEquals;
    state.buckets[BUCKET].policy = policy;

    // WHEN
    const { stacks } = await readLiveStacks(mockAccount(state).options());

    // THEN
    const findings = checkTemplates(stacks).filter(f => f.ruleId === 'S3PA-SetOperatorSingleValued');
    expect(findings.map(f => [f.level, f.resource.path])).toEqual([['error', `bucket/${BUCKET}/policy`]]);
  });

  test('an endpoint policy of Deny statements only gives S3PA-EndpointPolicyPerimeter, once', async () => {
    // GIVEN
    const state = workingAccount();
    state.endpoints[0].PolicyDocument = JSON.stringify({
      Version: '2008-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' }],
    });

    // WHEN
    const { stacks } = await readLiveStacks(mockAccount(state).options());

    // THEN
    const errors = checkTemplates(stacks).filter(f => f.level === 'error');
    expect(errors.map(f => f.ruleId)).toEqual(['S3PA-EndpointPolicyPerimeter']);
  });
});

describe('S3 access points (S3 Control, a hand-stubbed client)', () => {
  const OTHER_VPC = 'vpc-0a1b2c3d4e5f60002';
  const AP_ARN = `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/reports`;

  /** The instance's role granted on the access point's objects, and the access point's network origin. */
  function withAccessPoint(origin: string) {
    const state = workingAccount();
    state.vpcs.push({ VpcId: OTHER_VPC, OwnerId: ACCOUNT, CidrBlock: '10.1.0.0/16', State: 'available', IsDefault: false });
    state.roles[ROLE].inline.reports = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${AP_ARN}/object/*` }],
    };
    state.accessPoints = [{ Name: 'reports', Bucket: BUCKET, NetworkOrigin: 'VPC', VpcConfiguration: { VpcId: origin }, AccessPointArn: AP_ARN }];
    return mockAccount(state);
  }

  test('an access point is written with its bucket and its VPC origin as references', async () => {
    // GIVEN
    const account = withAccessPoint(VPC);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(ofType(stacks, 'AWS::S3::AccessPoint').map(([, r]) => r.Properties)).toEqual([{
      Bucket: { Ref: expect.stringContaining('appdatabucket') },
      Name: 'reports',
      VpcConfiguration: { VpcId: { Ref: id(VPC) } },
    }]);
    expect(account.s3control).toEqual([{ name: 'ListAccessPointsCommand', input: { AccountId: ACCOUNT } }]);
    expect(errorIds(stacks)).toEqual([]);
  });

  test('an access point whose origin is another VPC than the workload\'s gives S3PA-AccessPointVpcOrigin', async () => {
    // GIVEN
    const account = withAccessPoint(OTHER_VPC);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(errorIds(stacks)).toEqual(['S3PA-AccessPointVpcOrigin']);
  });
});

describe('interface endpoints', () => {
  const IFACE = 'vpce-0a1b2c3d4e5f60002';

  /** The working account with an S3 interface endpoint for on-premises beside the gateway endpoint. */
  function withInterface(inboundOnly: boolean) {
    const state = workingAccount();
    state.endpoints.push({
      VpcEndpointId: IFACE,
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: 'com.amazonaws.eu-west-1.s3',
      State: 'Available',
      SubnetIds: [SUBNET_A],
      PrivateDnsEnabled: true,
      DnsOptions: { DnsRecordIpType: 'ipv4', PrivateDnsOnlyForInboundResolverEndpoint: inboundOnly },
    });
    return state;
  }

  test('a bucket policy that requires the interface endpoint, for a workload routed through the gateway, gives S3PA-InterfaceVpceRequired', async () => {
    // GIVEN the bucket restricted to the interface endpoint only (private DNS for inbound resolvers only)
    const state = withInterface(true);
    state.buckets[BUCKET].policy = endpointOnlyPolicy(BUCKET, IFACE);
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(errorIds(stacks)).toEqual(['S3PA-InterfaceVpceRequired']);
  });

  test('private DNS only for inbound resolvers is written as CloudFormation\'s DnsOptions', async () => {
    // GIVEN an S3 interface endpoint beside the gateway endpoint
    const account = mockAccount(withInterface(true));

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const iface = ofType(stacks, 'AWS::EC2::VPCEndpoint').find(([, r]) => r.Properties.VpcEndpointType === 'Interface')!;
    expect(iface[1].Properties).toMatchObject({ PrivateDnsEnabled: true, DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'OnlyInboundResolver' } });
  });
});
