import { Stack } from 'aws-cdk-lib';
import { AwsOwnedBuckets } from '../../lib';
import { agnosticStackAndApp } from '../helpers/s3pa-fixtures';

describe('AwsOwnedBuckets sets of issue 14', () => {
  test.each([
    [AwsOwnedBuckets.CLOUDFORMATION_RESPONSES, [
      'arn:aws:s3:::cloudformation-custom-resource-response-uswest2/*', 'arn:aws:s3:::cloudformation-waitcondition-us-west-2/*',
    ]],
    [AwsOwnedBuckets.CLOUDWATCH_AGENT, ['arn:aws:s3:::amazoncloudwatch-agent-us-west-2/*']],
    [AwsOwnedBuckets.CODEDEPLOY_AGENT, ['arn:aws:s3:::aws-codedeploy-us-west-2/*']],
    [AwsOwnedBuckets.ELASTIC_BEANSTALK, [
      'arn:aws:s3:::elasticbeanstalk-samples-us-west-2/*', 'arn:aws:s3:::elasticbeanstalk-platform-assets-us-west-2/*',
      'arn:aws:s3:::elasticbeanstalk-env-resources-us-west-2/*',
    ]],
    [AwsOwnedBuckets.EMR, ['arn:aws:s3:::repo.us-west-2.emr.amazonaws.com/*']],
  ])('%#: exact object ARNs for a literal region', (set, arns) => {
    expect(set.objectArns('us-west-2', 'aws')).toEqual(arns);
  });

  test('CLOUDFORMATION_RESPONSES allows the PUT of the answer; the others read only', () => {
    expect(AwsOwnedBuckets.CLOUDFORMATION_RESPONSES.actions).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(AwsOwnedBuckets.CODEDEPLOY_AGENT.actions).toEqual(['s3:GetObject']);
  });

  test('a token region: the no-dash form is joined from the split region in CloudFormation', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    // WHEN
    const arns = AwsOwnedBuckets.CLOUDFORMATION_RESPONSES.objectArns(stack.region, stack.partition);
    const [response, wait] = arns.map((a) => Stack.of(stack).resolve(a));
    // THEN
    expect(response).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-',
        { 'Fn::Join': ['', { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }, '/*',
      ]],
    });
    expect(JSON.stringify(wait)).toContain('cloudformation-waitcondition-');
    expect(JSON.stringify(wait)).not.toContain('Fn::Split');
  });
});
