import { Built } from './scenario';
import { NagAcknowledgement } from '../../helpers/nag';

/**
 * The fixed, reasoned acknowledgements of the property test's cdk-nag run. Only what the TEST app adds around the
 * construct (its buckets without access logs, its Lambda function, its custom NACLs) is acknowledged: the construct
 * acknowledges its own findings (NACL entries, grant object ARNs, the DescribePrefixLists call, the AwsCustomResource
 * provider), so anything else cdk-nag finds fails the property.
 */
export function nagAcknowledgements(b: Built): NagAcknowledgement[] {
  const acks: NagAcknowledgement[] = [];
  for (const bucket of b.createdBuckets) {
    acks.push({ scope: bucket, id: 'AwsSolutions-S1', reason: 'the generated test buckets keep no server access logs: logging is the app\'s concern, not the construct\'s' });
  }
  for (const acl of b.createdAcls) {
    acks.push({ scope: acl, id: 'AwsSolutions-VPC3', reason: 'the generated apps give subnets custom network ACLs on purpose, to exercise the S3 entries' });
  }
  const fn = b.stack.node.tryFindChild('Fn');
  if (fn) {
    acks.push(
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'the test workload function logs with the AWS-managed basic execution policy, as Lambda sets it up' },
      { scope: fn, id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: 'the test workload function runs in the VPC with the AWS-managed VPC access policy, as Lambda sets it up' },
      { scope: fn, id: 'AwsSolutions-L1', reason: 'the test workload function pins Node.js 22, the runtime the fixtures use; it is not part of the construct' },
    );
  }
  return acks;
}
