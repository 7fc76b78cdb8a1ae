import { evaluateAll, evaluatePolicy, IamRequest } from '../../../lib/model/iam';

const BUCKET = 'arn:aws:s3:::{{Stack/Bucket1234}}';
const ENDPOINT = '{{Stack/Endpoint5678}}';
const APP_ROLE = 'arn:aws:iam::111111111111:role/App';

/** The bucket policy the construct writes: deny unless through the endpoint, with lockout exemptions. */
const denyUnlessEndpoint = (endpoint = ENDPOINT) => ({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'DenyOutsideEndpoint',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [BUCKET, `${BUCKET}/*`],
    Condition: {
      StringNotEquals: { 'aws:SourceVpce': endpoint },
      ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/cdk-*-cfn-exec-role-*', 'arn:aws:iam::111111111111:role/Admin'] },
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
      BoolIfExists: { 'aws:ViaAWSService': 'false' },
    },
  }],
});

const readObjects = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${BUCKET}/*` }],
};

const get = (context: IamRequest['context'], principalArn = APP_ROLE): IamRequest => ({
  action: 's3:GetObject', resource: `${BUCKET}/data/k`, principal: { arn: principalArn, account: '111111111111' }, context,
});

describe('evaluatePolicy', () => {
  test('an applicable Allow allows', () => {
    const r = evaluatePolicy(readObjects, get({}));
    expect(r).toMatchObject({ decision: 'allow', optimisticDecision: 'allow', uncertain: false });
    expect(r.allowedBy).toHaveLength(1);
  });

  test('no applicable statement is an implicit deny', () => {
    const r = evaluatePolicy(readObjects, { ...get({}), action: 's3:PutObject' });
    expect(r).toMatchObject({ decision: 'implicit-deny', allowedBy: [], deniedBy: [] });
  });

  test('a request from outside the endpoint is denied explicitly', () => {
    const r = evaluatePolicy(denyUnlessEndpoint(), get({ 'aws:SourceVpce': 'vpce-other' }));
    expect(r.decision).toBe('deny');
    expect(r.deniedBy.map(s => s.sid)).toEqual(['DenyOutsideEndpoint']);
  });

  test('a request through the endpoint is not denied', () => {
    expect(evaluatePolicy(denyUnlessEndpoint(), get({ 'aws:SourceVpce': ENDPOINT })).decision).toBe('implicit-deny');
  });

  test.each([
    ['an exempt admin role', get({}, 'arn:aws:iam::111111111111:role/Admin')],
    ['the CDK deploy role', get({}, 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1')],
    ['an AWS service principal', { action: 's3:GetObject', resource: `${BUCKET}/k`, principal: { service: 'logging.s3.amazonaws.com' } }],
    ['a call made via an AWS service', get({ 'aws:ViaAWSService': true })],
  ])('the exemptions spare %s', (_what, request) => {
    expect(evaluatePolicy(denyUnlessEndpoint(), request).decision).not.toBe('deny');
  });

  test('an unresolved endpoint id makes the deny unknown: pessimistic deny, optimistic not', () => {
    const r = evaluatePolicy(denyUnlessEndpoint('{{?}}'), get({ 'aws:SourceVpce': 'vpce-1' }));
    expect(r).toMatchObject({ decision: 'deny', optimisticDecision: 'implicit-deny', uncertain: true, deniedBy: [] });
    expect(r.unknownStatements.map(s => s.sid)).toEqual(['DenyOutsideEndpoint']);
  });

  test('an unresolved resource makes an Allow unknown: no allow pessimistically', () => {
    const doc = { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::{{?}}/*' }] };
    expect(evaluatePolicy(doc, get({}))).toMatchObject({ decision: 'implicit-deny', optimisticDecision: 'allow', uncertain: true });
  });

  test('an unknown statement that cannot change the outcome leaves it certain', () => {
    const doc = {
      Statement: [
        { Effect: 'Deny', Action: '*', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::{{?}}/*' },
      ],
    };
    const r = evaluatePolicy(doc, get({}));
    expect(r).toMatchObject({ decision: 'deny', optimisticDecision: 'deny', uncertain: false });
    expect(r.unknownStatements).toHaveLength(1);
  });

  test('principal keys are derived from the request principal when the context lacks them', () => {
    const doc = {
      Statement: [{
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' }, ArnEquals: { 'aws:PrincipalArn': APP_ROLE } },
      }],
    };
    expect(evaluatePolicy(doc, get({})).decision).toBe('allow');
    expect(evaluatePolicy(doc, get({ 'aws:PrincipalAccount': '222222222222' })).decision).toBe('implicit-deny');
  });

  test('an account-level principal match is flagged', () => {
    const doc = { Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }] };
    expect(evaluatePolicy(doc, get({})).allowedForAccountOnly).toBe(true);
  });
});

describe('evaluateAll', () => {
  const bucketPolicyFor = (principal: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }],
  });

  test('same account: the identity policy alone grants', () => {
    expect(evaluateAll({ identity: [readObjects], sameAccount: true }, get({})).decision).toBe('allow');
  });

  test('same account: a bucket policy naming the role alone grants', () => {
    expect(evaluateAll({ resource: [bucketPolicyFor(APP_ROLE)], sameAccount: true }, get({})).decision).toBe('allow');
  });

  test('same account: a bucket policy naming only the account does not grant alone', () => {
    expect(evaluateAll({ resource: [bucketPolicyFor('111111111111')], sameAccount: true }, get({})).decision).toBe('implicit-deny');
  });

  test('cross account: the identity policy alone does not grant', () => {
    const request: IamRequest = { ...get({}), principal: { arn: 'arn:aws:iam::222222222222:role/App' } };
    expect(evaluateAll({ identity: [readObjects], sameAccount: false }, request).decision).toBe('implicit-deny');
  });

  test('cross account: identity and bucket policy together grant', () => {
    const request: IamRequest = { ...get({}), principal: { arn: 'arn:aws:iam::222222222222:role/App' } };
    const resource = [bucketPolicyFor('222222222222')];
    expect(evaluateAll({ identity: [readObjects], resource, sameAccount: false }, request).decision).toBe('allow');
  });

  test('an endpoint policy that does not allow the action blocks an otherwise granted request', () => {
    const endpoint = [{ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' }] }];
    expect(evaluateAll({ identity: [readObjects], endpoint, sameAccount: true }, get({})).decision).toBe('implicit-deny');
  });

  test('an explicit deny in the bucket policy wins over an identity allow', () => {
    const r = evaluateAll({ identity: [readObjects], resource: [denyUnlessEndpoint()], sameAccount: true }, get({}));
    expect(r.decision).toBe('deny');
    expect(r.deniedBy).toHaveLength(1);
  });

  test('uncertainty in one policy carries into the combination', () => {
    const r = evaluateAll({ identity: [readObjects], resource: [denyUnlessEndpoint('{{?}}')], sameAccount: true }, get({ 'aws:SourceVpce': 'vpce-1' }));
    expect(r).toMatchObject({ decision: 'deny', optimisticDecision: 'allow', uncertain: true });
  });
});
