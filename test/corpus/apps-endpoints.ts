import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { corpusStack, CorpusApp, isolatedOnly, nodeFunction } from './corpus';

/**
 * A data VPC that serves its own workloads through an S3 gateway endpoint and on-premises networks through an S3
 * interface endpoint (private DNS only for inbound resolvers), the bucket restricted to both endpoints, and an
 * access point whose network origin is the VPC, read by a function of the VPC. The pattern of AWS's "S3 interface
 * endpoints for on-premises access" guidance, written anew.
 */
export const hybridS3Endpoints: CorpusApp = {
  name: 'hybrid-s3-endpoints',
  about: 'a gateway endpoint for the VPC and an interface endpoint for on-premises; a VPC-origin access point',
  faults: {
    // the bucket policy lists only the interface endpoint: the VPC's own requests take the gateway and get 403
    'interface-vpce-only': ['S3PA-InterfaceVpceRequired'],
    // a second gateway endpoint on the same route tables (a second S3PrivateAccess, say): the deploy fails
    'second-gateway-endpoint': ['S3PA-DuplicateGatewayRoute'],
    // a reporting function in another VPC reads through the VPC-only access point: 403
    'access-point-other-vpc': ['S3PA-AccessPointVpcOrigin'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'Hybrid');
    const vpc = isolatedOnly(stack, 'Vpc', '10.20.0.0/16');
    const gateway = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    if (fault === 'second-gateway-endpoint') vpc.addGatewayEndpoint('S3Again', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const onPrem = vpc.addInterfaceEndpoint('S3Interface', {
      service: ec2.InterfaceVpcEndpointAwsService.S3,
      privateDnsEnabled: true,
      open: false,
    });
    // private DNS only for inbound resolvers (written through the L1, as on the floor aws-cdk-lib)
    (onPrem.node.defaultChild as ec2.CfnVPCEndpoint).addPropertyOverride('DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint', 'OnlyInboundResolver');
    onPrem.connections.allowFrom(ec2.Peer.ipv4('192.168.0.0/16'), ec2.Port.tcp(443), 'on-premises clients');

    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyThroughTheEndpoints',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': fault === 'interface-vpce-only' ? [onPrem.vpcEndpointId] : [onPrem.vpcEndpointId, gateway.vpcEndpointId] },
        ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${stack.account}:role/cdk-*` },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false', 'aws:ViaAWSService': 'false' },
      },
    }));
    const ingest = nodeFunction(stack, 'Ingest', { vpc });
    bucket.grantReadWrite(ingest);

    const ap = new s3.CfnAccessPoint(stack, 'Reports', { bucket: bucket.bucketName, name: 'reports', vpcConfiguration: { vpcId: vpc.vpcId } });
    const reporterVpc = fault === 'access-point-other-vpc' ? isolatedOnly(stack, 'ReportingVpc', '10.30.0.0/16') : vpc;
    if (reporterVpc !== vpc) reporterVpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const reporter = nodeFunction(stack, 'Reporter', { vpc: reporterVpc });
    reporter.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${ap.attrArn}/object/reports/*`] }));
    return app;
  },
};

/** An isolated VPC whose only S3 endpoint is an interface endpoint with private DNS (no gateway endpoint). */
export const interfaceOnlyVpc: CorpusApp = {
  name: 'interface-only-vpc',
  about: 'an S3 interface endpoint as the VPC\'s only S3 endpoint works when private DNS answers S3\'s names',
  faults: {
    // private DNS off: s3.<region>.amazonaws.com resolves to public addresses, and the subnets have no way out
    'no-private-dns': ['S3PA-InterfacePrivateDns'],
  },
  build(fault) {
    const app = new App();
    const stack = corpusStack(app, 'InterfaceOnly');
    const vpc = isolatedOnly(stack, 'Vpc', '10.40.0.0/16');
    vpc.addInterfaceEndpoint('S3', { service: ec2.InterfaceVpcEndpointAwsService.S3, privateDnsEnabled: fault !== 'no-private-dns' });
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    bucket.grantRead(nodeFunction(stack, 'Reader', { vpc }));
    return app;
  },
};
