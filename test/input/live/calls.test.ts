import {
  DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand,
} from '@aws-sdk/client-ec2';
import * as ec2 from '@aws-sdk/client-ec2';
import * as iam from '@aws-sdk/client-iam';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import * as s3 from '@aws-sdk/client-s3';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import {
  BUCKET, mockAccount, ROLE, serviceError, SUBNET_A, SUBNET_B, workingAccount,
} from './fixtures';
import { LIVE_READ_ONLY_ACTIONS, liveReadOnlyPolicy, readLiveStacks } from '../../../lib/input/live';
import { loadSdkModules } from '../../../lib/input/live/sdk';
import { checkTemplates } from '../../../lib/rules/run';

/** The IAM action of each S3 API whose action is named differently; every other call is `<service>:<Operation>`. */
const RENAMED: Record<string, string> = {
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketCors': 's3:GetBucketCORS',
  // S3 Control's API, authorized by an s3: action
  's3control:ListAccessPoints': 's3:ListAccessPoints',
};

const resourcesOf = (stacks: Array<{ template: { Resources?: Record<string, any> } }>, type: string) =>
  stacks.flatMap(s => Object.values<any>(s.template.Resources ?? {})).filter(r => r.Type === type);

describe('the read-only IAM policy of --live', () => {
  test('every command sent maps to an action in LIVE_READ_ONLY_ACTIONS', async () => {
    // GIVEN the working account, plus egress to a customer-managed prefix list (two more calls)
    const state = workingAccount();
    state.securityGroups[0].IpPermissionsEgress![0].PrefixListIds!.push({ PrefixListId: 'pl-0a1b2c3d4e5f60001' });
    const account = mockAccount(state);
    account.ec2.on(ec2.DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: 'pl-0a1b2c3d4e5f60001', PrefixListName: 'corp' }] });
    account.ec2.on(ec2.GetManagedPrefixListEntriesCommand).resolves({ Entries: [] });

    // WHEN
    await readLiveStacks(account.options());

    // THEN
    const actions = [...new Set(account.sent().map(c => {
      const op = `${c.replace(/Command$/, '')}`;
      return RENAMED[op] ?? op;
    }))];
    expect(actions.filter(a => !LIVE_READ_ONLY_ACTIONS.includes(a))).toEqual([]);
    // and the list holds nothing these calls do not need (Lambda and ECS are read by their own clients)
    expect(actions.sort()).toEqual(LIVE_READ_ONLY_ACTIONS.filter(a => !/^(lambda|ecs):/.test(a)));
  });

  test('every action is a read', () => {
    // THEN
    expect(LIVE_READ_ONLY_ACTIONS.filter(a => !/^[a-z0-9]+:(Describe|Get|List)[A-Za-z]+$/.test(a))).toEqual([]);
  });

  test('the policy document scopes S3 to the named buckets and lists each action once', () => {
    // WHEN
    const policy = liveReadOnlyPolicy(['my-bucket']);

    // THEN
    const listed = policy.Statement.flatMap(s => s.Action as string[]);
    expect(listed.sort()).toEqual([...LIVE_READ_ONLY_ACTIONS]);
    expect(policy.Statement.find(s => s.Sid === 'ReadBuckets')?.Resource).toEqual(['arn:aws:s3:::my-bucket']);
  });
});

describe('pagination', () => {
  test('every page of a paginated EC2 call is read', async () => {
    // GIVEN two pages of subnets
    const state = workingAccount();
    const account = mockAccount(state);
    account.ec2.on(DescribeSubnetsCommand).callsFake(input => (input.NextToken === 'page-2'
      ? { Subnets: [state.subnets[1]] }
      : { Subnets: [state.subnets[0]], NextToken: 'page-2' }));

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(account.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
    expect(Object.keys(stacks[0].template.Resources!)).toEqual(expect.arrayContaining([
      SUBNET_A.replace(/-/g, ''), SUBNET_B.replace(/-/g, ''),
    ]));
  });

  test('every page of a paginated IAM call is read', async () => {
    // GIVEN two pages of inline policy names (IAM pages with Marker / IsTruncated)
    const state = workingAccount();
    state.roles[ROLE].inline.logs = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] };
    const account = mockAccount(state);
    account.iam.on(ListRolePoliciesCommand).callsFake(input => (input.Marker === 'm2'
      ? { PolicyNames: ['logs'], IsTruncated: false }
      : { PolicyNames: ['data'], IsTruncated: true, Marker: 'm2' }));

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const [role] = resourcesOf(stacks, 'AWS::IAM::Role');
    expect(role.Properties.Policies.map((p: any) => p.PolicyName)).toEqual(['data', 'logs']);
    expect(account.iam.commandCalls(GetRolePolicyCommand)).toHaveLength(2);
  });
});

