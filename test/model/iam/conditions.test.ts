import { evaluateCondition, parseOperator } from '../../../lib/model/iam';
import { ContextValue, Tri } from '../../../lib/model/iam/types';

type Case = [operator: string, key: string, values: string | string[], context: Record<string, ContextValue>, expected: Tri];

const VPCE = 'vpce-1a2b3c4d';
const OTHER = 'vpce-99999999';

describe('evaluateCondition', () => {
  describe('string operators', () => {
    test.each<Case>([
      ['StringEquals', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': VPCE }, true],
      ['StringEquals', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': OTHER }, false],
      ['StringEquals', 'aws:SourceVpce', VPCE, {}, false],
      ['StringEquals', 'aws:SourceVpce', [OTHER, VPCE], { 'aws:SourceVpce': VPCE }, true],
      ['StringEquals', 'aws:SourceVpce', 'vpce-*', { 'aws:SourceVpce': VPCE }, false],
      ['StringEquals', 's3:x-amz-acl', 'Private', { 's3:x-amz-acl': 'private' }, false],
      ['StringNotEquals', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': VPCE }, false],
      ['StringNotEquals', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': OTHER }, true],
      ['StringNotEquals', 'aws:SourceVpce', VPCE, {}, true],
      ['StringNotEquals', 'aws:SourceVpce', [OTHER, VPCE], { 'aws:SourceVpce': VPCE }, false],
      ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'Private', { 's3:x-amz-acl': 'private' }, true],
      ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'Private', {}, false],
      ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'Private', { 's3:x-amz-acl': 'PRIVATE' }, false],
      ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'Private', { 's3:x-amz-acl': 'public-read' }, true],
      ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'Private', {}, true],
      ['StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/alice/' }, true],
      ['StringLike', 's3:prefix', 'home/?', { 's3:prefix': 'home/ab' }, false],
      ['StringLike', 's3:prefix', ['', 'home/*'], { 's3:prefix': '' }, true],
      ['StringLike', 's3:prefix', 'home/*', {}, false],
      ['StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'etc/' }, true],
      ['StringNotLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/x' }, false],
      ['StringNotLike', 's3:prefix', 'home/*', {}, true],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('arn operators', () => {
    const ADMIN = 'arn:aws:iam::111111111111:role/Admin';
    test.each<Case>([
      ['ArnEquals', 'aws:PrincipalArn', ADMIN, { 'aws:PrincipalArn': ADMIN }, true],
      ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111111111111:role/*', { 'aws:PrincipalArn': ADMIN }, true],
      ['ArnEquals', 'aws:PrincipalArn', ADMIN, { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/admin' }, false],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Adm?n', { 'aws:PrincipalArn': ADMIN }, true],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Dev*', { 'aws:PrincipalArn': ADMIN }, false],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', {}, false],
      ['ArnNotEquals', 'aws:PrincipalArn', ADMIN, { 'aws:PrincipalArn': ADMIN }, false],
      ['ArnNotEquals', 'aws:PrincipalArn', ADMIN, {}, true],
      ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/Dev*', 'arn:aws:iam::*:role/Admin'], { 'aws:PrincipalArn': ADMIN }, false],
      ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Dev*', { 'aws:PrincipalArn': ADMIN }, true],
      ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Dev*', {}, true],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:*', { 'aws:PrincipalArn': 'arn:aws:iam::1:role/a:b' }, true],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:*:role/App', { 'aws:PrincipalArn': ADMIN }, false],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*', { 'aws:PrincipalArn': ADMIN }, false],
      ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*', { 'aws:PrincipalArn': ADMIN }, true],
      ['ArnEquals', 'aws:PrincipalArn', '{{Stack/Role.Arn}}', { 'aws:PrincipalArn': '{{Stack/Role.Arn}}' }, true],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::${aws:PrincipalAccount}:role/*', { 'aws:PrincipalArn': ADMIN, 'aws:PrincipalAccount': '111111111111' }, true],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('Bool, Null, Numeric and Date', () => {
    test.each<Case>([
      ['Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': true }, true],
      ['Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'false' }, false],
      ['Bool', 'aws:SecureTransport', 'false', {}, false],
      ['Bool', 'aws:PrincipalIsAWSService', 'false', { 'aws:PrincipalIsAWSService': 'FALSE' }, true],
      ['BoolIfExists', 'aws:ViaAWSService', 'false', {}, true],
      ['BoolIfExists', 'aws:ViaAWSService', 'false', { 'aws:ViaAWSService': true }, false],
      ['Null', 'aws:SourceVpce', 'true', {}, true],
      ['Null', 'aws:SourceVpce', 'true', { 'aws:SourceVpce': VPCE }, false],
      ['Null', 'aws:SourceVpce', 'false', { 'aws:SourceVpce': VPCE }, true],
      ['Null', 'aws:SourceVpce', 'false', {}, false],
      ['NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '5' }, true],
      ['NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': 10 }, false],
      ['NumericGreaterThan', 's3:max-keys', '10', { 's3:max-keys': 11 }, true],
      ['NumericGreaterThanEquals', 's3:max-keys', '10', {}, false],
      ['NumericEquals', 's3:max-keys', '10', { 's3:max-keys': 'ten' }, false],
      ['NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': 11 }, true],
      ['NumericNotEquals', 's3:max-keys', '10', {}, true],
      ['DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2024-05-01T12:00:00Z' }, true],
      ['DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2024-05-01T12:00:00Z' }, false],
      ['DateLessThanEquals', 'aws:EpochTime', '1700000000', { 'aws:EpochTime': '1600000000' }, true],
      ['DateEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', { 'aws:CurrentTime': '2024-05-01T12:00:00.000Z' }, true],
      ['DateNotEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', {}, true],
      ['DateGreaterThanEquals', 'aws:CurrentTime', '2020-01-01', {}, false],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('IpAddress and NotIpAddress', () => {
    test.each<Case>([
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.1.2.3' }, true],
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '11.1.2.3' }, false],
      ['IpAddress', 'aws:SourceIp', ['192.168.0.0/16', '172.16.0.0/12'], { 'aws:SourceIp': '172.31.255.1' }, true],
      ['IpAddress', 'aws:SourceIp', '203.0.113.7', { 'aws:SourceIp': '203.0.113.7' }, true],
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', {}, false],
      ['IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db8:1::5' }, true],
      ['IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db9::5' }, false],
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '2001:db8::1' }, false],
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': 'not-an-ip' }, false],
      ['NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.9.9.9' }, false],
      ['NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '100.64.0.0/10'], { 'aws:SourceIp': '100.64.1.1' }, false],
      ['NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '8.8.8.8' }, true],
      ['NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', {}, true],
      ['IpAddressIfExists', 'aws:VpcSourceIp', '10.0.0.0/16', {}, true],
      ['NotIpAddressIfExists', 'aws:VpcSourceIp', '10.0.0.0/16', { 'aws:VpcSourceIp': '10.0.3.4' }, false],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('IfExists', () => {
    test.each<Case>([
      ['StringEqualsIfExists', 'aws:SourceVpce', VPCE, {}, true],
      ['StringEqualsIfExists', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': OTHER }, false],
      ['StringNotEqualsIfExists', 'aws:SourceVpce', VPCE, {}, true],
      ['StringNotEqualsIfExists', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': VPCE }, false],
      ['ArnNotLikeIfExists', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Admin', { 'aws:PrincipalArn': 'arn:aws:iam::1:role/App' }, true],
      ['NumericLessThanIfExists', 's3:max-keys', '10', {}, true],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('set operators', () => {
    test.each<Case>([
      ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['c', 'b'] }, true],
      ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['c', 'd'] }, false],
      ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], {}, false],
      ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': [] }, false],
      ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'b'] }, true],
      ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'c'] }, false],
      ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], {}, true],
      ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': [] }, true],
      ['ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', { 'aws:TagKeys': ['key2:audit'] }, true],
      ['ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', { 'aws:TagKeys': ['key1:hr', 'key2:x'] }, false],
      ['ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', {}, true],
      ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a', 'z'] }, true],
      ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a'] }, false],
      ['ForAnyValue:StringLike', 'aws:PrincipalServiceNamesList', '*.amazonaws.com', { 'aws:PrincipalServiceNamesList': ['ec2.amazonaws.com'] }, true],
      ['ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', ['team'], {}, false],
      ['ForAllValues:StringEqualsIfExists', 'aws:TagKeys', ['team'], {}, true],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  describe('unresolved values and policy variables', () => {
    test.each<Case>([
      ['StringEquals', 'aws:SourceVpce', '{{?}}', { 'aws:SourceVpce': VPCE }, 'unknown'],
      ['StringNotEquals', 'aws:SourceVpce', '{{?}}', { 'aws:SourceVpce': VPCE }, 'unknown'],
      ['StringNotEquals', 'aws:SourceVpce', '{{?}}', {}, true],
      ['StringEquals', 'aws:SourceVpce', ['{{?}}', VPCE], { 'aws:SourceVpce': VPCE }, true],
      ['StringNotEquals', 'aws:SourceVpce', ['{{?}}', VPCE], { 'aws:SourceVpce': VPCE }, false],
      ['StringEquals', 'aws:SourceVpce', '{{Stack/Endpoint5678}}', { 'aws:SourceVpce': '{{Stack/Endpoint5678}}' }, true],
      ['StringEquals', 'aws:SourceVpce', '{{Stack/Endpoint5678}}', { 'aws:SourceVpce': '{{Stack/Other}}' }, false],
      ['StringEquals', 'aws:SourceVpce', VPCE, { 'aws:SourceVpce': '{{?}}' }, 'unknown'],
      ['StringLike', 'aws:SourceVpce', '*', { 'aws:SourceVpce': '{{?}}' }, true],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::{{AWS::AccountId}}:role/*', { 'aws:PrincipalArn': 'arn:aws:iam::1:role/x' }, 'unknown'],
      ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::{{AWS::AccountId}}:role/*', { 'aws:PrincipalArn': 'arn:aws:iam::1:user/x' }, false],
      ['IpAddress', 'aws:SourceIp', '{{?}}', { 'aws:SourceIp': '10.0.0.1' }, 'unknown'],
      ['Bool', 'aws:SecureTransport', '{{?}}', { 'aws:SecureTransport': 'true' }, 'unknown'],
      ['StringLike', 's3:prefix', '${aws:username}/*', { 's3:prefix': 'alice/docs' }, 'unknown'],
      ['StringLike', 's3:prefix', '${aws:username}/*', { 's3:prefix': 'alice/docs', 'aws:username': 'alice' }, true],
      ['StringLike', 's3:prefix', '${aws:username}/*', { 's3:prefix': 'bob/docs', 'aws:username': 'alice' }, false],
      ['StringEquals', 's3:prefix', "${aws:username, 'anon'}", { 's3:prefix': 'anon' }, true],
      ['StringEquals', 's3:prefix', 'a${*}b', { 's3:prefix': 'a*b' }, true],
      ['StringEqualsTypo', 's3:prefix', 'a', { 's3:prefix': 'a' }, 'unknown'],
    ])('%s %s %j with %j → %s', (op, key, values, context, expected) => {
      expect(evaluateCondition(op, key, values, context)).toBe(expected);
    });
  });

  test('condition keys are case-insensitive, values case-sensitive', () => {
    // GIVEN a context written in another case than the policy
    const context = { 'AWS:SOURCEVPCE': VPCE };
    // THEN the key is found, and the value still compares exactly
    expect(evaluateCondition('StringEquals', 'aws:sourceVpce', VPCE, context)).toBe(true);
    expect(evaluateCondition('StringEquals', 'aws:sourceVpce', VPCE.toUpperCase(), context)).toBe(false);
  });
});

describe('parseOperator', () => {
  test.each([
    ['StringLike', { set: undefined, base: 'stringlike', ifExists: false }],
    ['ForAnyValue:StringLikeIfExists', { set: 'ForAnyValue', base: 'stringlike', ifExists: true }],
    ['ForAllValues:ArnNotEquals', { set: 'ForAllValues', base: 'arnnotequals', ifExists: false }],
    ['Null', { set: undefined, base: 'null', ifExists: false }],
  ])('%s', (operator, expected) => {
    expect(parseOperator(operator)).toEqual(expected);
  });

  test('an unknown operator parses to undefined', () => {
    expect(parseOperator('StringSortOf')).toBeUndefined();
  });
});
