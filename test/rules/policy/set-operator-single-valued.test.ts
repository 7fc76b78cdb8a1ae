import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { setOperatorSingleValued } from '../../../lib/rules/policy/set-operator-single-valued';
import { envStack, findingsOf, summary } from '../../helpers/checks';

/** A bucket restricted to the VPC's S3 endpoint by a statement whose condition `conditions` gives (from the endpoint's id). */
function restrictedBucket(stack: Stack, conditions: (endpointId: string) => Record<string, any>, effect = iam.Effect.DENY) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  const bucket = new s3.Bucket(stack, 'Data');
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    effect,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: conditions(endpoint.vpcEndpointId),
  }));
  return { vpc, endpoint, bucket };
}

describe('S3PA-SetOperatorSingleValued', () => {
  test('fires for Deny with ForAnyValue:StringNotEquals on aws:SourceVpce: requests through no endpoint are let through', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, id => ({ 'ForAnyValue:StringNotEquals': { 'aws:SourceVpce': id } }));

    // WHEN
    const findings = findingsOf(stack, setOperatorSingleValued);

    // THEN
    expect(summary(findings)).toEqual([{
      level: 'error',
      path: 'Stack/Data/Policy/Resource',
      message: 'bucket policy Stack/Data/Policy/Resource denies with ForAnyValue:StringNotEquals on aws:SourceVpce, a '
        + 'single-valued key: ForAnyValue: is false on a request without the key, where StringNotEquals is true, so the Deny '
        + 'does not apply to requests that come through no VPC endpoint (from the internet or through NAT, the console, '
        + 'CloudFormation): they are let through',
    }]);
    expect(findings[0].fix).toBe('drop the set operator: use the plain operator (StringNotEquals, StringEquals, NotIpAddress...) '
      + 'with these keys: StringNotEquals on aws:SourceVpce');
    expect(findings[0].hop).toBe('bucket-policy');
  });

  test('is quiet for the clean twin with the plain StringNotEquals', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, id => ({ StringNotEquals: { 'aws:SourceVpce': id } }));

    // THEN
    expect(findingsOf(stack, setOperatorSingleValued)).toEqual([]);
  });

  test('warns for Deny with ForAllValues:StringNotEquals: it behaves as StringNotEquals, but misleads', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, () => ({ 'ForAllValues:StringNotEquals': { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } }));

    // THEN
    const found = summary(findingsOf(stack, setOperatorSingleValued));
    expect(found.map(f => f.level)).toEqual(['warning']);
    expect(found[0].message).toContain('on a request without the key it gives true, as StringNotEquals does: no effect, but misleading');
  });

  test('fires for Allow with ForAllValues:StringEquals on aws:SourceVpc: it grants requests through no endpoint', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, () => ({ 'ForAllValues:StringEquals': { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } }), iam.Effect.ALLOW);

    // THEN
    const found = summary(findingsOf(stack, setOperatorSingleValued));
    expect(found.map(f => f.level)).toEqual(['error']);
    expect(found[0].message).toMatch(/so the Allow grants requests that come through no VPC endpoint .*, whatever the values: they are let through$/);
  });

  test('fires for a lone Deny with ForAllValues:IpAddress on aws:SourceIp: every request through an endpoint is denied', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, () => ({ 'ForAllValues:IpAddress': { 'aws:SourceIp': '203.0.113.0/24' } }));

    // THEN
    const found = summary(findingsOf(stack, setOperatorSingleValued));
    expect(found.map(f => f.level)).toEqual(['error']);
    expect(found[0].message).toMatch(/so the Deny applies to requests through a VPC endpoint \(they carry aws:VpcSourceIp instead\): they get 403$/);
  });

  test('warns for the same Deny when other conditions decide too', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, () => ({
      'ForAllValues:IpAddress': { 'aws:SourceIp': '203.0.113.0/24' },
      'ArnNotLike': { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/admin' },
    }));

    // THEN
    const found = summary(findingsOf(stack, setOperatorSingleValued));
    expect(found.map(f => f.level)).toEqual(['warning']);
    expect(found[0].message).toContain('(unless its other conditions exempt them)');
  });

  test('warns for a set operator on aws:SourceVpce in an endpoint policy, where the key is always present', () => {
    // GIVEN
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEquals': { 'aws:SourceVpc': vpc.vpcId } },
    }));

    // THEN
    const found = findingsOf(stack, setOperatorSingleValued);
    expect(summary(found)).toEqual([expect.objectContaining({ level: 'warning', path: 'Stack/Vpc/S3/Resource' })]);
    expect(found[0].message).toContain('every request through an endpoint carries the key: no effect, but misleading');
    expect(found[0].hop).toBe('endpoint-policy');
  });

  test('is quiet for set operators on multivalued keys', () => {
    // GIVEN
    const stack = envStack();
    restrictedBucket(stack, () => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }));

    // THEN
    expect(findingsOf(stack, setOperatorSingleValued)).toEqual([]);
  });

  test('judges the operator, not the values: an unresolved value is still an error', () => {
    // GIVEN the endpoint id comes from a parameter the app cannot resolve
    const stack = envStack();
    const id = new CfnParameter(stack, 'EndpointId').valueAsString;
    restrictedBucket(stack, () => ({ 'ForAnyValue:StringNotEquals': { 'aws:SourceVpce': id } }));

    // THEN the effect on requests without the key does not depend on the value
    const found = summary(findingsOf(stack, setOperatorSingleValued));
    expect(found.map(f => f.level)).toEqual(['error']);
    expect(found[0].message).toContain('they are let through');
  });
});
