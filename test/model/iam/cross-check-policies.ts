/**
 * Policies shared by the cross-check tables (test/model/iam/cross-check*.test.ts). Plain JSON, as `Model.symDoc`
 * hands them to the evaluator.
 */

export const ACCOUNT = '111111111111';
export const PARTNER_ACCOUNT = '222222222222';
export const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
export const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/Other`;
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
export const CFN_EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;
export const PARTNER_ROLE = `arn:aws:iam::${PARTNER_ACCOUNT}:role/Partner`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const VPCE = 'vpce-0a1b2c3d4e5f60718';
export const VPC = 'vpc-0123456789abcdef0';
export const BUCKET = 'arn:aws:s3:::data-bucket';
export const OTHER_BUCKET = 'arn:aws:s3:::other-bucket';
export const STARPORT = 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket';

const V = '2012-10-17';

/** Identity policy: read objects of the data bucket. */
export const READ_OBJECTS = { Version: V, Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` }] };

/** Identity policy: read and write anything in any bucket (to show what the endpoint policy and bucket policy cut). */
export const READ_WRITE_ANY = {
  Version: V,
  Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:Put*', 's3:List*', 's3:DeleteObject'], Resource: '*' }],
};

/** Identity policy with the ListBucketArn mistake: every action, list included, only on `bucket/*`. */
export const LIST_ON_OBJECTS = {
  Version: V,
  Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: `${BUCKET}/*` }],
};

/** Identity policy: objects under a prefix, listing restricted to that prefix. */
export const REPORTS_PREFIX = {
  Version: V,
  Statement: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/reports/2024/*` },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET, Condition: { StringLike: { 's3:prefix': ['reports/2024/*', 'reports/2024/'] } } },
  ],
};

/** Bucket policy: deny unless through the endpoint, with the lockout exemptions the construct writes. */
export const DENY_UNLESS_VPCE = {
  Version: V,
  Statement: [
    {
      Sid: 'AllowLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${BUCKET}/logs/*`,
    },
    {
      Sid: 'DenyOutsideEndpoint',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: {
        StringNotEquals: { 'aws:SourceVpce': VPCE },
        ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/cdk-*-cfn-exec-role-*`, ADMIN_ROLE] },
        Bool: { 'aws:PrincipalIsAWSService': 'false' },
        BoolIfExists: { 'aws:ViaAWSService': 'false' },
      },
    },
  ],
};

/** Bucket policy: deny unless from the VPC. */
export const DENY_UNLESS_VPC = {
  Version: V,
  Statement: [{
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [BUCKET, `${BUCKET}/*`],
    Condition: { StringNotEquals: { 'aws:SourceVpc': VPC } },
  }],
};

/** Bucket policy: deny when the endpoint key is absent (the `Null` form). */
export const DENY_WITHOUT_ANY_ENDPOINT = {
  Version: V,
  Statement: [{
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: `${BUCKET}/*`,
    Condition: { Null: { 'aws:SourceVpce': 'true' } },
  }],
};

/** Bucket policy: deny plain HTTP. */
export const DENY_INSECURE = {
  Version: V,
  Statement: [{
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [BUCKET, `${BUCKET}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  }],
};

/** Bucket policy with the SourceIpPrivate mistake: deny unless from private ranges. */
export const DENY_UNLESS_PRIVATE_IP = {
  Version: V,
  Statement: [{
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: `${BUCKET}/*`,
    Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } },
  }],
};

/** Identity policy: allow when the VPC-internal source address is in the VPC's range, or from a public IPv6 block. */
export const ALLOW_BY_ADDRESS = {
  Version: V,
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
      Condition: { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' }, StringEquals: { 'aws:SourceVpc': VPC } },
    },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*`, Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } },
  ],
};

/** Identity policy using NotAction: everything on the bucket's objects except deleting. */
export const ALL_BUT_DELETE = {
  Version: V,
  Statement: [{ Effect: 'Allow', NotAction: 's3:Delete*', Resource: `${BUCKET}/*` }],
};

/** Bucket policy using NotAction in a Deny: only reads are possible. */
export const DENY_ALL_BUT_READ = {
  Version: V,
  Statement: [{ Effect: 'Deny', Principal: '*', NotAction: ['s3:GetObject', 's3:ListBucket'], Resource: [BUCKET, `${BUCKET}/*`] }],
};

/** Identity policy using NotResource in a Deny: no S3 access outside the data bucket. */
export const DENY_OUTSIDE_BUCKET = {
  Version: V,
  Statement: [{ Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] }],
};

/** Bucket policy granting a principal directly. */
export const grantTo = (principal: unknown, action: string | string[] = 's3:GetObject', resource = `${BUCKET}/*`) => ({
  Version: V,
  Statement: [{ Effect: 'Allow', Principal: principal, Action: action, Resource: resource }],
});

/** Bucket policy denying a principal. */
export const denyTo = (principal: unknown) => ({
  Version: V,
  Statement: [{ Effect: 'Deny', Principal: principal, Action: 's3:*', Resource: `${BUCKET}/*` }],
});

/** Endpoint policy: the data bucket plus the ECR layer bucket, nothing else; never deleting. */
export const RESTRICTED_ENDPOINT = {
  Version: V,
  Statement: [
    { Sid: 'DataBucket', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [BUCKET, `${BUCKET}/*`] },
    { Sid: 'EcrLayers', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${STARPORT}/*` },
    { Sid: 'NoDelete', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject*', Resource: '*' },
  ],
};

/** Endpoint policy: principal `*` narrowed by a condition on the principal's account. */
export const ACCOUNT_ONLY_ENDPOINT = {
  Version: V,
  Statement: [{
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
  }],
};

/** Endpoint policy naming a principal instead of `*` (the EndpointPolicyPrincipal mistake). */
export const ENDPOINT_FOR_APP_ONLY = {
  Version: V,
  Statement: [{ Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }],
};

/** Identity policy with a policy variable. */
export const OWN_HOME = {
  Version: V,
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/home/\${aws:username}/*` }],
};

/** Identity policy with a set operator on the organization paths. */
export const ORG_PATHS = {
  Version: V,
  Statement: [{
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
    Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123/r-ab12/ou-ab12-11111111/*' } },
  }],
};
