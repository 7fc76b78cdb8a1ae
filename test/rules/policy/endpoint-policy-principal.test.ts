import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { endpointPolicyPrincipal } from '../../../lib/rules/policy/endpoint-policy-principal';
import { agnosticStack, envStack, findingsOf, summary } from '../../helpers/checks';

function endpointIn(stack: Stack): ec2.GatewayVpcEndpoint {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
}

describe('S3PA-EndpointPolicyPrincipal', () => {
  test('GIVEN a gateway endpoint policy naming a role as principal WHEN checked THEN error on the endpoint', () => {
    // GIVEN
    const stack = envStack();
    const endpoint = endpointIn(stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'AppRole',
      principals: [new iam.ArnPrincipal(role.roleArn)],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data/*'],
    }));
    // WHEN
    const found = summary(findingsOf(stack, endpointPolicyPrincipal));
    // THEN
    expect(found).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Vpc/S3/Resource' })]);
    expect(found[0].message).toContain('policy statement AppRole has Principal {"AWS":"Stack/Role/Resource.Arn"}');
  });

  test('GIVEN an account principal WHEN checked THEN error', () => {
    const stack = envStack();
    const endpoint = endpointIn(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'],
    }));
    const found = summary(findingsOf(stack, endpointPolicyPrincipal));
    expect(found).toEqual([expect.objectContaining({ level: 'error' })]);
    expect(found[0].message).toContain('222222222222');
  });

  test('GIVEN Principal "*" with an aws:PrincipalArn condition, and {"AWS": "*"} WHEN checked THEN no finding', () => {
    const stack = envStack();
    const endpoint = endpointIn(stack);
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::data/*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/app' } },
    }));
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'],
    }));
    expect(findingsOf(stack, endpointPolicyPrincipal)).toEqual([]);
  });

  test('GIVEN an interface endpoint policy naming a role WHEN checked THEN no finding (the rule is for gateway endpoints)', () => {
    const stack = envStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const endpoint = vpc.addInterfaceEndpoint('S3', { service: ec2.InterfaceVpcEndpointAwsService.S3 });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'],
    }));
    expect(findingsOf(stack, endpointPolicyPrincipal)).toEqual([]);
  });

  test('GIVEN a principal from a CfnParameter WHEN checked THEN cannot judge, no error', () => {
    const stack = agnosticStack();
    const endpoint = endpointIn(stack);
    const param = new CfnParameter(stack, 'Who');
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(param.valueAsString)], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'],
    }));
    const found = findingsOf(stack, endpointPolicyPrincipal);
    expect(found.map(f => [f.level, f.cannotJudge, f.resource.path])).toEqual([['warning', true, 'Stack/Vpc/S3/Resource']]);
    expect(found[0].message).toContain('{{Who}}');
  });
});
