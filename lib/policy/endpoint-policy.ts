import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ActionTarget, actionTarget, ALL_GRANTABLE_ACTIONS } from './actions';
import { AwsOwnedBuckets } from './aws-owned-buckets';
import { validateAccountId, validateOrganizationId } from './validation';

/**
 * Options of a restricted endpoint policy: which AWS-owned buckets and which actions it allows.
 */
export interface RestrictedEndpointPolicyOptions {
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
 * Options for an endpoint policy that allows only some buckets.
 */
export interface RestrictToBucketsOptions extends RestrictedEndpointPolicyOptions {}

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
    const actions = validatedActions('restrictToBuckets', options.actions);
    return new RestrictedEndpointPolicy([...buckets], actions, [...(options.allowAwsOwnedBuckets ?? [])]);
  }

  /**
   * Allow only buckets owned by accounts of an organization (`aws:ResourceOrgID`) through the endpoint: a resource
   * perimeter, so a workload cannot copy data to a bucket outside the organization through it.
   *
   * The AWS-owned buckets (ECR layers, package repositories, CloudFormation's response buckets...) belong to AWS's
   * accounts, outside every customer organization: each set in `allowAwsOwnedBuckets` gets its own Allow statement
   * without the organization condition, or the workloads' image pulls, package installs and custom-resource answers
   * fail.
   *
   * @param organizationId the organization's id (`o-…`), a literal or a token
   * @param options actions and AWS-owned bucket allowances
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
   */
  public static restrictToOrganization(organizationId: string, options: RestrictedEndpointPolicyOptions = {}): EndpointPolicy {
    validateOrganizationId(organizationId, 'restrictToOrganization organization id');
    const actions = validatedActions('restrictToOrganization', options.actions);
    return new PerimeterEndpointPolicy('aws:ResourceOrgID', [organizationId], actions, [...(options.allowAwsOwnedBuckets ?? [])]);
  }

  /**
   * Allow only buckets owned by the given accounts (`aws:ResourceAccount`) through the endpoint, with the AWS-owned
   * buckets of `allowAwsOwnedBuckets` carved out as their own Allow statements (they belong to AWS's accounts).
   *
   * @param accountIds the 12-digit ids of the accounts whose buckets the workloads may reach; at least one
   * @param options actions and AWS-owned bucket allowances
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
   */
  public static restrictToAccounts(accountIds: string[], options: RestrictedEndpointPolicyOptions = {}): EndpointPolicy {
    if (accountIds.length === 0) {
      throw new Error('restrictToAccounts needs at least one account id: pass the accounts whose buckets the workloads ' +
        'use, or use EndpointPolicy.fullAccess()');
    }
    accountIds.forEach((id) => validateAccountId(id, 'restrictToAccounts account id'));
    const actions = validatedActions('restrictToAccounts', options.actions);
    return new PerimeterEndpointPolicy('aws:ResourceAccount', [...new Set(accountIds)], actions, [...(options.allowAwsOwnedBuckets ?? [])]);
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
    return [...statements, ...awsOwnedStatements(scope, this.awsOwned)];
  }
}

/** A resource perimeter: any bucket whose owner (`aws:ResourceOrgID` or `aws:ResourceAccount`) is one of `values`. */
class PerimeterEndpointPolicy extends EndpointPolicy {
  public readonly isRestricted = true;

  constructor(
    private readonly key: 'aws:ResourceOrgID' | 'aws:ResourceAccount',
    private readonly values: string[],
    private readonly actions: string[],
    private readonly awsOwned: AwsOwnedBuckets[],
  ) {
    super();
  }

  public statements(scope: Construct): iam.PolicyStatement[] {
    const partition = Stack.of(scope).partition;
    const where = this.key === 'aws:ResourceOrgID' ? 'InOrganization' : 'InAccounts';
    const conditions = { StringEquals: { [this.key]: this.values.length === 1 ? this.values[0] : this.values } };
    const bucketActions = this.actions.filter((a) => actionTarget(a) !== ActionTarget.OBJECT);
    const objectActions = this.actions.filter((a) => actionTarget(a) !== ActionTarget.BUCKET);
    const statements: iam.PolicyStatement[] = [];
    if (bucketActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: `AllowBucketActions${where}`,
        principals: [new iam.StarPrincipal()],
        actions: bucketActions,
        resources: [`arn:${partition}:s3:::*`],
        conditions,
      }));
    }
    if (objectActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: `AllowObjectActions${where}`,
        principals: [new iam.StarPrincipal()],
        actions: objectActions,
        resources: [`arn:${partition}:s3:::*/*`],
        conditions,
      }));
    }
    return [...statements, ...awsOwnedStatements(scope, this.awsOwned)];
  }
}

/** One Allow per AWS-owned bucket set (its actions on its objects), without conditions: the buckets belong to AWS's accounts. */
function awsOwnedStatements(scope: Construct, awsOwned: AwsOwnedBuckets[]): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  const statements: iam.PolicyStatement[] = [];
  for (const owned of awsOwned) {
    if (seen.has(owned.name)) {
      continue;
    }
    seen.add(owned.name);
    statements.push(new iam.PolicyStatement({
      sid: `AllowAwsOwned${owned.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`,
      principals: [new iam.StarPrincipal()],
      actions: [...owned.actions],
      resources: owned.objectArns(stack.region, stack.partition),
    }));
  }
  return statements;
}

/** The actions of a restricted policy, validated: `s3:` actions only, never `s3:*`; the default set when omitted. */
function validatedActions(factory: string, given: string[] | undefined): string[] {
  const actions = given ?? [...ALL_GRANTABLE_ACTIONS];
  if (actions.length === 0) {
    throw new Error(`${factory} actions is empty: omit actions for the default set, or name the s3: actions to allow`);
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
  return [...new Set(actions)];
}
