import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { accountInName, expandActions, GrantIndex, judgedEntries, parseS3Arn } from '../../lib/model/grants';
import { envStack, modelOf } from '../helpers/checks';

describe('grants', () => {
  test('expands wildcard actions against the concrete S3 actions, marking literal ones', () => {
    // GIVEN / WHEN
    const actions = expandActions({ Action: ['s3:GetObject*', 's3:ListBucket'] });

    // THEN
    expect(actions).toEqual([
      { action: 's3:GetObject', explicit: false },
      { action: 's3:GetObjectVersion', explicit: false },
      { action: 's3:ListBucket', explicit: true },
    ]);
  });

  test('expands NotAction to every other action', () => {
    // GIVEN / WHEN
    const actions = expandActions({ NotAction: 's3:Delete*' }).map(a => a.action);

    // THEN
    expect(actions).toContain('s3:GetObject');
    expect(actions).not.toContain('s3:DeleteObject');
  });

  test('splits symbolic ARNs whose bucket name holds a slash', () => {
    // GIVEN / WHEN / THEN
    expect(parseS3Arn('arn:aws:s3:::{{Stack/Data1234}}/logs/*')).toEqual({ bucket: '{{Stack/Data1234}}', key: 'logs/*' });
    expect(parseS3Arn('arn:{{AWS::Partition}}:s3:::plain')).toEqual({ bucket: 'plain' });
    expect(parseS3Arn('arn:aws:kms:eu-west-1:111111111111:key/x')).toBeUndefined();
  });

  test('reads an account id out of a bucket name', () => {
    // GIVEN / WHEN / THEN
    expect(accountInName('cdk-hnb659fds-assets-222222222222-eu-west-1')).toBe('222222222222');
    expect(accountInName('data-bucket')).toBeUndefined();
  });

  test('maps grantRead to the bucket of the app, with object and bucket entries', () => {
    // GIVEN
    const stack = envStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantRead(role);
    const m = modelOf(stack);

    // WHEN
    const grants = new GrantIndex(m).ofRole(m.roles[0]);
    const grant = [...grants.byBucket.values()][0];
    const judged = judgedEntries(grant).map(e => `${e.action}@${e.on}`);

    // THEN
    expect(grant.bucket.node?.res.path).toBe('Stack/Data/Resource');
    expect(judged.sort()).toEqual(['s3:GetObject@object', 's3:ListBucket@bucket']);
    expect(judgedEntries(grant).find(e => e.on === 'object')!.probe).toMatch(/^arn:aws:s3:::\{\{Stack\/Data[0-9A-F]+\}\}\/s3pa-probe$/);
  });
});
