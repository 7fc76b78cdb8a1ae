import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EndpointPolicy, EndpointSource, S3PrivateAccess } from '../../lib';
import { envBoundStack } from '../helpers/s3pa-fixtures';

/*
 * Upgrade safety. CloudFormation replaces a resource whose logical id changes: a new endpoint (new vpce id, so every
 * bucket policy naming the old one denies), NACL entries deleted and re-added (a window without S3 traffic), route
 * associations dropped. So this file pins the EXACT logical ids the construct gives its resources in a reference app.
 * The hashed literals below are the point of the test (unlike everywhere else in the suite, where hashed ids are
 * banned): a refactor that moves a construct, renames an id or changes an index breaks this test, and must either
 * keep the ids (e.g. with overrideLogicalId) or be released as a breaking change.
 */

/** An env-bound stack, a three-tier VPC, two buckets, a workload SG and NACL, a restricted endpoint policy, grants. */
function referenceApp(adopted: boolean): Record<string, { Type: string; Properties?: any }> {
  const { stack } = envBoundStack('Reference');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const data = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  const reports = new s3.Bucket(stack, 'Reports', { enforceSSL: true });
  const sg = new ec2.SecurityGroup(stack, 'WorkloadSg', { vpc, allowAllOutbound: false });
  const acl = new ec2.NetworkAcl(stack, 'DataAcl', { vpc, subnetSelection: { subnetGroupName: 'data' } });
  const access = new S3PrivateAccess(stack, 'S3Access', {
    vpc,
    buckets: [data, reports],
    securityGroups: [sg],
    networkAcls: [acl],
    endpoint: adopted
      ? EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'Existing', 'vpce-0123456789abcdef0'))
      : EndpointSource.create(),
    endpointPolicy: adopted ? undefined : EndpointPolicy.restrictToBuckets([data, reports]),
  });
  const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  access.grantReadWrite(role, data, { prefix: 'in/' });
  access.grantRead(role, reports);
  return Template.fromStack(stack).toJSON().Resources;
}

function idsOfType(resources: Record<string, { Type: string }>, type: string): string[] {
  return Object.entries(resources).filter(([, r]) => r.Type === type).map(([id]) => id).sort();
}

/** The NACL entries: 6 S3 CIDRs of eu-west-1 in the bundled snapshot, each outbound 443 and inbound ephemeral. */
const NACL_ENTRY_IDS = [
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress06CA4D823',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress100863CD1',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress2591E7485',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress3FAA714AA',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress4B969B7A6',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Egress5C23E65C3',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress0138D5B7E',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress1D6EC0862',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress29F3F6273',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress3437BD657',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress48BE40F5C',
  'S3AccessNaclEntriesAclRefDataAcl3153E067Ingress5A7D9DC15',
];

/** The route tables of the app and data subnets (never the public ones), in subnet order. */
const PRIVATE_ROUTE_TABLE_IDS = [
  'VpcappSubnet1RouteTable072E8E09',
  'VpcappSubnet2RouteTableB76BFC59',
  'VpcdataSubnet1RouteTableAF5F53E0',
  'VpcdataSubnet2RouteTable94FA483A',
];

describe('logical ids of the reference app with a created endpoint', () => {
  const resources = referenceApp(false);

  test('the gateway endpoint keeps its logical id', () => {
    expect(idsOfType(resources, 'AWS::EC2::VPCEndpoint')).toEqual(['S3AccessEndpoint0AF6E906']);
  });

  test('the endpoint is routed from the private route tables, referenced by their logical ids', () => {
    expect(resources.S3AccessEndpoint0AF6E906.Properties.RouteTableIds).toEqual(PRIVATE_ROUTE_TABLE_IDS.map((id) => ({ Ref: id })));
  });

  test('the bucket policies the construct writes into keep their logical ids', () => {
    expect(idsOfType(resources, 'AWS::S3::BucketPolicy')).toEqual(['DataPolicyB80589C3', 'ReportsPolicyA13B441D']);
  });

  test('the network-ACL entries keep their logical ids', () => {
    expect(idsOfType(resources, 'AWS::EC2::NetworkAclEntry')).toEqual(NACL_ENTRY_IDS);
  });

  test('each network-ACL entry keeps its direction and rule number', () => {
    const shape = Object.fromEntries(NACL_ENTRY_IDS.map((id) => [id, {
      egress: resources[id].Properties.Egress, rule: resources[id].Properties.RuleNumber,
    }]));
    expect(shape).toEqual(Object.fromEntries(NACL_ENTRY_IDS.map((id) => [id, {
      egress: id.includes('Egress'), rule: 500 + Number(/(?:Egress|Ingress)(\d)/.exec(id)![1]),
    }])));
  });

  test('the security-group egress to the S3 prefix list keeps its logical id', () => {
    expect(idsOfType(resources, 'AWS::EC2::SecurityGroupEgress')).toEqual(['WorkloadSgtopl6da54004443CBAD0DE9']);
  });

  test('the grants keep the workload\'s default policy', () => {
    expect(idsOfType(resources, 'AWS::IAM::Policy')).toEqual(['WorkerDefaultPolicyD9676315']);
  });

  test('no route-table custom resource is created for a created endpoint', () => {
    expect(idsOfType(resources, 'Custom::S3GatewayEndpointRouteTable')).toEqual([]);
  });
});

