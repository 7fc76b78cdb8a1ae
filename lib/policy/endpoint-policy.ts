import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ActionTarget, actionTarget, ALL_GRANTABLE_ACTIONS } from './actions';
import { AwsOwnedBuckets } from './aws-owned-buckets';

/**
 * Options for an endpoint policy that allows only some buckets.
 */
export interface RestrictToBucketsOptions {
  /**
   * AWS-owned buckets the workloads behind the endpoint need (`s3:GetObject` only), for example
   * `AwsOwnedBuckets.ECR_LAYERS` for ECS tasks that pull images from ECR.
   *
   * @default - none: ECR pulls, dnf/yum and SSM Agent downloads through the endpoint fail
   */
  readonly allowAwsOwnedBuckets?: AwsOwnedBuckets[];

  /**
   * The S3 actions allowed on the buckets. Bucket-level actions (`s3:ListBucket`, `s3:GetBucket…`) go on the bucket
   * ARNs, object actions on `bucket/*`; others on both. Each must start with `s3:`; `s3:*` is rejected.
   *
   * @default - every action the library's grants use: `s3:GetObject`, `s3:ListBucket`, `s3:GetBucketLocation`,
   * `s3:PutObject`, `s3:AbortMultipartUpload`, `s3:DeleteObject`
   */
  readonly actions?: string[];
}

/**
 * The policy of the S3 gateway endpoint.
 *
 * Every statement uses `"Principal": "*"` (the only principal a gateway endpoint policy should name; who may act is
 * decided by identity and bucket policies) and never allows `s3:*`.
 */
export abstract class EndpointPolicy {
  /**
   * AWS's default endpoint policy: full access to S3 through the endpoint. The default.
   *
   * Renders no policy document at all, so CloudFormation leaves the endpoint with the policy AWS applies by default
   * (`Allow` `*` on `*` for `*`). Writing that document out would only repeat it, and an explicit `"Action": "*"`
   * statement would be flagged by policy linters for nothing.
   */
  public static fullAccess(): EndpointPolicy {
    return new FullAccessEndpointPolicy();
  }

  /**
   * Allow only the given buckets (and, opt-in, AWS-owned buckets) through the endpoint.
   *
   * @param buckets the buckets workloads may reach; at least one
   * @param options actions and AWS-owned bucket allowances
   */
  public static restrictToBuckets(buckets: IBucket[], options: RestrictToBucketsOptions = {}): EndpointPolicy {
    if (buckets.length === 0) {
      throw new Error('restrictToBuckets needs at least one bucket: pass the buckets the workloads use, or use EndpointPolicy.fullAccess()');
    }
    const actions = options.actions ?? [...ALL_GRANTABLE_ACTIONS];
    if (actions.length === 0) {
      throw new Error('restrictToBuckets actions is empty: omit actions for the default set, or name the s3: actions to allow');
    }
    for (const action of actions) {
      if (Token.isUnresolved(action)) {
        continue;
      }
      if (!action.startsWith('s3:')) {
        throw new Error(`endpoint policy action '${action}' is not an S3 action: name only actions that start with 's3:', the only ones the S3 gateway endpoint serves`);
      }
      if (action === 's3:*') {
        throw new Error("endpoint policy action 's3:*' is too broad: name the actions, or use EndpointPolicy.fullAccess()");
      }
    }
    return new RestrictedEndpointPolicy([...buckets], [...new Set(actions)], [...(options.allowAwsOwnedBuckets ?? [])]);
  }

  /**
   * Whether this policy limits what passes the endpoint.
   */
  public abstract readonly isRestricted: boolean;

  /**
   * The statements of the endpoint policy; empty for full access, which keeps AWS's default policy.
   *
   * @param scope a construct in the stack of the endpoint, for its region and partition
   */
  public abstract statements(scope: Construct): iam.PolicyStatement[];
}

class FullAccessEndpointPolicy extends EndpointPolicy {
  public readonly isRestricted = false;

  public statements(_scope: Construct): iam.PolicyStatement[] {
    return [];
  }
}

class RestrictedEndpointPolicy extends EndpointPolicy {
  public readonly isRestricted = true;

  constructor(
    private readonly buckets: IBucket[],
    private readonly actions: string[],
    private readonly awsOwned: AwsOwnedBuckets[],
  ) {
    super();
  }

  public statements(scope: Construct): iam.PolicyStatement[] {
    const bucketActions = this.actions.filter((a) => actionTarget(a) !== ActionTarget.OBJECT);
    const objectActions = this.actions.filter((a) => actionTarget(a) !== ActionTarget.BUCKET);
    const statements: iam.PolicyStatement[] = [];
    if (bucketActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AllowBucketActionsOnNamedBuckets',
        principals: [new iam.StarPrincipal()],
        actions: bucketActions,
        resources: this.buckets.map((b) => b.bucketArn),
      }));
    }
    if (objectActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AllowObjectActionsOnNamedBuckets',
        principals: [new iam.StarPrincipal()],
        actions: objectActions,
        resources: this.buckets.map((b) => b.arnForObjects('*')),
      }));
    }
    const stack = Stack.of(scope);
    const seen = new Set<string>();
    for (const owned of this.awsOwned) {
      if (seen.has(owned.name)) {
        continue;
      }
      seen.add(owned.name);
      statements.push(new iam.PolicyStatement({
        sid: `AllowAwsOwned${owned.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`,
        principals: [new iam.StarPrincipal()],
        actions: ['s3:GetObject'],
        resources: owned.objectArns(stack.region, stack.partition),
      }));
    }
    return statements;
  }
}
