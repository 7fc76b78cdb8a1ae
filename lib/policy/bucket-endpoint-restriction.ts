import { Annotations, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  allowedCount, cloudFormationExecutionRoleArn, describeBucket, networkDenyConditions, NetworkDenyParts, networkDenySid,
  principalArnsOf,
} from './lockout-safe-deny';
import { validateAccountId, validateOrganizationId, validatePrincipalArn, validateResourceId } from './validation';
import { constructError } from '../private/errors';
import { stacksReferencedBy } from '../private/references';


/**
 * The one lockout-safe Deny of a bucket's policy that limits where requests may come from: through any of the allowed
 * S3 endpoints (`aws:SourceVpce`), from any of the allowed VPCs (`aws:SourceVpc`), or through any VPC endpoint owned by
 * an allowed organization (`aws:VpceOrgID`) or account (`aws:VpceAccount`).
 *
 * The restriction belongs to the bucket, not to whoever adds to it: every `S3PrivateAccess` that lists the bucket, every
 * `BucketOwnerPolicy.applyTo` and your own calls add their endpoints, VPCs and exemptions to the same statement, so a
 * request through any of them passes, whichever construct or stack added it. Two restrictions with one endpoint each
 * would deny every request, since each would deny what comes through the other.
 *
 * The Deny always exempts the CloudFormation execution role of the bucket's stack (when the synthesizer names one),
 * CDK's auto-delete-objects provider when the bucket uses `autoDeleteObjects`, AWS service principals
 * (`aws:PrincipalIsAWSService`) and requests that AWS services make on a principal's behalf (`aws:ViaAWSService`).
 *
 * Endpoint and VPC ids may be tokens of another stack of the app (CDK then exports and imports them); the bucket's
 * stack then deploys after theirs.
 *
 * @example
 * declare const bucket: s3.Bucket;
 * BucketEndpointRestriction.of(bucket)
 *   .allowEndpoint('vpce-0123456789abcdef0')
 *   .exempt('arn:aws:iam::111122223333:role/storage-admin');
 */
export class BucketEndpointRestriction extends Construct {
  /** The construct id of a bucket's restriction, a child of the bucket. */
  public static readonly CONSTRUCT_ID = 'S3EndpointRestriction';

  /**
   * The restriction of a bucket defined in this app, created with the bucket's first restriction.
   *
   * Throws for an imported bucket, whose policy this app cannot change: the bucket owner applies the restriction
   * (`BucketOwnerPolicy.document()`).
   *
   * @param bucket a bucket defined in this app
   */
  public static of(bucket: IBucket): BucketEndpointRestriction {
    const restriction = BucketEndpointRestriction._tryOf(bucket);
    if (!restriction) {
      throw constructError(`bucket ${describeBucket(bucket)} is imported, so this app cannot change its bucket policy: ` +
        'restrict it in the stack that defines it, or have its owner apply BucketOwnerPolicy.document()', bucket);
    }
    return restriction;
  }

  /**
   * The restriction of `bucket`, or undefined when the bucket is imported.
   *
   * @internal
   */
  public static _tryOf(bucket: IBucket): BucketEndpointRestriction | undefined {
    const existing = bucket.node.tryFindChild(BucketEndpointRestriction.CONSTRUCT_ID);
    if (existing instanceof BucketEndpointRestriction) {
      return existing;
    }
    const restriction = new BucketEndpointRestriction(bucket);
    if (!bucket.addToResourcePolicy(restriction.statement).statementAdded) {
      bucket.node.tryRemoveChild(BucketEndpointRestriction.CONSTRUCT_ID);
      return undefined;
    }
    return restriction;
  }

  /** The bucket whose policy carries the Deny. */
  public readonly bucket: IBucket;

  /** The Deny statement in the bucket's policy; its conditions list what is allowed when the template is written. */
  public readonly statement: iam.PolicyStatement;

  private readonly endpoints: string[] = [];
  private readonly vpcs: string[] = [];
  private readonly organizations: string[] = [];
  private readonly accounts: string[] = [];
  private readonly exemptions: string[] = [];
  private readonly referencedStacks = new Set<Stack>();

  private constructor(bucket: IBucket) {
    super(bucket, BucketEndpointRestriction.CONSTRUCT_ID);
    this.bucket = bucket;
    const stack = Stack.of(bucket);
    const deployRole = cloudFormationExecutionRoleArn(stack);
    if (deployRole === undefined) {
      Annotations.of(this).addWarningV2('cdk-s3-private-access:noDeployRoleExemption',
        `the stack of bucket ${describeBucket(bucket)} does not deploy with a CloudFormation execution role this library ` +
        'can name, so the bucket policy Deny does not exempt the deploying principal: exempt it with ' +
        'BucketEndpointRestriction.of(bucket).exempt(arn) (or exemptPrincipalArns), or deploy with the DefaultStackSynthesizer');
    } else {
      this.exemptions.push(deployRole);
    }
    this.exemptions.push(...autoDeleteRoleArns(stack, bucket));

    this.statement = new iam.PolicyStatement({
      sid: Lazy.string({ produce: () => networkDenySid(this.endpoints, this.vpcs) }),
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: networkDenyConditions(() => this.parts()),
    });
    this.node.addValidation({
      validate: () => allowedCount(this.parts()) > 0 ? [] : [
        `the endpoint restriction of bucket ${describeBucket(bucket)} allows no endpoint and no vpc, so its Deny would ` +
        'deny every request: call allowEndpoint(id) or allowVpc(id) (or allowOrganization(id), allowAccount(id)) on ' +
        'BucketEndpointRestriction.of(bucket)',
      ],
    });
  }

