import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { accessPointVpcOrigin } from '../../../lib/rules/policy/access-point-vpc-origin';
import { envStack, findingsOf, summary } from '../../helpers/checks';

function isolatedVpc(stack: Stack, id: string, cidr: string): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, id, {
    maxAzs: 1,
    natGateways: 0,
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  return vpc;
}

/** A function granted on an access point's object ARNs. */
function reader(stack: Stack, ap: s3.CfnAccessPoint, vpc?: ec2.IVpc): lambda.Function {
  const fn = new lambda.Function(stack, 'Reader', {
    ...(vpc ? { vpc } : {}),
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${ap.attrArn}/object/*`] }));
  return fn;
}

function accessPoint(stack: Stack, bucket: s3.Bucket, vpcId?: string): s3.CfnAccessPoint {
  return new s3.CfnAccessPoint(stack, 'Ap', { bucket: bucket.bucketName, name: 'analytics', ...(vpcId ? { vpcConfiguration: { vpcId } } : {}) });
}

describe('S3PA-AccessPointVpcOrigin', () => {
  test('GIVEN a VPC-origin access point used by a workload of another VPC WHEN checked THEN an error (403)', () => {
    // GIVEN
    const stack = envStack();
    const data = isolatedVpc(stack, 'DataVpc', '10.1.0.0/16');
    const apps = isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    const ap = accessPoint(stack, new s3.Bucket(stack, 'Data'), data.vpcId);
    reader(stack, ap, apps);

    // WHEN
    const found = summary(findingsOf(stack, accessPointVpcOrigin));

    // THEN
    expect(found).toEqual([{
      level: 'error',
      path: 'Stack/Ap',
      message: 'Stack/Reader/Resource is granted s3:GetObject on access point Stack/Ap, whose network origin is VPC '
        + 'Stack/DataVpc/Resource, but runs in subnet Stack/AppVpc/appSubnet1/Subnet of VPC Stack/AppVpc/Resource: S3 '
        + 'rejects requests from another VPC with 403',
    }]);
  });

  test('GIVEN the workload in the access point\'s VPC, routed through its gateway endpoint WHEN checked THEN nothing is reported', () => {
    // GIVEN: the clean twin
    const stack = envStack();
    const data = isolatedVpc(stack, 'DataVpc', '10.1.0.0/16');
    isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    const ap = accessPoint(stack, new s3.Bucket(stack, 'Data'), data.vpcId);
    reader(stack, ap, data);

    // WHEN / THEN
    expect(findingsOf(stack, accessPointVpcOrigin)).toEqual([]);
  });

  test('GIVEN the workload in the access point\'s VPC without an S3 endpoint, through NAT WHEN checked THEN an error', () => {
    // GIVEN: its requests leave the VPC and carry no VPC origin
    const stack = envStack();
    const data = new ec2.Vpc(stack, 'DataVpc', { maxAzs: 1, natGateways: 1 });
    reader(stack, accessPoint(stack, new s3.Bucket(stack, 'Data'), data.vpcId), data);

    // WHEN
    const found = summary(findingsOf(stack, accessPointVpcOrigin));

    // THEN
    expect(found).toEqual([{
      level: 'error',
      path: 'Stack/Ap',
      message: 'Stack/Reader/Resource is granted s3:GetObject on access point Stack/Ap and runs in its VPC Stack/DataVpc/Resource, '
        + 'but subnet Stack/DataVpc/PrivateSubnet1/Subnet reaches S3 through NAT or an internet gateway, not an S3 endpoint: the '
        + 'requests carry no VPC origin and get 403',
    }]);
  });

  test('GIVEN an internet-origin access point WHEN checked THEN nothing is reported', () => {
    const stack = envStack();
    const apps = isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    reader(stack, accessPoint(stack, new s3.Bucket(stack, 'Data')), apps);
    expect(findingsOf(stack, accessPointVpcOrigin)).toEqual([]);
  });

  test('GIVEN a grant on * only WHEN checked THEN nothing is reported (the grant does not show the access point is used)', () => {
    const stack = envStack();
    const data = isolatedVpc(stack, 'DataVpc', '10.1.0.0/16');
    const apps = isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    accessPoint(stack, new s3.Bucket(stack, 'Data'), data.vpcId);
    const fn = new lambda.Function(stack, 'Reader', {
      vpc: apps, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(findingsOf(stack, accessPointVpcOrigin)).toEqual([]);
  });

  test('GIVEN a literal grant ARN naming the access point WHEN checked THEN it is matched', () => {
    const stack = envStack();
    const data = isolatedVpc(stack, 'DataVpc', '10.1.0.0/16');
    const apps = isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    accessPoint(stack, new s3.Bucket(stack, 'Data'), data.vpcId);
    const fn = new lambda.Function(stack, 'Reader', {
      vpc: apps, runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:eu-west-1:111111111111:accesspoint/analytics/object/*'] }));
    expect(summary(findingsOf(stack, accessPointVpcOrigin)).map(f => f.level)).toEqual(['error']);
  });

  test('GIVEN the access point VPC id from a parameter WHEN checked THEN a cannot-judge warning', () => {
    // GIVEN
    const stack = envStack();
    const apps = isolatedVpc(stack, 'AppVpc', '10.2.0.0/16');
    const vpcId = new CfnParameter(stack, 'DataVpcId');
    reader(stack, accessPoint(stack, new s3.Bucket(stack, 'Data'), vpcId.valueAsString), apps);

    // WHEN
    const found = summary(findingsOf(stack, accessPointVpcOrigin));

    // THEN
    expect(found).toEqual([{
      level: 'warning',
      path: 'Stack/Ap',
      message: 'cannot judge: whether subnet Stack/AppVpc/appSubnet1/Subnet of Stack/Reader/Resource is in the network origin of '
        + 'access point Stack/Ap: the VPC of access point Stack/Ap (DataVpcId (a parameter or a value not defined in the app))',
    }]);
  });
});
