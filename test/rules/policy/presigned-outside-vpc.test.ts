import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { presignedOutsideVpc } from '../../../lib/rules/policy/presigned-outside-vpc';
import { envStack, findingsOf, summary } from '../../helpers/checks';

/** A bucket that denies requests through anything but the VPC's S3 endpoint, but for `exempt` principals. */
function restrictedBucket(stack: Stack, props: s3.BucketProps = {}, exempt?: string) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const bucket = new s3.Bucket(stack, 'Data', props);
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: {
      StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
      ...(exempt ? { ArnNotLike: { 'aws:PrincipalArn': exempt } } : {}),
    },
  }));
  return { vpc, bucket };
}

/** A function outside the VPC that names the bucket and may read and write it: a presigning service once fronted. */
function signer(stack: Stack, bucket: s3.IBucket) {
  const fn = new lambda.Function(stack, 'Signer', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    environment: { BUCKET: bucket.bucketName },
  });
  bucket.grantReadWrite(fn);
  return fn;
}

const CORS: s3.BucketProps = { cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: ['https://app.example.com'] }] };

describe('S3PA-PresignedOutsideVpc', () => {
  test('warns for a function with a function URL that presigns for an endpoint-restricted bucket', () => {
    // GIVEN
    const stack = envStack();
    const { bucket } = restrictedBucket(stack);
    signer(stack, bucket).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    // WHEN
    const findings = findingsOf(stack, presignedOutsideVpc);

    // THEN
    expect(summary(findings)).toEqual([{
      level: 'warning',
      path: 'Stack/Data/Policy/Resource',
      message: 'the policy of bucket Stack/Data/Resource denies requests that come through no VPC endpoint, and function '
        + 'Stack/Signer/Resource (function URL Stack/Signer/FunctionUrl/Resource), which names bucket Stack/Data/Resource in '
        + 'its environment, may presign s3:GetObject and s3:PutObject for clients outside the VPC: those URLs get 403',
    }]);
    expect(findings[0].hop).toBe('bucket-policy');
    expect(findings[0].subjects.actions).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  test('warns for a function behind API Gateway', () => {
    // GIVEN
    const stack = envStack();
    const { bucket } = restrictedBucket(stack);
    new apigw.LambdaRestApi(stack, 'Api', { handler: signer(stack, bucket) });

    // THEN
    const found = summary(findingsOf(stack, presignedOutsideVpc));
    expect(found.map(f => f.level)).toEqual(['warning']);
    expect(found[0].message).toContain('function Stack/Signer/Resource (invoked by API Gateway)');
  });

  test('is quiet for the clean twin whose function nothing outside invokes', () => {
    // GIVEN
    const stack = envStack();
    const { bucket } = restrictedBucket(stack);
    signer(stack, bucket);

    // THEN
    expect(findingsOf(stack, presignedOutsideVpc)).toEqual([]);
  });

  test('is quiet when the bucket policy exempts the signing role', () => {
    // GIVEN
    const stack = envStack();
    const role = new iam.Role(stack, 'SignerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'signer' });
    const { bucket } = restrictedBucket(stack, {}, 'arn:aws:iam::111111111111:role/signer');
    const fn = new lambda.Function(stack, 'Signer', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      environment: { BUCKET: bucket.bucketName },
      role,
    });
    bucket.grantReadWrite(fn);
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    // THEN
    expect(findingsOf(stack, presignedOutsideVpc)).toEqual([]);
  });

  test('warns for a CORS configuration on an endpoint-restricted bucket', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, CORS);

    // THEN
    expect(summary(findingsOf(stack, presignedOutsideVpc))).toEqual([{
      level: 'warning',
      path: 'Stack/Data/Policy/Resource',
      message: 'bucket Stack/Data/Resource has a CORS configuration, so browsers outside the VPC call it, but its policy '
        + 'Stack/Data/Policy/Resource denies requests that come through no VPC endpoint: their requests (and presigned URLs '
        + 'they use) get 403',
    }]);
  });

  test('is quiet for the CORS twin without the endpoint restriction', () => {
    // GIVEN
    const stack = envStack();
    new s3.Bucket(stack, 'Data', { ...CORS, enforceSSL: true });

    // THEN
    expect(findingsOf(stack, presignedOutsideVpc)).toEqual([]);
  });

  test('cannot judge when the exemption names a role the app does not resolve', () => {
    // GIVEN
    const stack = envStack();
    const exempt = new CfnParameter(stack, 'AdminRoleArn').valueAsString;
    restrictedBucket(stack, CORS, exempt);

    // WHEN
    const findings = findingsOf(stack, presignedOutsideVpc);

    // THEN
    expect(summary(findings)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Data/Policy/Resource' })]);
    expect(findings[0].cannotJudge).toBe(true);
    expect(findings[0].message).toMatch(/^cannot judge: whether policy Stack\/Data\/Policy\/Resource denies browser requests to bucket Stack\/Data\/Resource/);
  });
});
