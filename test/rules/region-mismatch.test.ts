import { App, Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { regionMismatch } from '../../lib/rules/region-mismatch';
import { agnosticStack, envStack, findingsOf, summary } from '../helpers/checks';
import { fargateService, isolatedVpc, pathOf, vpcFunction } from '../helpers/routing-fixtures';

const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

describe('S3PA-RegionMismatch', () => {
  describe('endpoint service name', () => {
    test('fires on an S3 endpoint of another region', () => {
      // GIVEN a eu-west-1 stack with a us-east-1 S3 endpoint
      const stack = envStack();
      const vpc = isolatedVpc(stack);
      const ep = new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.us-east-1.s3' });

      // THEN
      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'error', path: ep.node.path, message: expect.stringContaining('serves com.amazonaws.us-east-1.s3 (us-east-1) but its stack deploys to eu-west-1'),
      }]);
    });

    test('reports nothing for the CDK endpoint, which takes the stack region', () => {
      const stack = envStack();
      isolatedVpc(stack).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

      expect(findingsOf(stack, regionMismatch)).toEqual([]);
    });

    test('cannot judge a literal service region in an env-agnostic stack', () => {
      const stack = agnosticStack();
      const vpc = isolatedVpc(stack);
      const ep = new ec2.CfnVPCEndpoint(stack, 'S3', { vpcId: vpc.vpcId, serviceName: 'com.amazonaws.us-east-1.s3' });

      const findings = findingsOf(stack, regionMismatch);
      expect(summary(findings)).toEqual([{ level: 'warning', path: ep.node.path, message: expect.stringContaining('environment-agnostic') }]);
      expect(findings[0].cannotJudge).toBe(true);
    });
  });

  describe('workload region variables', () => {
    test('fires on a container whose AWS_REGION differs from the stack region', () => {
      const stack = envStack();
      const svc = fargateService(stack, isolatedVpc(stack), ISOLATED, 'Svc', { BUCKET_NAME: 'app-data-bucket', AWS_REGION: 'us-east-1' });

      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'error', path: pathOf(svc), message: expect.stringContaining('sets AWS_REGION=us-east-1 but runs in eu-west-1'),
      }]);
    });

    test('reports nothing when AWS_DEFAULT_REGION is the stack region or AWS::Region', () => {
      const stack = envStack();
      const vpc = isolatedVpc(stack);
      fargateService(stack, vpc, ISOLATED, 'Svc', { AWS_DEFAULT_REGION: 'eu-west-1' });
      const agnostic = agnosticStack();
      fargateService(agnostic, isolatedVpc(agnostic), ISOLATED, 'Svc', { AWS_DEFAULT_REGION: Aws.REGION });

      expect(findingsOf(stack, regionMismatch)).toEqual([]);
      expect(findingsOf(agnostic, regionMismatch)).toEqual([]);
    });

    test('cannot judge a literal AWS_REGION in an env-agnostic stack', () => {
      const stack = agnosticStack();
      const svc = fargateService(stack, isolatedVpc(stack), ISOLATED, 'Svc', { BUCKET_NAME: 'app-data-bucket', AWS_REGION: 'us-east-1' });

      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'warning', path: pathOf(svc), message: expect.stringContaining('AWS_REGION=us-east-1'),
      }]);
    });
  });

  describe('buckets of another region', () => {
    test('fires on the regional domain name of a bucket imported with another region', () => {
      // GIVEN a function behind an S3 gateway endpoint, handed the bucket's regional domain name
      const stack = envStack();
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Remote', { bucketName: 'reports-us', region: 'us-east-1' });
      const fn = vpcFunction(stack, vpc, ISOLATED, 'Fn', { BUCKET_HOST: bucket.bucketRegionalDomainName });

      // THEN
      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'error', path: pathOf(fn), message: expect.stringContaining('BUCKET_HOST=reports-us.s3.us-east-1.amazonaws.com names S3 in us-east-1'),
      }]);
    });

    test('reports nothing for an imported bucket of the stack region', () => {
      const stack = envStack();
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Local', { bucketName: 'reports-eu' });
      vpcFunction(stack, vpc, ISOLATED, 'Fn', { BUCKET_HOST: bucket.bucketRegionalDomainName });

      expect(findingsOf(stack, regionMismatch)).toEqual([]);
    });

    test('reports nothing for another region\'s host name when the VPC has no S3 endpoint (NAT path)', () => {
      const stack = envStack();
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Remote', { bucketName: 'reports-us', region: 'us-east-1' });
      vpcFunction(stack, isolatedVpc(stack), ISOLATED, 'Fn', { BUCKET_HOST: bucket.bucketRegionalDomainName });

      expect(findingsOf(stack, regionMismatch)).toEqual([]);
    });

    test('fires on a bucket of the app whose stack deploys to another region', () => {
      // GIVEN a named bucket in a us-east-1 stack, granted by name to a function of a eu-west-1 stack
      const app = new App();
      const storage = new Stack(app, 'Storage', { env: { account: '111111111111', region: 'us-east-1' } });
      new s3.Bucket(storage, 'Reports', { bucketName: 'reports-us-east-1' });
      const stack = new Stack(app, 'Compute', { env: { account: '111111111111', region: 'eu-west-1' } });
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const fn = vpcFunction(stack, vpc, ISOLATED);
      s3.Bucket.fromBucketName(stack, 'ReportsRef', 'reports-us-east-1').grantRead(fn);

      // THEN
      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'error', path: pathOf(fn), message: expect.stringContaining('granted on bucket Storage/Reports/Resource, whose stack deploys to us-east-1'),
      }]);
    });

    test('reports nothing for a bucket of the same region', () => {
      const stack = envStack();
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      new s3.Bucket(stack, 'Reports').grantRead(vpcFunction(stack, vpc, ISOLATED));

      expect(findingsOf(stack, regionMismatch)).toEqual([]);
    });

    test('cannot judge another region\'s host name in an env-agnostic stack', () => {
      const stack = agnosticStack();
      const vpc = isolatedVpc(stack);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const fn = vpcFunction(stack, vpc, ISOLATED, 'Fn', { BUCKET_HOST: 'reports-us.s3.us-east-1.amazonaws.com' });

      expect(summary(findingsOf(stack, regionMismatch))).toEqual([{
        level: 'warning', path: pathOf(fn), message: expect.stringContaining('environment-agnostic'),
      }]);
    });
  });
});
