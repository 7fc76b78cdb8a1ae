import { Aws, Stack, Token } from 'aws-cdk-lib';
import { IConnectable, Peer, Port, PrefixList } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, AwsSdkCall, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider, acknowledgeFinding } from '../private/nag-acks';

/**
 * Properties of `S3PrefixList`.
 */
export interface S3PrefixListProps {
  /**
   * Look up the prefix list of S3 Express One Zone (`com.amazonaws.<region>.s3express`, the zonal endpoints of
   * directory buckets) instead of Amazon S3's.
   *
   * @default false
   */
  readonly express?: boolean;
}

/**
 * The AWS-managed prefix list of Amazon S3 (`com.amazonaws.<region>.s3`) in the stack's region, or of S3 Express One
 * Zone (`com.amazonaws.<region>.s3express`) with `express`.
 *
 * When the stack has a concrete account and region, the id is looked up at synth time
 * (`PrefixList.fromLookup`, answered from `cdk.context.json`); in an environment-agnostic stack a custom resource
 * calls `ec2:DescribePrefixLists` at deploy time.
 */
export class S3PrefixList extends Construct {
  /**
   * The name of the S3 prefix list in a region.
   *
   * @param region a region name, or `Aws.REGION`
   */
  public static nameFor(region: string): string {
    return `com.amazonaws.${region}.s3`;
  }

  /**
   * The name of the S3 Express One Zone prefix list in a region.
   *
   * @param region a region name, or `Aws.REGION`
   */
  public static expressNameFor(region: string): string {
    return `com.amazonaws.${region}.s3express`;
  }

  /**
   * The id of the prefix list (`pl-…`), a token when the stack is environment-agnostic.
   */
  public readonly prefixListId: string;

  /**
   * Whether the id was looked up at synth time (true) or is read at deploy time by a custom resource (false).
   */
  public readonly resolvedAtSynth: boolean;

  private readonly description: string;

  constructor(scope: Construct, id: string, props: S3PrefixListProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const nameFor = props.express ? S3PrefixList.expressNameFor : S3PrefixList.nameFor;
    this.description = props.express ? 'HTTPS to S3 Express One Zone through the s3express gateway endpoint'
      : 'HTTPS to Amazon S3 through the gateway endpoint';
    if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region)) {
      this.resolvedAtSynth = true;
      this.prefixListId = PrefixList.fromLookup(this, 'Lookup', {
        prefixListName: nameFor(stack.region),
      }).prefixListId;
      return;
    }
    this.resolvedAtSynth = false;
    const describe: AwsSdkCall = {
      service: 'EC2',
      action: 'describePrefixLists',
      parameters: { Filters: [{ Name: 'prefix-list-name', Values: [nameFor(Aws.REGION)] }] },
      physicalResourceId: PhysicalResourceId.fromResponse('PrefixLists.0.PrefixListId'),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    const lookup = new AwsCustomResource(this, 'Lookup', {
      resourceType: 'Custom::S3PrefixListLookup',
      onCreate: describe,
      onUpdate: describe,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({
        // DescribePrefixLists supports no resource-level permissions: '*' is the only valid resource
        actions: ['ec2:DescribePrefixLists'],
        resources: ['*'],
      })]),
    });
    acknowledgeFinding(this, 'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribePrefixLists supports no resource-level permissions, so its only valid resource is *; the call only reads');
    acknowledgeAwsCustomResourceProvider(this);
    this.prefixListId = lookup.getResponseField('PrefixLists.0.PrefixListId');
  }

  /**
   * Allow TCP 443 egress to the prefix list from the security groups of `connectable`.
   *
   * @param connectable anything with security groups: a security group, a Lambda function, an instance, a service
   */
  public allowFrom(connectable: IConnectable): void {
    connectable.connections.allowTo(Peer.prefixList(this.prefixListId), Port.tcp(443), this.description);
  }
}
