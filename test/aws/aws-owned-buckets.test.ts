import { awsOwnedSetOfBucket, CLOUDFORMATION_RESPONSES, CODEARTIFACT, ECR_LAYERS, fillArnPattern, IMAGE_BUILDER } from '../../lib/aws/aws-owned-buckets';

describe('AWS-owned bucket facts', () => {
  test('the custom-resource response bucket spells the region without dashes, the wait-condition bucket with them', () => {
    expect(CLOUDFORMATION_RESPONSES.objectArnPatterns.map(p => fillArnPattern(p, 'us-west-2', 'aws'))).toEqual([
      'arn:aws:s3:::cloudformation-custom-resource-response-uswest2/*',
      'arn:aws:s3:::cloudformation-waitcondition-us-west-2/*',
    ]);
  });

  test.each([
    ['cloudformation-custom-resource-response-uswest2', 'us-west-2', CLOUDFORMATION_RESPONSES],
    ['cloudformation-custom-resource-response-euwest1', undefined, CLOUDFORMATION_RESPONSES],
    ['cloudformation-waitcondition-eu-west-1', 'eu-west-1', CLOUDFORMATION_RESPONSES],
    ['prod-eu-west-1-starport-layer-bucket', undefined, ECR_LAYERS],
    ['ec2imagebuilder-toe-eu-west-1-prod', 'eu-west-1', IMAGE_BUILDER],
    ['assets-438097961670-eu-west-1', 'eu-west-1', CODEARTIFACT],
    ['assets-438097961670-eu-west-1', undefined, CODEARTIFACT],
  ])('%s (region %s) is one of the AWS-owned sets', (name, region, set) => {
    expect(awsOwnedSetOfBucket(name, region)).toBe(set);
  });

  test.each([
    ['cloudformation-custom-resource-response-us-west-2', 'us-west-2'],
    ['cloudformation-custom-resource-response-uswest2', 'eu-west-1'],
    ['cloudformation-waitcondition-uswest2', 'us-west-2'],
    ['my-cloudformation-waitcondition-us-west-2', undefined],
    ['assets-438097961670-eu-west-1', 'us-east-1'],
    ['assets-123456789012-eu-west-1', 'eu-west-1'],
  ])('%s (region %s) is not', (name, region) => {
    expect(awsOwnedSetOfBucket(name, region)).toBeUndefined();
  });
});
