import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import {
  CfnVPCEndpoint, GatewayVpcEndpoint, GatewayVpcEndpointAwsService, IGatewayVpcEndpoint, ISubnet, IVpc,
} from 'aws-cdk-lib/aws-ec2';
import { CfnDirectoryBucket } from 'aws-cdk-lib/aws-s3express';
import { Construct, IConstruct } from 'constructs';
import { containsId, routeTableIdsOf } from './vpc-s3-endpoints';
import { constructError } from '../private/errors';
import { sameValue } from '../private/same-value';

/**
 * An S3 Express One Zone directory bucket that workloads behind `S3PrivateAccess` use: a `CfnDirectoryBucket` of the
 * app, or a directory bucket known by name.
 */
export class ExpressDirectoryBucket {
  /**
   * A directory bucket defined in this app; its ARN is the resource's `Arn` attribute.
   *
   * @param bucket the `AWS::S3Express::DirectoryBucket` resource
   */
  public static fromCfnDirectoryBucket(bucket: CfnDirectoryBucket): ExpressDirectoryBucket {
    return new ExpressDirectoryBucket(bucket.attrArn, bucket.bucketName ?? bucket.ref, bucket);
  }

  /**
   * A directory bucket by name (`<base-name>--<zone-id>--x-s3`, e.g. `logs--euw1-az1--x-s3`), in the stack's account and
   * region: its ARN is `arn:<partition>:s3express:<region>:<account>:bucket/<name>`.
   *
   * @param bucketName the directory bucket's full name, a literal or a token
   */
  public static fromBucketName(bucketName: string): ExpressDirectoryBucket {
    if (!Token.isUnresolved(bucketName) && !/^[a-z0-9][a-z0-9.-]*--[a-z0-9-]+--x-s3$/.test(bucketName)) {
      throw new Error(`directory bucket name '${bucketName}' is not an S3 Express One Zone bucket name: pass the full ` +
        'name, <base-name>--<zone-id>--x-s3 (e.g. logs--euw1-az1--x-s3), or a general purpose bucket in buckets');
    }
    return new ExpressDirectoryBucket(undefined, bucketName);
  }

  /** The bucket's name (a token for a `CfnDirectoryBucket` whose name CloudFormation generates). */
  public readonly bucketName: string;

  /**
   * The directory bucket resource of the app.
   *
   * @default - undefined for a bucket known by name
   */
  public readonly resource?: CfnDirectoryBucket;

  private readonly arn?: string;

  private constructor(arn: string | undefined, bucketName: string, resource?: CfnDirectoryBucket) {
    this.arn = arn;
    this.bucketName = bucketName;
    this.resource = resource;
  }

  /**
   * The bucket's ARN, `arn:<partition>:s3express:<region>:<account>:bucket/<name>`.
   *
   * @param scope a construct in the stack whose account and region a bucket known by name belongs to
   */
  public bucketArn(scope: IConstruct): string {
    return this.arn ?? Stack.of(scope).formatArn({ service: 's3express', resource: 'bucket', resourceName: this.bucketName });
  }
}

/**
 * The `com.amazonaws.<region>.s3express` gateway endpoint of the VPC for the selected route tables: the one the app
 * already defines in the VPC (with the missing route tables added to it), else a new one under `scope`. A route table
 * takes one s3express gateway endpoint only, as for S3.
 */
export function bindExpressEndpoint(scope: Construct, vpc: IVpc, subnets: ISubnet[], routeTableIds: string[]): IGatewayVpcEndpoint {
  const existing = expressGatewayEndpointsOf(scope, vpc);
  if (existing.length > 1) {
    throw constructError(`the vpc already has s3express gateway endpoints ${existing.map((e) => e.node.path).join(', ')}, and ` +
      'S3PrivateAccess cannot tell which one to add the route tables to: keep one s3express gateway endpoint per vpc', scope);
  }
  if (existing.length === 1) {
    const cfn = existing[0];
    const current = routeTableIdsOf(cfn);
    if (current === undefined) {
      throw constructError(`the s3express gateway endpoint ${cfn.node.path} of the vpc takes its route tables from a token, so ` +
        'S3PrivateAccess cannot add the selected ones to it: pass its route tables as a literal list', scope);
    }
    const missing = routeTableIds.filter((rt) => !containsId(cfn, current, scope, rt));
    if (missing.length > 0) {
      cfn.routeTableIds = [...current, ...missing];
    }
    return GatewayVpcEndpoint.fromGatewayVpcEndpointId(scope, 'ReusedExpressEndpoint', cfn.ref);
  }
  return new GatewayVpcEndpoint(scope, 'ExpressEndpoint', {
    vpc,
    service: GatewayVpcEndpointAwsService.S3_EXPRESS,
    subnets: [{ subnets }],
  });
}

/** Every gateway endpoint of the app for `com.amazonaws.<region>.s3express` in `vpc`. */
function expressGatewayEndpointsOf(scope: IConstruct, vpc: IVpc): CfnVPCEndpoint[] {
  return scope.node.root.node.findAll().filter((c): c is CfnVPCEndpoint => {
    if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== CfnVPCEndpoint.CFN_RESOURCE_TYPE_NAME) return false;
    const cfn = c as CfnVPCEndpoint;
    const stack = Stack.of(cfn);
    const type = stack.resolve(cfn.vpcEndpointType);
    return (type === undefined || type === 'Gateway')
      && /\.s3express"/.test(JSON.stringify(stack.resolve(cfn.serviceName)))
      && sameValue(cfn, cfn.vpcId, vpc, vpc.vpcId);
  });
}
