import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsOwnedBuckets, EndpointPolicy, S3PrivateAccess } from '../../lib';
import { agnosticStackAndApp } from '../helpers/s3pa-fixtures';

/** An S3PrivateAccess in a stack of `region` whose endpoint policy allows CodeArtifact's assets. */
function codeArtifactAccess(region: string): Stack {
  const { app } = agnosticStackAndApp();
  const stack = new Stack(app, `In${region.replace(/-/g, '')}`, { env: { account: '111111111111', region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const bucket = new s3.Bucket(stack, 'Bucket');
  new S3PrivateAccess(stack, 'S3', {
    vpc,
    buckets: [bucket],
    checks: false,
    endpointPolicy: EndpointPolicy.restrictToBuckets([bucket], { allowAwsOwnedBuckets: [AwsOwnedBuckets.CODEARTIFACT] }),
  });
  return stack;
}

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
    [AwsOwnedBuckets.IMAGE_BUILDER, [
      'arn:aws:s3:::ec2imagebuilder-toe-us-west-2-prod/*',
      'arn:aws:s3:::ec2imagebuilder-managed-resources-us-west-2-prod/components/*',
    ]],
    [AwsOwnedBuckets.CODEARTIFACT, ['arn:aws:s3:::assets-787052242323-us-west-2/*']],
  ])('%#: exact object ARNs for a literal region', (set, arns) => {
    expect(set.objectArns('us-west-2', 'aws')).toEqual(arns);
  });

  test('CLOUDFORMATION_RESPONSES allows the PUT of the answer; the others read only', () => {
    expect(AwsOwnedBuckets.CLOUDFORMATION_RESPONSES.actions).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(AwsOwnedBuckets.CODEDEPLOY_AGENT.actions).toEqual(['s3:GetObject']);
  });

  test('CODEARTIFACT names the bucket of each documented region, the account differing per region', () => {
    expect(AwsOwnedBuckets.CODEARTIFACT.objectArns('eu-central-1', 'aws')).toEqual(['arn:aws:s3:::assets-769407342218-eu-central-1/*']);
    expect(AwsOwnedBuckets.CODEARTIFACT.objectArns('us-east-1', 'aws')).toEqual(['arn:aws:s3:::assets-193858265520-us-east-1/*']);
  });

  test('CODEARTIFACT in an environment-agnostic stack names every documented asset bucket, and only those', () => {
    // GIVEN
    const { stack } = agnosticStackAndApp();
    // WHEN
    const arns = AwsOwnedBuckets.CODEARTIFACT.objectArns(stack.region, stack.partition).map(a => JSON.stringify(stack.resolve(a)));
    // THEN
    expect(arns).toHaveLength(13);
    expect(arns.every(a => /:s3:::assets-\d{12}-[a-z]+-[a-z]+-\d\/\*/.test(a))).toBe(true);
  });

  test('CODEARTIFACT in a region the guide does not list fails with the way to find the bucket', () => {
    expect(() => AwsOwnedBuckets.CODEARTIFACT.objectArns('ca-central-1', 'aws'))
      .toThrow(/aws-owned bucket set 'codeartifact' names no bucket in region 'ca-central-1'.*describe-domain.*AwsOwnedBuckets\.of\(\)/);
  });

  test('an endpoint policy with CODEARTIFACT allows the asset bucket of the stack\'s region, read only', () => {
    Template.fromStack(codeArtifactAccess('eu-west-2')).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowAwsOwnedCodeartifact',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::assets-247805302724-eu-west-2/*']] },
        }]),
      },
    });
  });

  test('an endpoint policy with CODEARTIFACT in an undocumented region fails at construction', () => {
    expect(() => codeArtifactAccess('ca-central-1')).toThrow(/names no bucket in region 'ca-central-1'/);
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
