/**
 * Endpoint policies that name principals. iam-simulate evaluates VPC endpoint policies like identity policies and
 * ignores their `Principal` element, so it cannot serve as the oracle here: the expectations below are checked by
 * hand against the AWS PrivateLink guide, "Control access to VPC endpoints using endpoint policies":
 * - an endpoint policy is a resource-based policy that controls which principals can use the endpoint; a request
 *   must be allowed by it, and an explicit deny in it denies;
 * - "Principals for gateway endpoints": an account principal (`"AWS": "<account-id>"` or `arn:aws:iam::<id>:root`)
 *   grants the account's root user only, not its users and roles; use `Principal: "*"` with `aws:PrincipalArn`;
 * - in an interface endpoint's policy, an account principal covers every principal of the account.
 */
import * as p from './cross-check-policies';
import { Decision, evaluateAll, IamRequest } from '../../../lib/model/iam';

const ROOT_USER = `arn:aws:iam::${p.ACCOUNT}:root`;
const OBJ = `${p.BUCKET}/data/file.csv`;

const endpointPolicy = (statement: object) => ({ Version: '2012-10-17', Statement: [statement] });
const allowAccount = endpointPolicy({ Effect: 'Allow', Principal: { AWS: p.ACCOUNT }, Action: 's3:*', Resource: '*' });
const allowRootArn = endpointPolicy({ Effect: 'Allow', Principal: { AWS: ROOT_USER }, Action: 's3:*', Resource: '*' });
const allowByPrincipalArn = endpointPolicy({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `${p.BUCKET}/*`,
  Condition: { ArnEquals: { 'aws:PrincipalArn': p.APP_ROLE } },
});
const denyOther = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
    { Effect: 'Deny', Principal: { AWS: p.OTHER_ROLE }, Action: 's3:*', Resource: '*' },
  ],
};

interface Row {
  readonly name: string;
  readonly endpoint: object;
  readonly endpointType?: 'gateway' | 'interface';
  readonly principal: string;
  readonly expected: Decision;
}

const rows: Row[] = [
  { name: 'gateway: an account principal does not cover a role', endpoint: allowAccount, principal: p.APP_ROLE, expected: 'implicit-deny' },
  { name: 'gateway: an account root ARN does not cover a role', endpoint: allowRootArn, principal: p.APP_ROLE, expected: 'implicit-deny' },
  { name: 'gateway: an account principal covers the root user', endpoint: allowAccount, principal: ROOT_USER, expected: 'allow' },
  { name: 'interface: an account principal covers a role', endpoint: allowAccount, endpointType: 'interface', principal: p.APP_ROLE, expected: 'allow' },
  { name: 'interface: an account principal does not cover another account', endpoint: allowAccount, endpointType: 'interface', principal: p.PARTNER_ROLE, expected: 'implicit-deny' },
  { name: 'a role named in the endpoint policy passes', endpoint: p.ENDPOINT_FOR_APP_ONLY, principal: p.APP_ROLE, expected: 'allow' },
  { name: 'a role not named in the endpoint policy is blocked', endpoint: p.ENDPOINT_FOR_APP_ONLY, principal: p.OTHER_ROLE, expected: 'implicit-deny' },
  { name: 'Principal "*" with aws:PrincipalArn passes the named role', endpoint: allowByPrincipalArn, principal: p.APP_ROLE, expected: 'allow' },
  { name: 'Principal "*" with aws:PrincipalArn blocks another role', endpoint: allowByPrincipalArn, principal: p.OTHER_ROLE, expected: 'implicit-deny' },
  { name: 'a deny naming a role denies that role', endpoint: denyOther, principal: p.OTHER_ROLE, expected: 'deny' },
  { name: 'a deny naming a role spares the others', endpoint: denyOther, principal: p.APP_ROLE, expected: 'allow' },
];

describe('endpoint policies naming principals (hand-checked)', () => {
  test.each(rows.map(r => [r.name, r] as const))('%s', (_name, row) => {
    // GIVEN a principal whose own policy grants full access to its account's bucket
    const request: IamRequest = {
      action: 's3:GetObject',
      resource: OBJ,
      principal: { arn: row.principal },
      context: { 'aws:SourceVpce': p.VPCE },
    };
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const sameAccount = row.principal.split(':')[4] === p.ACCOUNT;
    const resource = sameAccount ? [] : [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: row.principal }, Action: 's3:*', Resource: `${p.BUCKET}/*` }] }];
    // WHEN the request passes the endpoint
    const result = evaluateAll({ identity: [everything], resource, endpoint: [row.endpoint], endpointType: row.endpointType, sameAccount }, request);
    // THEN the endpoint policy decides
    expect(result.decision).toBe(row.expected);
  });
});
