import { App, CliCredentialsStackSynthesizer, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEndpointRestriction, BucketOwnerPolicy, EndpointSource, GatewayEndpointRouteTableAssociation, S3NetworkAclEntries, S3PrivateAccess } from '../../lib';
import { networkDenyStatement } from '../../lib/policy/lockout-safe-deny';
import { ADMIN, construct, describeBadInput, isolatedVpc, isolatedVpcNamed, ownerDocument, Row, withBucket } from '../helpers/bad-input';

import { envBoundStack } from '../helpers/s3pa-fixtures';

const rows: Row[] = [
  // BucketOwnerPolicy
  {
    name: 'owner document without admins',
    act: ownerDocument({ adminPrincipalArns: [] }),
    message: "bucket owner policy for 'partner-data' has no adminPrincipalArns: name at least one owner role that keeps access from anywhere, so the Deny cannot lock the owner out",
    shows: 'partner-data',
  },
  {
    name: 'owner document without endpoints or vpcs',
    act: ownerDocument({ endpointIds: [] }),
    message: 'bucket owner policy needs endpointIds or vpcIds (or organizationIds, endpointAccountIds): name the S3 gateway ' +
      'endpoint (vpce-…) or the VPC (vpc-…) the workloads use, or the organization or accounts whose endpoints they use',
  },
  {
    name: 'owner document with a bad endpoint id',
    act: ownerDocument({ endpointIds: ['vpce-xyz'] }),
    message: "endpoint id 'vpce-xyz' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpce-xyz',
  },
  {
    name: 'owner document with a bad vpc id',
    act: ownerDocument({ endpointIds: [], vpcIds: ['vpc-12'] }),
    message: "vpc id 'vpc-12' is not a vpc id: pass vpc- followed by 8 or 17 hex digits",
    shows: 'vpc-12',
  },
  {
    name: 'owner document without workload roles',
    act: ownerDocument({ workloadRoleArns: [] }),
    message: 'bucket owner policy needs workloadRoleArns: name the roles that reach the bucket',
  },
  {
    name: 'owner document with a wildcard workload role',
    act: ownerDocument({ workloadRoleArns: ['arn:aws:iam::111111111111:role/app-*'] }),
    message: "workload role 'arn:aws:iam::111111111111:role/app-*' contains a wildcard: a Principal element accepts exact ARNs only, name each role",
    shows: 'arn:aws:iam::111111111111:role/app-*',
  },
  {
    name: 'owner document with a wildcard admin',
    act: ownerDocument({ adminPrincipalArns: ['*'] }),
    message: "exempt principal '*' matches any principal: use arn:<partition>:iam::<account-id>:role/<name>",
    shows: '*',
  },
  {
    name: 'owner document with a bad bucket name',
    act: ownerDocument({ bucketName: 'Bad_Bucket' }),
    message: "bucket name 'Bad_Bucket' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' and '-'",
    shows: 'Bad_Bucket',
  },
  {
    name: 'applyTo an imported bucket',
    act: () => {
      const { stack } = envBoundStack();
      BucketOwnerPolicy.applyTo(s3.Bucket.fromBucketName(stack, 'Imported', 'partner-data'), {
        endpointIds: ['vpce-0123456789abcdef0'], workloadRoleArns: [ADMIN.replace('admin', 'reader')], adminPrincipalArns: [ADMIN],
      });
    },
    message: 'bucket Stack/Imported is imported, so this stack cannot change its policy: apply BucketOwnerPolicy in the stack that defines the bucket, or use BucketOwnerPolicy.document()',
    shows: 'Stack/Imported',
  },
  {
    name: 'applyTo with no principal to exempt',
    act: () => {
      const stack = new Stack(new App(), 'Owner', { synthesizer: new CliCredentialsStackSynthesizer() });
      BucketOwnerPolicy.applyTo(new s3.Bucket(stack, 'Shared'), { endpointIds: ['vpce-0123456789abcdef0'], workloadRoleArns: [ADMIN.replace('admin', 'reader')] });
    },
    message: 'bucket owner policy for Owner/Shared has no principal to exempt from its Deny: pass adminPrincipalArns, or deploy with the DefaultStackSynthesizer',
    shows: 'Owner/Shared',
  },

  // the bucket's endpoint restriction
  {
    name: 'endpoint restriction: a bad endpoint id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowEndpoint('vpce-1')),
    message: "endpoint id 'vpce-1' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpce-1',
  },
  {
    name: 'endpoint restriction: a vpc id as the endpoint id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowEndpoint('vpc-0123456789abcdef0')),
    message: "endpoint id 'vpc-0123456789abcdef0' is not a vpce id: pass vpce- followed by 8 or 17 hex digits",
    shows: 'vpc-0123456789abcdef0',
  },
  {
    name: 'endpoint restriction: a bad vpc id',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).allowVpc('vpc-xyz')),
    message: "vpc id 'vpc-xyz' is not a vpc id: pass vpc- followed by 8 or 17 hex digits",
    shows: 'vpc-xyz',
  },
  {
    name: 'endpoint restriction: a wildcard exemption',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).exempt('arn:aws:iam::111111111111:role/*')),
    message: "exempt principal 'arn:aws:iam::111111111111:role/*' matches every principal of the account or of a type: name a role or user, for example role/admin",
    shows: 'arn:aws:iam::111111111111:role/*',
  },
  {
    name: 'endpoint restriction: a service principal exempted',
    act: withBucket((_s, bucket) => BucketEndpointRestriction.of(bucket).exemptPrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'))),
    message: /^exemptPrincipals contains ServicePrincipal\(lambda\.amazonaws\.com\), which is not an IAM role, user or account \(principal keys: Service\): AWS service principals are exempt already; pass roles or users/,
    shows: 'lambda.amazonaws.com',
  },
  {
    name: 'endpoint restriction of an imported bucket',
    act: () => {
      const { stack } = envBoundStack();
      BucketEndpointRestriction.of(s3.Bucket.fromBucketName(stack, 'Theirs', 'their-bucket'));
    },
    message: 'bucket their-bucket is imported, so this app cannot change its bucket policy: restrict it in the stack that defines it, or have its owner apply BucketOwnerPolicy.document()',
    shows: 'their-bucket',
  },
  {
    name: 'a grant that closes a cycle between the bucket\'s stack and the construct\'s',
    act: () => {
      const app = new App();
      const data = new Stack(app, 'Data');
      const network = new Stack(app, 'Network');
      const bucket = new s3.Bucket(data, 'Bucket');
      const access = new S3PrivateAccess(network, 'S3', { vpc: isolatedVpc(network), buckets: [bucket] });
      access.grantRead(new iam.Role(network, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), bucket);
    },
    message: 'granting Network/Worker access to bucket Data/Bucket would make stack Network depend on stack Data, whose bucket policy already names an endpoint, vpc or role of Network: give the bucket a bucketName and grant on s3.Bucket.fromBucketName(this, id, name) in Network, or define the bucket in Network',
    shows: 'Data/Bucket',
  },
  {
    name: 'internal guard: a network deny without endpoints or vpcs',
    act: () => networkDenyStatement({ bucketArn: 'arn:aws:s3:::b', objectsArn: 'arn:aws:s3:::b/*', exemptPrincipalArns: [] }),
    message: 'the network deny needs at least one endpoint id, vpc id, organization id or endpoint account id: ' +
      'pass endpointIds, vpcIds, organizationIds or endpointAccountIds',
  },

  // the VPC's own S3 gateway endpoint
  {
    name: 'a vpc with two S3 gateway endpoints and a selection that spans both',
    act: () => {
      const { stack } = envBoundStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 1,
        natGateways: 0,
        subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      vpc.addGatewayEndpoint('S3A', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'a' }] });
      vpc.addGatewayEndpoint('S3B', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: 'b' }] });
      new S3PrivateAccess(stack, 'S3', { vpc });
    },
    message: 'the vpc Stack/Vpc already has S3 gateway endpoints Stack/Vpc/S3A/Resource, Stack/Vpc/S3B/Resource, which serve different route tables of the selection, and S3PrivateAccess cannot tell which one to use: pass it with `endpoint: EndpointSource.fromExisting(endpoint)`, and select the subnets of its route tables',
    shows: 'Stack/Vpc/S3A/Resource',
  },
  {
    name: 'the vpc\'s S3 gateway endpoint with route tables from a token',
    act: construct((stack, vpc) => {
      new ec2.CfnVPCEndpoint(stack, 'Raw', { vpcId: vpc.vpcId, serviceName: ec2.GatewayVpcEndpointAwsService.S3.name, routeTableIds: Lazy.list({ produce: () => [] }) });
      return {};
    }),
    message: "the S3 gateway endpoint Stack/Raw of the vpc takes its route tables from a token, so S3PrivateAccess cannot add the selected ones to it: list its route tables literally, or pass the endpoint by id with `endpoint: EndpointSource.fromExisting(GatewayVpcEndpoint.fromGatewayVpcEndpointId(this, id, 'vpce-…'))`",
    shows: 'Stack/Raw',
  },
  {
    name: 'fromExisting with an endpoint of the app that is not for S3',
    act: construct((_stack, vpc) => ({
      endpoint: EndpointSource.fromExisting(vpc.addGatewayEndpoint('Ddb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB })),
    })),
    message: /^endpoint Stack\/Vpc\/Ddb\/Resource is not an S3 gateway endpoint \(service \{"Fn::Join":\["",\["com\.amazonaws\.",\{"Ref":"AWS::Region"\},"\.dynamodb"\]\]\}\): pass the vpc's gateway endpoint for com\.amazonaws\.<region>\.s3$/,
    shows: 'dynamodb',
  },
  {
    name: 'fromExisting with the S3 endpoint of another vpc of the app',
    act: construct((stack) => ({
      endpoint: EndpointSource.fromExisting(isolatedVpcNamed(stack, 'Other').addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 })),
    })),
    message: 'endpoint Stack/Other/S3/Resource belongs to another vpc than Stack/Vpc: pass an S3 gateway endpoint of the vpc given to S3PrivateAccess',
    shows: 'Stack/Other/S3/Resource',
  },

  {
    name: 'an imported endpoint adopted for route tables the vpc\'s own S3 endpoint serves',
    act: construct((stack, vpc) => {
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      return { endpoint: EndpointSource.fromExisting(ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0')) };
    }),
    message: /^route tables \{"Ref":"VpcisoSubnet1RouteTable[0-9A-F]+"\}, \{"Ref":"VpcisoSubnet2RouteTable[0-9A-F]+"\} of the selection already get their S3 route from the endpoint Stack\/Vpc\/S3\/Resource of the app, so the adopted endpoint cannot be associated with them: pass that endpoint with EndpointSource.fromExisting\(\.\.\.\), or select subnets whose route tables it does not serve$/,
    shows: 'Stack/Vpc/S3/Resource',
  },

  // route tables of an adopted endpoint
  {
    name: 'route-table association without route tables',
    act: () => {
      const { stack } = envBoundStack();
      new GatewayEndpointRouteTableAssociation(stack, 'Assoc', {
        endpoint: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0'), routeTableIds: [],
      });
    },
    message: 'routeTableIds is empty: pass at least one route-table id to associate with the endpoint',
  },
  {
    name: 'route-table association with a bad route-table id',
    act: () => {
      const { stack } = envBoundStack();
      new GatewayEndpointRouteTableAssociation(stack, 'Assoc', {
        endpoint: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'E', 'vpce-0123456789abcdef0'), routeTableIds: ['rt-1'],
      });
    },
    message: "routeTableIds contains 'rt-1', which is not a route-table id: pass ids like 'rtb-0123456789abcdef0'",
    shows: 'rt-1',
  },
  {
    name: 'S3NetworkAclEntries with a bad rule-number base',
    act: () => {
      const { stack } = envBoundStack();
      new S3NetworkAclEntries(stack, 'Entries', { networkAcls: [new ec2.NetworkAcl(stack, 'Acl', { vpc: isolatedVpc(stack) })], ruleNumberBase: 1.5 });
    },
    message: 'naclRuleNumberBase is 1.5: pass an integer from 1 to 32766',
    shows: '1.5',
  },

];

describeBadInput('bucket policies, restrictions, endpoints and route tables', rows);
