import { onlyDenies, perimeterKeysOfAllows, withoutPerimeterOnAllows } from '../../lib/model/policy-conditions';

const allow = (Condition?: any) => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', ...(Condition ? { Condition } : {}) });
const deny = { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' };

describe('policy documents: Deny-only and perimeter conditions', () => {
  test('a document of Deny statements only allows nothing; one Allow, an unreadable effect or statement, or none, is not that', () => {
    expect(onlyDenies({ Statement: [deny] })).toBe(true);
    expect(onlyDenies({ Statement: deny })).toBe(true);
    expect(onlyDenies({ Statement: [deny, allow()] })).toBe(false);
    expect(onlyDenies({ Statement: [deny, { ...deny, Effect: { Ref: 'Effect' } }] })).toBeUndefined();
    expect(onlyDenies({ Statement: [deny, 'not-a-statement'] })).toBeUndefined();
    expect(onlyDenies({ Statement: { 'Fn::If': ['c', deny, allow()] } })).toBeUndefined();
    expect(onlyDenies(undefined)).toBeUndefined();
  });

  test('the perimeter keys of Allow statements are found case-insensitively, as written; a Deny\'s are not', () => {
    const doc = {
      Statement: [
        allow({ StringEquals: { 'aws:principalorgid': 'o-1', 'aws:SourceVpce': 'vpce-1' } }),
        allow({ StringEquals: { 'aws:ResourceAccount': '111111111111' } }),
        { ...deny, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } } },
      ],
    };
    expect(perimeterKeysOfAllows(doc)).toEqual(['aws:principalorgid', 'aws:ResourceAccount']);
  });

  test('taking the perimeter off keeps every other condition and the Deny statements, and leaves the input unchanged', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        allow({ StringEquals: { 'aws:PrincipalOrgID': 'o-1', 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': 'true' } }),
        { ...deny, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } } },
      ],
    };
    const before = JSON.stringify(doc);

    const stripped = withoutPerimeterOnAllows(doc);

    expect(stripped.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': 'true' } });
    expect(stripped.Statement[1]).toBe(doc.Statement[1]);
    expect(JSON.stringify(doc)).toBe(before);
  });
});
