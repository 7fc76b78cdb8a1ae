import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointPolicy, S3PrivateAccess } from '../lib';
import { findingsOf, summary } from './helpers/checks';
import { compliantVpc, envBoundStack, isolatedFunction } from './helpers/s3pa-fixtures';
import { ALL_RULES } from '../lib/rules/all';
import { Rule } from '../lib/rules/rule';

const RULES: readonly Rule[] = ALL_RULES;

/** A Lambda function in the isolated subnets with a restricted group, a custom NACL and a bucket it writes. */
function workloadStack(withAccess: boolean) {
  const { stack } = envBoundStack();
  const vpc = compliantVpc(stack);
  const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const fn = isolatedFunction(stack, vpc, sg);
  if (withAccess) {
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc, buckets: [bucket], securityGroups: [sg], networkAcls: [acl], endpointPolicy: EndpointPolicy.restrictToBuckets([bucket]),
    });
    access.grantReadWrite(fn, bucket, { prefix: 'in/' });
  } else {
    bucket.grantReadWrite(fn);
  }
  return stack;
}

describe('the resources S3PrivateAccess writes pass the library\'s own rules', () => {
  test.each(RULES.map((r) => [r.id, r] as const))('%s: no finding for a workload set up with S3PrivateAccess', (_id, rule) => {
    // GIVEN / WHEN
    const stack = workloadStack(true);
    // THEN
    expect(summary(findingsOf(stack, rule))).toEqual([]);
  });

  test('without S3PrivateAccess the same workload fails the network rules', () => {
    // GIVEN / WHEN
    const stack = workloadStack(false);
    // THEN
    const failing = new Set(RULES.flatMap((rule) => findingsOf(stack, rule)).filter((f) => f.level === 'error').map((f) => f.ruleId));
    expect([...failing]).toEqual(expect.arrayContaining(['S3PA-NoEndpoint', 'S3PA-SgEgress', 'S3PA-NaclOutbound', 'S3PA-NaclEphemeral']));
  });
});
