import { NestedStack, NestedStackProps, RemovalPolicy, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { S3PrivateAccess } from '../lib';

/** The faults and options of the workload's stacks. */
export interface WorkloadProps {
  /** Route only the data tier to the endpoint, so the function (app tier, in a nested stack) has no route to S3. */
  readonly routeFault?: boolean;
  /** Give the VPC a custom DNS server: S3PA-CustomDns, a warning that must not fail synth. */
  readonly customDns?: boolean;
  /** Whether S3PrivateAccess turns its checks on for its stack (default true). */
  readonly checks?: boolean;
}

/** Options of {@link WorkloadStage}. */
export interface WorkloadStageProps extends WorkloadProps, StageProps {}

/**
 * A Stage, as CDK Pipelines deploys it: a network stack (VPC with isolated subnets, bucket, S3PrivateAccess) and a
 * nested stack with a function that reads the bucket, whose subnets, security group and bucket reach it as the
 * parent's parameter values.
 */
export class WorkloadStage extends Stage {
  constructor(scope: Construct, id: string, props: WorkloadStageProps = {}) {
    super(scope, id, props);
    new NetworkStack(this, 'Network', props);
  }
}

/**
 * The network stack of {@link WorkloadStage}: VPC, bucket, S3PrivateAccess, and the nested stack of workers.
 */
export class NetworkStack extends Stack {
  constructor(scope: Construct, id: string, props: WorkloadProps & StackProps = {}) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const bucket = new s3.Bucket(this, 'Data', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
    const access = new S3PrivateAccess(this, 'S3Access', {
      vpc,
      buckets: [bucket],
      subnets: props.routeFault ? [{ subnetGroupName: 'data' }] : undefined,
      checks: props.checks,
    });
    new WorkersStack(this, 'Workers', { vpc, bucket, access });
    if (props.customDns) {
      const dhcp = new ec2.CfnDHCPOptions(this, 'Dhcp', { domainNameServers: ['10.0.0.2', '10.0.0.53'] });
      new ec2.CfnVPCDHCPOptionsAssociation(this, 'DhcpAssociation', { vpcId: vpc.vpcId, dhcpOptionsId: dhcp.ref });
    }
  }
}

interface WorkersProps extends NestedStackProps {
  readonly vpc: ec2.IVpc;
  readonly bucket: s3.IBucket;
  readonly access: S3PrivateAccess;
}

class WorkersStack extends NestedStack {
  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id, props);
    const fn = new lambda.Function(this, 'Reader', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: 'app' },
      securityGroups: [new ec2.SecurityGroup(this, 'ReaderSg', { vpc: props.vpc, allowAllOutbound: false })],
      environment: { BUCKET: props.bucket.bucketName },
    });
    props.access.allowFrom(fn);
    props.access.grantRead(fn, props.bucket, { prefix: 'in/' });
  }
}