describe('logical ids of the reference app with an adopted endpoint (EndpointSource.fromExisting)', () => {
  const resources = referenceApp(true);

  test('one route-table custom resource per private route table keeps its logical id', () => {
    expect(idsOfType(resources, 'Custom::S3GatewayEndpointRouteTable')).toEqual([
      'S3AccessEndpointRouteTablesRouteTableRefVpcappSubnet1RouteTable072E8E09EBA82C1D',
      'S3AccessEndpointRouteTablesRouteTableRefVpcappSubnet2RouteTableB76BFC594CF59601',
      'S3AccessEndpointRouteTablesRouteTableRefVpcdataSubnet1RouteTableAF5F53E0DB5BFD75',
      'S3AccessEndpointRouteTablesRouteTableRefVpcdataSubnet2RouteTable94FA483A69CC0D84',
    ]);
  });

  test('each route-table custom resource keeps the route table it adds', () => {
    const added = [
      'RefVpcappSubnet1RouteTable072E8E09EBA82C1D', 'RefVpcappSubnet2RouteTableB76BFC594CF59601',
      'RefVpcdataSubnet1RouteTableAF5F53E0DB5BFD75', 'RefVpcdataSubnet2RouteTable94FA483A69CC0D84',
    ].map((suffix) =>
      JSON.stringify(resources[`S3AccessEndpointRouteTablesRouteTable${suffix}`].Properties.Create));
    added.forEach((create, i) => expect(create).toContain(`"Ref":"${PRIVATE_ROUTE_TABLE_IDS[i]}"`));
  });

  test('the custom resources\' policies and the provider function keep their logical ids', () => {
    expect({
      policies: idsOfType(resources, 'AWS::IAM::Policy').filter((id) => id.startsWith('S3Access')),
      functions: idsOfType(resources, 'AWS::Lambda::Function'),
    }).toEqual({
      policies: [
        'S3AccessEndpointRouteTablesRouteTableRefVpcappSubnet1RouteTable072E8E09CustomResourcePolicy3A9597CB',
        'S3AccessEndpointRouteTablesRouteTableRefVpcappSubnet2RouteTableB76BFC59CustomResourcePolicyC2AE9B3C',
        'S3AccessEndpointRouteTablesRouteTableRefVpcdataSubnet1RouteTableAF5F53E0CustomResourcePolicy917EEBAF',
        'S3AccessEndpointRouteTablesRouteTableRefVpcdataSubnet2RouteTable94FA483ACustomResourcePolicy2F2D7DE6',
      ],
      functions: ['AWS679f53fac002430cb0da5b7982bd22872D164C4C'],
    });
  });

  test('no endpoint is created, and the NACL entries and SG egress keep the same ids as with a created endpoint', () => {
    expect({
      endpoints: idsOfType(resources, 'AWS::EC2::VPCEndpoint'),
      nacl: idsOfType(resources, 'AWS::EC2::NetworkAclEntry'),
      egress: idsOfType(resources, 'AWS::EC2::SecurityGroupEgress'),
      bucketPolicies: idsOfType(resources, 'AWS::S3::BucketPolicy'),
    }).toEqual({
      endpoints: [],
      nacl: NACL_ENTRY_IDS,
      egress: ['WorkloadSgtopl6da54004443CBAD0DE9'],
      bucketPolicies: ['DataPolicyB80589C3', 'ReportsPolicyA13B441D'],
    });
  });
});
