import { Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { Built } from './scenario';
import { NagAcknowledgement } from '../../helpers/nag';
import { awsCustomResourceAcks } from '../../helpers/s3pa-fixtures';

/**
 * The fixed, reasoned acknowledgements of the property test's cdk-nag run. Only what the TEST app adds around the
 * construct (its buckets without access logs, its Lambda function, its custom NACLs) and what least privilege cannot
 * avoid (object ARNs under a bucket or prefix, an API without resource-level permissions) is acknowledged; anything
 * else cdk-nag finds fails the property.
 */
export function nagAcknowledgements(b: Built): NagAcknowledgement[] {
  const acks: NagAcknowledgement[] = [...awsCustomResourceAcks(b.stack)];
  for (const bucket of b.createdBuckets) {
    acks.push({ scope: bucket, id: 'AwsSolutions-S1', reason: 'the generated test buckets keep no server access logs: logging is the app\'s concern, not the construct\'s' });
  }
  for (const acl of b.createdAcls) {
    acks.push({ scope: acl, id: 'AwsSolutions-VPC3', reason: 'the generated apps give subnets custom network ACLs on purpose, to exercise the S3 entries' });
  }
  if (b.access.networkAclEntries) {
    acks.push({ scope: b.access.networkAclEntries, id: 'AwsSolutions-VPC3', reason: 'S3PrivateAccess adds these entries because the workload subnets use custom network ACLs that must let S3 traffic through' });
  }
  const prefixList = b.access.node.tryFindChild('PrefixList');
  if (prefixList && Token.isUnresolved(b.stack.region)) {
    // the deploy-time DescribePrefixLists custom resource of an env-agnostic stack
    acks.push({ scope: prefixList, id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ec2:DescribePrefixLists supports no resource-level permissions, so its only valid resource is *' });
  }
  const fn = b.stack.node.tryFindChild('Fn');
  if (fn) {
    acks.push(
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'the test workload function logs with the AWS-managed basic execution policy, as Lambda sets it up' },
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: 'the test workload function runs in the VPC with the AWS-managed VPC access policy, as Lambda sets it up' },
      { scope: fn, id: 'AwsSolutions-L1', reason: 'the test workload function pins Node.js 22, the runtime the fixtures use; it is not part of the construct' },
    );
  }
  if (b.grantee) {
    acks.push(...objectWildcardAcks(b.grantee as unknown as IConstruct, b));
  }
  return acks;
}

/** The object-ARN wildcards of the grants (`bucket/prefix*`): least privilege for "every key under a prefix". */
function objectWildcardAcks(grantee: IConstruct, b: Built): NagAcknowledgement[] {
  const reason = 'object actions apply to the keys of the granted bucket or prefix; the wildcard covers only those keys';
  return b.scenario.buckets.map((bucket, i) => {
    const suffix = i % 2 === 0 ? `in${i}/*` : '*';
    const arn = bucket.imported
      ? `arn:<AWS::Partition>:s3:::imported-bucket-${i}/${suffix}`
      : `<${b.stack.getLogicalId((b.stack.node.findChild(`Bucket${i}`) as s3.Bucket).node.defaultChild as s3.CfnBucket)}.Arn>/${suffix}`;
    return { scope: grantee, id: `AwsSolutions-IAM5[Resource::${arn}]`, reason };
  });
}
