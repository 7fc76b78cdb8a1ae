import { GrantIndex, patternsOf, sourcesOf } from '../../model/grants';
import { listOf, listText } from '../../model/helpers';
import type { Model } from '../../model/model';
import { BucketNode, isUnknown, ModelResource, RoleNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/** Object ACLs S3 still accepts when ACLs are disabled. */
const OBJECT_ACLS_ACCEPTED = new Set(['bucket-owner-full-control']);
/** Bucket `AccessControl` values CloudFormation accepts when ACLs are disabled. */
const BUCKET_ACLS_ACCEPTED = new Set(['Private', 'BucketOwnerFullControl']);

/**
 * S3PA-AclDisabled: ACLs are disabled on a bucket (Object Ownership `BucketOwnerEnforced`, explicitly or as S3's
 * default for buckets created since April 2023 when `OwnershipControls` is absent), yet a role is granted
 * `s3:PutObjectAcl` on it, a `Custom::CDKBucketDeployment` writes objects with an ACL, or the bucket itself sets
 * `AccessControl`. Requests that set ACLs then fail with 400 AccessControlListNotSupported.
 *
 * Only `s3:PutObjectAcl` named literally counts: `s3:*` or `s3:Put*` does not show that the caller sets ACLs.
 */
export const aclDisabled: Rule = {
  id: 'S3PA-AclDisabled',
  level: 'warning',
  symptom: 'Uploads or deployments that set an ACL fail with 400 AccessControlListNotSupported.',
  description: 'A bucket with Object Ownership BucketOwnerEnforced (ACLs disabled; S3\'s default for new buckets when '
    + 'OwnershipControls is absent) while a role is granted s3:PutObjectAcl on it, a Custom::CDKBucketDeployment '
    + 'writes to it with an ACL (SystemMetadata acl), or the bucket sets AccessControl. With ACLs disabled S3 rejects '
    + 'every request that sets an ACL other than bucket-owner-full-control.',
  fix: 'drop ACL use: remove s3:PutObjectAcl grants and the deployment\'s accessControl (or the bucket\'s '
    + 'accessControl), and grant access through policies; only if ACLs are truly needed, set objectOwnership to '
    + 'OBJECT_WRITER or BUCKET_OWNER_PREFERRED',
  appliesWhen: 'ACLs are disabled on a bucket of the app (BucketOwnerEnforced, S3\'s default) while a grant, a deployment or the '
    + 'bucket itself sets ACLs: those requests get 400 (a warning: a grant may go unused).',
  guard: 'Only s3:PutObjectAcl named literally counts (s3:* or s3:Put* does not show that ACLs are set); bucket-owner-full-control is accepted; '
    + 'the grant aws-cdk-lib gives a CodePipeline connection source (GitHub, GitLab, Bitbucket) beside codestar-connections:UseConnection does not count.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    for (const b of m.buckets) {
      const acl = b.res.props.AccessControl === undefined ? undefined : m.str(b.res, b.res.props.AccessControl);
      if (acl === undefined || !aclsDisabled(b)) continue;
      if (isUnknown(acl)) {report.cannotJudge(b.res, `whether AccessControl ${acl.what} of bucket ${b.res.path} is accepted with ACLs disabled`);} else if (!BUCKET_ACLS_ACCEPTED.has(acl)) {
        report.fail(b.res, `bucket ${b.res.path} sets AccessControl ${acl} while ACLs are disabled (${ownershipText(b)})`);
      }
    }

    const grants = GrantIndex.of(m);
    for (const role of m.roles) {
      if (usesCodeConnection(grants, role)) continue;
      for (const grant of grants.ofRole(role).byBucket.values()) {
        const acls = grant.entries.filter(e => e.action === 's3:PutObjectAcl' && e.explicit && !e.broad);
        if (acls.length === 0) continue;
        const what = `role ${role.res.path} is granted s3:PutObjectAcl on ${listText(patternsOf(acls))}`;
        if (!grant.bucket.node) {
          for (const res of sourcesOf(acls)) {
            report.cannotJudge(res, `whether bucket ${grant.bucket.name} (not defined in the app) accepts ACLs: ${what}`);
          }
        } else if (aclsDisabled(grant.bucket.node)) {
          for (const res of sourcesOf(acls)) {
            report.fail(res, `${what}, but bucket ${grant.bucket.node.res.path} has ACLs disabled (${ownershipText(grant.bucket.node)})`);
          }
        }
      }
    }

    for (const d of m.ofType('Custom::CDKBucketDeployment')) checkDeployment(m, report, d);
  },
};

/** The action a CodePipeline source from GitHub, GitLab or Bitbucket (a CodeConnections connection) uses. */
const USE_CONNECTION = /^(codestar-connections|codeconnections):UseConnection$/i;

/**
 * Whether the role is a CodePipeline connection source action's: aws-cdk-lib grants it s3:PutObjectAcl on the
 * pipeline's artifact bucket along with the connection, and those pipelines run with artifact buckets that have ACLs
 * disabled (aws-cdk-lib sets no OwnershipControls on them), so the grant says nothing about a failing request.
 */
function usesCodeConnection(grants: GrantIndex, role: RoleNode): boolean {
  return role.policies.some(source => grants.allowStatements(source)
    .some(s => listOf(s.Action).some(a => typeof a === 'string' && USE_CONNECTION.test(a))));
}

function checkDeployment(m: Model, report: Reporter, d: ModelResource): void {
  const raw = d.props.SystemMetadata?.acl ?? d.props.SystemMetadata?.ACL ?? d.props.AccessControl;
  if (raw === undefined) return;
  const acl = m.str(d, raw);
  if (typeof acl === 'string' && OBJECT_ACLS_ACCEPTED.has(acl)) return;
  const aclText = typeof acl === 'string' ? acl : acl.what;
  const target = m.target(d, d.props.DestinationBucketName);
  const bucket = m.bucket(target) ?? m.bucketByName(m.str(d, d.props.DestinationBucketName) as string);
  if (!bucket) {
    const name = m.str(d, d.props.DestinationBucketName);
    report.cannotJudge(d, `whether destination bucket ${typeof name === 'string' ? name : name.what} of deployment `
      + `${d.path} accepts the ACL ${aclText}: the bucket is not defined in the app`);
    return;
  }
  if (!aclsDisabled(bucket)) return;
  if (isUnknown(acl)) {
    report.cannotJudge(d, `whether ACL ${aclText} set by deployment ${d.path} is accepted by bucket ${bucket.res.path}, which has ACLs disabled`);
    return;
  }
  report.fail(d, `deployment ${d.path} writes objects with ACL ${acl} to bucket ${bucket.res.path}, which has ACLs disabled (${ownershipText(bucket)})`);
}

/** ACLs are disabled when ownership is `BucketOwnerEnforced`, or when no `OwnershipControls` is set (S3's default). */
function aclsDisabled(b: BucketNode): boolean {
  return b.ownershipEnforced || b.res.props.OwnershipControls === undefined;
}

function ownershipText(b: BucketNode): string {
  return b.ownershipEnforced ? 'ObjectOwnership BucketOwnerEnforced'
    : 'no OwnershipControls: S3 applies BucketOwnerEnforced to new buckets';
}
