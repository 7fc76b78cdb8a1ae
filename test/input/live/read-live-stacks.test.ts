import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ACCOUNT, BUCKET, mockAccount, RTB_A, S3_PL, SG, SUBNET_A, VPC, VPCE, workingAccount, endpointOnlyPolicy, REGION } from './fixtures';
import { readLiveStacks } from '../../../lib/input/live';
import { checkTemplates } from '../../../lib/rules/run';

const errorsOf = (stacks: Parameters<typeof checkTemplates>[0]) =>
  checkTemplates(stacks).filter(f => f.level === 'error');

describe('readLiveStacks: the deployed state judged by the same rules', () => {
  test('a working private path gives no errors', async () => {
    // GIVEN isolated subnets routed to the S3 gateway endpoint, 443 egress to the S3 list, the default ACL,
    // an endpoint-only bucket policy with exemptions and a role granted on the bucket
    const account = mockAccount(workingAccount());

    // WHEN
    const { stacks, notes } = await readLiveStacks(account.options());

    // THEN
    expect(errorsOf(stacks).map(f => `${f.ruleId}: ${f.message}`)).toEqual([]);
    expect(notes).toEqual([]);
  });

  test('the stack carries the account, region and the region\'s AWS-managed prefix lists', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    expect(stacks.map(s => s.info)).toEqual([{
      id: `live-${REGION}`,
      region: REGION,
      account: ACCOUNT,
      partition: 'aws',
      prefixListLookups: { [S3_PL]: `com.amazonaws.${REGION}.s3`, 'pl-6fa54006': `com.amazonaws.${REGION}.dynamodb` },
    }]);
  });

  test('a route table missing from the endpoint gives S3PA-RouteNotAssociated only', async () => {
    // GIVEN the endpoint lists only the other subnet's table
    const state = workingAccount();
    state.endpoints[0].RouteTableIds = state.endpoints[0].RouteTableIds!.filter(id => id !== RTB_A);
    state.routeTables.find(rt => rt.RouteTableId === RTB_A)!.Routes!.splice(1);
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const errors = errorsOf(stacks);
    expect(errors.map(f => f.ruleId)).toEqual(['S3PA-RouteNotAssociated']);
    expect(errors[0].message).toContain(`subnet ${SUBNET_A}, whose route table ${RTB_A} is not in the RouteTableIds`);
  });

  test('a security group without egress gives S3PA-SgEgress only', async () => {
    // GIVEN
    const state = workingAccount();
    state.securityGroups[0].IpPermissionsEgress = [];
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const errors = errorsOf(stacks);
    expect(errors.map(f => f.ruleId)).toEqual(['S3PA-SgEgress']);
    expect(errors[0].resource.path).toBe(SG);
  });

  test('a bucket policy naming another endpoint id gives S3PA-SourceVpceValue only', async () => {
    // GIVEN the policy names an endpoint that is not the one the instance's subnet routes through
    const state = workingAccount();
    state.buckets[BUCKET].policy = endpointOnlyPolicy(BUCKET, 'vpce-0fffffffffffffff0');
    const account = mockAccount(state);

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const errors = errorsOf(stacks);
    expect(errors.map(f => f.ruleId)).toEqual(['S3PA-SourceVpceValue']);
    expect(errors[0].message).toContain('vpce-0fffffffffffffff0');
    expect(errors[0].message).toContain(VPCE);
  });

  test('a bucket policy naming the endpoint refers to it, so the rules follow the reference', async () => {
    // GIVEN
    const account = mockAccount(workingAccount());

    // WHEN
    const { stacks } = await readLiveStacks(account.options());

    // THEN
    const resources = stacks[0].template.Resources!;
    const policy = Object.values<any>(resources).find(r => r.Type === 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: 'Bucketappdatabucket' });
    expect(policy.Properties.PolicyDocument.Statement[0].Condition.StringNotEquals['aws:SourceVpce'])
      .toEqual({ Ref: VPCE.replace(/-/g, '') });
  });

  test('a workload outside the given VPCs brings its VPC into the scope', async () => {
    // GIVEN the caller names another VPC only
    const account = mockAccount(workingAccount());

    // WHEN
    await readLiveStacks(account.options({ vpcIds: ['vpc-0ffffffffffffff01'] }));

    // THEN
    const input = account.ec2.commandCalls(DescribeVpcsCommand)[0].args[0].input;
    expect(input.VpcIds).toEqual(['vpc-0ffffffffffffff01', VPC]);
  });
});
