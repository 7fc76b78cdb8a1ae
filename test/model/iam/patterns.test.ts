import {
  actionMatches, actionMatchesOrUnknown, hasUnresolved, normalizePrincipal, normalizeStatements, principalMatches,
  resourceMatches, resourceMatchesOrUnknown, statementsOf,
} from '../../../lib/model/iam';

describe('actionMatches', () => {
  test.each<[string, string, boolean]>([
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:getobject', 's3:GetObject', true],
    ['S3:Get*', 's3:GetObjectVersion', true],
    ['s3:*', 's3:ListBucket', true],
    ['*', 'kms:Decrypt', true],
    ['s3:Get?bject', 's3:GetObject', true],
    ['s3:Put*', 's3:GetObject', false],
    ['s3:GetObject', 's3:GetObjectAcl', false],
    ['kms:*', 's3:GetObject', false],
  ])('%s covers %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  test('an unresolved action pattern is unknown, never a match', () => {
    expect(actionMatchesOrUnknown('s3:{{?}}', 's3:GetObject')).toBe('unknown');
    expect(actionMatches('s3:{{?}}', 's3:GetObject')).toBe(false);
  });
});

describe('resourceMatches', () => {
  test.each<[string, string, boolean]>([
    ['*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/data/k.csv', true],
    ['arn:aws:s3:::b/data/*', 'arn:aws:s3:::b/logs/k', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/k', false],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false],
    ['arn:aws:s3:::prod-*-starport-layer-bucket/*', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/sha256:1', true],
    ['arn:aws:s3:::b/??.txt', 'arn:aws:s3:::b/ab.txt', true],
    ['arn:aws:*:b/k', 'arn:aws:s3:::b/k', false],
    ['arn:*:s3:::b/*', 'arn:aws:s3:::b/k:v', true],
    ['arn:aws:s3:::{{Stack/Bucket1234}}/*', 'arn:aws:s3:::{{Stack/Bucket1234}}/k', true],
    ['arn:aws:s3:::{{Stack/Bucket1234}}/*', 'arn:aws:s3:::{{Stack/Other99}}/k', false],
  ])('%s covers %s: %s', (pattern, arn, expected) => {
    expect(resourceMatches(pattern, arn)).toBe(expected);
  });

  test.each<[string, string, boolean | 'unknown']>([
    ['arn:aws:s3:::{{?}}/*', 'arn:aws:s3:::b/k', 'unknown'],
    ['arn:{{AWS::Partition}}:s3:::b/*', 'arn:aws:s3:::b/k', 'unknown'],
    ['arn:aws:s3:::{{?}}/logs/*', 'arn:aws:s3:::b/data/k', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::{{?}}/k', 'unknown'],
    ['arn:aws:kms:*', 'arn:aws:s3:::{{?}}/k', false],
    ['*', 'arn:aws:s3:::{{?}}/k', true],
  ])('with unresolved values, %s covers %s: %s', (pattern, arn, expected) => {
    expect(resourceMatchesOrUnknown(pattern, arn)).toBe(expected);
  });

  test('policy variables are substituted from the context, else unknown', () => {
    const ctx = new Map([['aws:username', 'alice']]);
    expect(resourceMatchesOrUnknown('arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/alice/k', ctx, true)).toBe(true);
    expect(resourceMatchesOrUnknown('arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/bob/k', ctx, true)).toBe(false);
    expect(resourceMatchesOrUnknown('arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/alice/k', new Map(), true)).toBe('unknown');
  });

  test('without policy variables (old policy versions) ${…} is literal text', () => {
    expect(resourceMatchesOrUnknown('arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/${aws:username}/k')).toBe(true);
  });
});

describe('hasUnresolved', () => {
  test.each<[string, boolean]>([
    ['{{?}}', true],
    ['arn:{{AWS::Partition}}:s3:::b', true],
    ['{{BucketNameParam}}', true],
    ['{{Stack/Bucket1234}}', false],
    ['{{Stack/Role.Arn}}', false],
    ['vpce-123', false],
  ])('%s: %s', (text, expected) => {
    expect(hasUnresolved(text)).toBe(expected);
  });
});

describe('normalizeStatements', () => {
  test('a single statement object and string elements become arrays', () => {
    // GIVEN a policy whose Statement is an object with string elements
    const doc = {
      Version: '2012-10-17',
      Statement: {
        Sid: 'One',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Principal: '*',
        Condition: { StringEquals: { 'AWS:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': true } },
      },
    };
    // WHEN normalized
    const [s] = normalizeStatements(doc);
    // THEN
    expect(s).toMatchObject({
      sid: 'One',
      effect: 'Allow',
      action: ['s3:GetObject'],
      resource: ['arn:aws:s3:::b/*'],
      variables: true,
      index: 0,
      principal: { wildcard: true, aws: [], service: [] },
    });
    expect(s.conditions).toEqual([
      { operator: 'StringEquals', key: 'aws:sourcevpce', keyAsWritten: 'AWS:SourceVpce', values: ['vpce-1'] },
      { operator: 'Bool', key: 'aws:securetransport', keyAsWritten: 'aws:SecureTransport', values: ['true'] },
    ]);
  });

  test('NotAction, NotResource and NotPrincipal are kept apart from their positive forms', () => {
    const [s] = statementsOf({ Statement: [{ Effect: 'Deny', NotAction: ['s3:Get*'], NotResource: 'arn:aws:s3:::b/*', NotPrincipal: { AWS: 'arn:aws:iam::1:role/x' } }] });
    expect(s).toMatchObject({ effect: 'Deny', notAction: ['s3:Get*'], notResource: ['arn:aws:s3:::b/*'], variables: false });
    expect(s.action).toBeUndefined();
    expect(s.notPrincipal?.aws).toEqual(['arn:aws:iam::1:role/x']);
  });

  test('malformed input yields no statements or inert ones, never a throw', () => {
    expect(normalizeStatements(undefined)).toEqual([]);
    expect(normalizeStatements('nope')).toEqual([]);
    expect(normalizeStatements({ Statement: [null, 3, 'x'] })).toEqual([]);
    expect(normalizeStatements({ Statement: [{ Effect: 'Maybe', Action: '*' }] })[0].effect).toBe('Invalid');
  });
});

describe('principals', () => {
  test.each<[unknown, object]>([
    ['*', { wildcard: true, aws: [] }],
    [{ AWS: '*' }, { wildcard: true, aws: [] }],
    [{ AWS: ['111111111111', 'arn:aws:iam::2:role/r'] }, { wildcard: false, aws: ['111111111111', 'arn:aws:iam::2:role/r'] }],
    [{ Service: 'cloudformation.amazonaws.com' }, { service: ['cloudformation.amazonaws.com'] }],
    [{ Federated: 'cognito-identity.amazonaws.com' }, { federated: ['cognito-identity.amazonaws.com'] }],
    [{ CanonicalUser: 'abc' }, { canonicalUser: ['abc'] }],
  ])('normalizePrincipal(%j)', (raw, expected) => {
    expect(normalizePrincipal(raw)).toMatchObject(expected);
  });

  const ROLE = 'arn:aws:iam::111111111111:role/app/AppRole';
  test.each<[unknown, object, boolean | 'unknown']>([
    ['*', {}, true],
    [{ AWS: ROLE }, { principal: { arn: ROLE } }, true],
    [{ AWS: ROLE }, { principalArn: 'arn:aws:sts::111111111111:assumed-role/AppRole/session-1' }, true],
    [{ AWS: ROLE }, { principalArn: 'arn:aws:sts::222222222222:assumed-role/AppRole/session-1' }, false],
    [{ AWS: ROLE }, { principal: { arn: 'arn:aws:iam::111111111111:role/Other' } }, false],
    [{ AWS: '111111111111' }, { principal: { arn: ROLE } }, true],
    [{ AWS: 'arn:aws:iam::111111111111:root' }, { principal: { account: '111111111111' } }, true],
    [{ AWS: 'arn:aws:iam::222222222222:root' }, { principal: { arn: ROLE } }, false],
    [{ Service: 'cloudformation.amazonaws.com' }, { principal: { service: 'cloudformation.amazonaws.com' } }, true],
    [{ Service: 'cloudformation.amazonaws.com' }, { principal: { arn: ROLE } }, false],
    [{ AWS: ROLE }, { principal: { service: 'lambda.amazonaws.com' } }, false],
    [{ AWS: ROLE }, {}, 'unknown'],
    [{ AWS: '{{?}}' }, { principal: { arn: ROLE } }, 'unknown'],
    [{ AWS: '{{Stack/Role.Arn}}' }, { principal: { arn: '{{Stack/Role.Arn}}' } }, true],
    [{ AWS: '{{Stack/Role.Arn}}' }, { principal: { arn: ROLE } }, false],
  ])('principalMatches(%j, %j) → %s', (block, request, expected) => {
    expect(principalMatches(block, request)).toBe(expected);
  });
});