describe('access denied on one call', () => {
  test('route tables denied: a note, no error, and the rules say they cannot judge the subnet\'s routes', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.ec2.on(DescribeRouteTablesCommand).rejects(serviceError('UnauthorizedOperation', 403));

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes).toEqual([{ action: 'ec2:DescribeRouteTables', message: expect.stringMatching(/^access denied on ec2:DescribeRouteTables \(UnauthorizedOperation\): the route tables of VPCs/) }]);
    const findings = checkTemplates(stacks);
    expect(findings.filter(f => f.level === 'error')).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'S3PA-RouteNotAssociated', level: 'warning', cannotJudge: true }));
  });

  test('endpoints denied: the VPC is left out, so no rule claims it has no endpoint', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.ec2.on(DescribeVpcEndpointsCommand).rejects(serviceError('UnauthorizedOperation', 403));

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes.map(n => n.action)).toEqual(['ec2:DescribeVpcEndpoints']);
    expect(resourcesOf(stacks, 'AWS::EC2::VPC')).toEqual([]);
    expect(checkTemplates(stacks).filter(f => f.level === 'error')).toEqual([]);
  });

  test('bucket policy denied: the bucket is left out with a note, not an error', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.s3.on(GetBucketPolicyCommand).rejects(serviceError('AccessDenied', 403));

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes).toEqual([{ action: 's3:GetBucketPolicy', message: expect.stringContaining(`the policy of bucket ${BUCKET} is unknown`) }]);
    expect(resourcesOf(stacks, 'AWS::S3::Bucket')).toEqual([]);
    expect(checkTemplates(stacks).filter(f => f.level === 'error')).toEqual([]);
  });

  test('an inline role policy denied: the role is left out rather than judged with half its grants', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.iam.on(GetRolePolicyCommand).rejects(serviceError('AccessDenied', 403));

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes.map(n => n.action)).toEqual(['iam:GetRolePolicy']);
    expect(resourcesOf(stacks, 'AWS::IAM::Role')).toEqual([]);
    expect(checkTemplates(stacks).filter(f => f.level === 'error')).toEqual([]);
  });

  test('a missing bucket policy is no resource and no note', async () => {
    // GIVEN
    const state = workingAccount();
    state.buckets[BUCKET].policy = undefined;
    const account = mockAccount(state);

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(notes).toEqual([]);
    expect(resourcesOf(stacks, 'AWS::S3::BucketPolicy')).toEqual([]);
    expect(resourcesOf(stacks, 'AWS::S3::Bucket')).toHaveLength(1);
  });

  test('any other failure is an error that names the call', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());
    account.ec2.on(DescribeSubnetsCommand).rejects(serviceError('InvalidVpcID.NotFound'));

    // WHEN / THEN
    await expect(readLiveStacks(account.options())).rejects.toThrow(/^ec2:DescribeSubnets failed: InvalidVpcID.NotFound/);
  });
});

describe('the SDK packages are loaded at run time', () => {
  test('a missing package gives the install message', () => {
    // GIVEN a loader that cannot find the S3 client
    const load = (name: string) => {
      if (name === '@aws-sdk/client-s3') throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
      return {};
    };

    // WHEN / THEN
    expect(() => loadSdkModules(load)).toThrow(
      "--live needs @aws-sdk/client-ec2, @aws-sdk/client-s3 and @aws-sdk/client-iam: npm install them (could not load @aws-sdk/client-s3 (Cannot find module '@aws-sdk/client-s3'))");
  });

  test('readLiveStacks rejects with the install message when require fails', async () => {
    // GIVEN a module registry in which the EC2 client cannot be loaded
    jest.doMock('@aws-sdk/client-ec2', () => {
      throw new Error("Cannot find module '@aws-sdk/client-ec2'");
    });
    try {
      let live: typeof import('../../../lib/input/live') | undefined;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        live = require('../../../lib/input/live');
      });

      // WHEN / THEN
      await expect(live!.readLiveStacks({ region: 'eu-west-1' }))
        .rejects.toThrow(/^--live needs @aws-sdk\/client-ec2, @aws-sdk\/client-s3 and @aws-sdk\/client-iam: npm install them/);
    } finally {
      jest.dontMock('@aws-sdk/client-ec2');
    }
  });

  test('missing Lambda, ECS and S3 Control clients leave those workloads and access points out with a note naming the package', async () => {
    // GIVEN the three required modules only
    const account = mockAccount(workingAccount());
    // WHEN
    const { notes } = await readLiveStacks(account.options({
      modules: { ec2, s3, iam },
      workloads: { lambdaFunctions: ['fn'], ecsServices: [{ cluster: 'c', service: 's' }] },
    }));

    // THEN
    expect(notes.map(n => n.message)).toEqual([
      'Lambda function fn is left out: reading it needs @aws-sdk/client-lambda (npm install it)',
      'ECS service c/s is left out: reading it needs @aws-sdk/client-ecs (npm install it)',
      'S3 access points are not read: reading them needs @aws-sdk/client-s3control (npm install it), so S3PA-AccessPointVpcOrigin does not judge them',
    ]);
  });
});
