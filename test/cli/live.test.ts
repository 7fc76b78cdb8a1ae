import { main } from '../../lib/cli/main';
import { liveWorkload } from '../../lib/diagnostics/sources';
import { readAssembly } from '../../lib/input/assembly';
import { readLiveStacks } from '../../lib/input/live';
import { cleanUp, synthExample } from '../diagnostics/fixtures';

// the live reader needs an AWS account: here it answers with the example app's templates instead
jest.mock('../../lib/input/live', () => ({ readLiveStacks: jest.fn() }));
const readLive = readLiveStacks as jest.MockedFunction<typeof readLiveStacks>;

let faulty: string;
beforeAll(() => { faulty = synthExample('route-not-associated'); });
afterAll(() => cleanUp([faulty]));

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: t => { out += t; }, stderr: t => { err += t; } });
  return { code, out, err };
}

describe('--live', () => {
  beforeEach(() => {
    readLive.mockResolvedValue({ stacks: readAssembly(faulty).stacks, notes: [{ message: 'ec2:DescribeFlowLogs was denied' }] });
  });

  test('check --live reads the account with the given scope and runs the same rules', async () => {
    const r = await run('check', '--live', '--region', 'eu-west-1', '--profile', 'audit', '--vpc', 'vpc-1', '--bucket', 'data', '--role', 'worker');

    expect(readLive).toHaveBeenCalledWith({
      region: 'eu-west-1', profile: 'audit', vpcIds: ['vpc-1'], bucketNames: ['data'], roleNames: ['worker'], workloads: undefined,
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[S3PA-RouteNotAssociated\]/);
    expect(r.err).toBe('note: ec2:DescribeFlowLogs was denied\n');
  });

  test('explain --live reads the named workload and explains its path', async () => {
    const r = await run('explain', '--live', '--region', 'eu-west-1', '--from', 'Worker', '--bucket', 'Data', '--format', 'json');

    expect(readLive).toHaveBeenCalledWith(expect.objectContaining({ region: 'eu-west-1', bucketNames: ['Data'], workloads: { lambdaFunctions: ['Worker'] } }));
    expect(JSON.parse(r.out).firstFailure.ruleId).toBe('S3PA-RouteNotAssociated');
    expect(r.code).toBe(1);
  });

  test('--live with a directory is bad usage', async () => {
    const r = await run('check', faulty, '--live', '--region', 'eu-west-1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --live reads the deployed account, not .*: drop the directory or --live/);
  });

  test('--region without --live is bad usage', async () => {
    const r = await run('check', faulty, '--region', 'eu-west-1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --region is an option of --live/);
  });
});

describe('liveWorkload', () => {
  test.each([
    ['i-0123456789abcdef0', { instanceIds: ['i-0123456789abcdef0'] }, 'i-0123456789abcdef0'],
    ['ecs:prod/api', { ecsServices: [{ cluster: 'prod', service: 'api' }] }, 'api'],
    ['arn:aws:ecs:eu-west-1:111111111111:service/prod/api', { ecsServices: [{ cluster: 'prod', service: 'api' }] }, 'api'],
    ['worker-fn', { lambdaFunctions: ['worker-fn'] }, 'worker-fn'],
    ['arn:aws:lambda:eu-west-1:111111111111:function:worker-fn', { lambdaFunctions: ['arn:aws:lambda:eu-west-1:111111111111:function:worker-fn'] }, 'worker-fn'],
  ])('%s is read as %j and found as %s', (from, workloads, name) => {
    expect(liveWorkload(from)).toEqual({ workloads, name });
  });

  test('an ECS service without its cluster is refused', () => {
    expect(() => liveWorkload('ecs:api')).toThrow(/^cannot read ECS service 'ecs:api': pass it as ecs:<cluster>\/<service>/);
  });
});
