import { validateAccountId, validateOrganizationId } from './validation';

/**
 * The kinds of `BucketRestriction`.
 */
export enum BucketRestrictionMode {
  /** Requests must come through the construct's S3 endpoints (`aws:SourceVpce`). */
  ENDPOINT = 'endpoint',
  /** Requests must come from the construct's VPC (`aws:SourceVpc`). */
  VPC = 'vpc',
  /** Requests must come through a VPC endpoint owned by an account of the organization (`aws:VpceOrgID`). */
  ORGANIZATION = 'organization',
  /** Requests must come through a VPC endpoint owned by one of the accounts (`aws:VpceAccount`). */
  ACCOUNTS = 'accounts',
  /** No restricting statement. */
  NONE = 'none',
}

/**
 * How a bucket policy limits where requests to a bucket may come from.
 *
 * Every restricting mode writes a lockout-safe Deny: the deploying CloudFormation execution role, named admin
 * principals, AWS service principals and requests that AWS services make on a principal's behalf stay exempt.
 */
export class BucketRestriction {
  /**
   * Deny requests that do not arrive through the construct's S3 endpoints (`aws:SourceVpce`): the gateway endpoint,
   * and the interface endpoint when `remoteAccess` adds one. The default.
   */
  public static toEndpoint(): BucketRestriction {
    return new BucketRestriction(BucketRestrictionMode.ENDPOINT);
  }

  /**
   * Deny requests that do not come from the VPC (`aws:SourceVpc`): any S3 endpoint of the VPC qualifies.
   */
  public static toVpc(): BucketRestriction {
    return new BucketRestriction(BucketRestrictionMode.VPC);
  }

  /**
   * Deny requests that do not come through a VPC endpoint owned by an account of the organization
   * (`aws:VpceOrgID`): every S3 endpoint of every account of the organization qualifies, so the bucket policy need
   * not list endpoint ids. Requests from the internet, or through endpoints of accounts outside the organization,
   * are denied.
   *
   * @param organizationId the organization's id (`o-…`), a literal or a token
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpceorgid
   */
  public static toOrganization(organizationId: string): BucketRestriction {
    validateOrganizationId(organizationId, 'toOrganization organization id');
    return new BucketRestriction(BucketRestrictionMode.ORGANIZATION, organizationId);
  }

  /**
   * Deny requests that do not come through a VPC endpoint owned by one of the accounts (`aws:VpceAccount`): every S3
   * endpoint of those accounts qualifies. The account of the construct's stack must be among them, or requests
   * through its own endpoint are denied (the construct throws when it can tell).
   *
   * @param accountIds the 12-digit ids of the accounts whose endpoints may reach the bucket; at least one
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpceaccount
   */
  public static toAccounts(accountIds: string[]): BucketRestriction {
    if (accountIds.length === 0) {
      throw new Error('toAccounts needs at least one account id: pass the accounts whose VPC endpoints ' +
        'may reach the bucket, or use BucketRestriction.toEndpoint()');
    }
    accountIds.forEach((id) => validateAccountId(id, 'toAccounts account id'));
    return new BucketRestriction(BucketRestrictionMode.ACCOUNTS, undefined, [...new Set(accountIds)]);
  }

  /**
   * Write no restricting statement: the bucket policy only carries grants, if any.
   */
  public static none(): BucketRestriction {
    return new BucketRestriction(BucketRestrictionMode.NONE);
  }

  /** What the restriction allows. */
  public readonly mode: BucketRestrictionMode;

  /**
   * The organization whose endpoints pass, for `BucketRestrictionMode.ORGANIZATION`.
   *
   * @default - undefined for the other modes
   */
  public readonly organizationId?: string;

  /**
   * The accounts whose endpoints pass, for `BucketRestrictionMode.ACCOUNTS`.
   *
   * @default - undefined for the other modes
   */
  public readonly accountIds?: string[];

  private constructor(mode: BucketRestrictionMode, organizationId?: string, accountIds?: string[]) {
    this.mode = mode;
    this.organizationId = organizationId;
    this.accountIds = accountIds;
  }
}
