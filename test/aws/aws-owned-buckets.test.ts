import { awsOwnedSetOfBucket, CLOUDFORMATION_RESPONSES, ECR_LAYERS, fillArnPattern } from '../../lib/aws/aws-owned-buckets';

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
  ])('%s (region %s) is one of the AWS-owned sets', (name, region, set) => {
    expect(awsOwnedSetOfBucket(name, region)).toBe(set);
  });

  test.each([
    ['cloudformation-custom-resource-response-us-west-2', 'us-west-2'],
    ['cloudformation-custom-resource-response-uswest2', 'eu-west-1'],
    ['cloudformation-waitcondition-uswest2', 'us-west-2'],
    ['my-cloudformation-waitcondition-us-west-2', undefined],
  ])('%s (region %s) is not', (name, region) => {
    expect(awsOwnedSetOfBucket(name, region)).toBeUndefined();
  });
});