  /** The S3 gateway endpoint ids (`vpce-…`) whose requests pass the Deny. */
  public get endpointIds(): string[] {
    return [...this.endpoints];
  }

  /** The VPC ids (`vpc-…`) whose requests pass the Deny. */
  public get vpcIds(): string[] {
    return [...this.vpcs];
  }

  /** The organization ids (`o-…`) whose VPC endpoints' requests pass the Deny. */
  public get organizationIds(): string[] {
    return [...this.organizations];
  }

  /** The account ids whose VPC endpoints' requests pass the Deny. */
  public get endpointAccountIds(): string[] {
    return [...this.accounts];
  }

  /** The ARNs of the principals the Deny exempts. */
  public get exemptPrincipalArns(): string[] {
    return [...this.exemptions];
  }

  /**
   * Let requests through an S3 gateway endpoint pass the Deny.
   *
   * @param endpointId the endpoint's id (`vpce-…`), a literal or a token such as `endpoint.vpcEndpointId`
   * @returns this restriction
   */
  public allowEndpoint(endpointId: string): BucketEndpointRestriction {
    validateResourceId(endpointId, 'vpce', 'endpoint id', this);
    this.add(this.endpoints, endpointId);
    return this;
  }

  /**
   * Let requests from a VPC (through any of its S3 endpoints) pass the Deny.
   *
   * @param vpcId the VPC's id (`vpc-…`), a literal or a token such as `vpc.vpcId`
   * @returns this restriction
   */
  public allowVpc(vpcId: string): BucketEndpointRestriction {
    validateResourceId(vpcId, 'vpc', 'vpc id', this);
    this.add(this.vpcs, vpcId);
    return this;
  }

  /**
   * Let requests through any VPC endpoint owned by an account of an organization pass the Deny (`aws:VpceOrgID`).
   *
   * @param organizationId the organization's id (`o-…`), a literal or a token
   * @returns this restriction
   */
  public allowOrganization(organizationId: string): BucketEndpointRestriction {
    validateOrganizationId(organizationId, 'organization id', this);
    this.add(this.organizations, organizationId);
    return this;
  }

  /**
   * Let requests through any VPC endpoint owned by an account pass the Deny (`aws:VpceAccount`).
   *
   * @param accountId the 12-digit account id, a literal or a token
   * @returns this restriction
   */
  public allowAccount(accountId: string): BucketEndpointRestriction {
    validateAccountId(accountId, 'endpoint account id', this);
    this.add(this.accounts, accountId);
    return this;
  }

  /**
   * Exempt a principal from the Deny, so it keeps access from anywhere (an administrator, a CI role). `*` may
   * appear in the name part only (`arn:aws:iam::111122223333:role/admin-*`).
   *
   * @param principalArn the ARN of an IAM role or user
   * @returns this restriction
   */
  public exempt(principalArn: string): BucketEndpointRestriction {
    validatePrincipalArn(principalArn, 'exempt principal', true, this);
    this.add(this.exemptions, principalArn);
    return this;
  }

  /**
   * Exempt the IAM roles, users or accounts a principal stands for. Service principals need no exemption (AWS
   * services are exempt already) and are refused, as are principals with conditions.
   *
   * @param principal a role, a user, or `AccountPrincipal`
   * @returns this restriction
   */
  public exemptPrincipal(principal: iam.IPrincipal): BucketEndpointRestriction {
    principalArnsOf(principal).forEach((arn) => this.exempt(arn));
    return this;
  }

  /**
   * The other stacks whose resources the Deny names (an endpoint, a VPC or a role defined there): the bucket's stack
   * depends on them, so they cannot refer to the bucket in turn.
   *
   * @internal
   */
  public _stacksReferenced(): Stack[] {
    return [...this.referencedStacks];
  }

  private parts(): NetworkDenyParts {
    return {
      endpointIds: this.endpoints,
      vpcIds: this.vpcs,
      organizationIds: this.organizations,
      endpointAccountIds: this.accounts,
      exemptPrincipalArns: this.exemptions,
    };
  }

  /** Adds a value unless it is there: the same literal, or the same token (a token's string is stable per value). */
  private add(list: string[], value: string): void {
    if (list.includes(value)) {
      return;
    }
    list.push(value);
    const own = Stack.of(this);
    stacksReferencedBy(value).filter((stack) => stack !== own).forEach((stack) => this.referencedStacks.add(stack));
  }
}


/**
 * The role of CDK's auto-delete-objects provider when the bucket uses `autoDeleteObjects`: a Lambda function outside
 * the VPC that must empty the bucket when the stack is deleted, so the Deny must not lock it out.
 */
function autoDeleteRoleArns(stack: Stack, bucket: IBucket): string[] {
  if (bucket.node.tryFindChild('AutoDeleteObjectsCustomResource') === undefined) {
    return [];
  }
  // duck-typed, not instanceof: two copies of aws-cdk-lib in one app must not hide the provider
  const provider = stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider') as { roleArn?: unknown } | undefined;
  return typeof provider?.roleArn === 'string' ? [provider.roleArn] : [];
}
