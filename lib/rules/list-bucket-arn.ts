import type { Reporter, Rule } from './rule';
import { s3ActionScope } from '../aws/s3-actions';
import { BucketGrant, GrantIndex, parseS3Arn, patternsOf, sourcesOf } from '../model/grants';
import type { Model } from '../model/model';
import { listText } from '../model/s3-reach';
import { isUnknown, RoleNode } from '../model/types';

/**
 * S3PA-ListBucketArn: a bucket-level action (`s3:ListBucket`) granted only on object ARNs, or an object action
 * (`s3:GetObject`, `s3:PutObject`, `s3:DeleteObject`...) granted only on the bucket ARN. Such a statement never matches
 * the request's resource, so the call gets 403.
 *
 * Only actions named literally count as the fault: `s3:Get*` on the bucket ARN alone is a common way of granting
 * `s3:GetBucketLocation` and is not a mistake for `s3:GetObject`.
 */
export const listBucketArn: Rule = {
  id: 'S3PA-ListBucketArn',
  level: 'error',
  symptom: 'Listing a bucket gets 403, and reading a missing key gets 403 instead of 404; or object reads and writes get 403.',
  description: 'An identity policy or bucket policy grants s3:ListBucket (a bucket-level action) only on the object '
    + 'ARN `arn:aws:s3:::bucket/*`, or grants object actions (s3:GetObject, s3:PutObject, s3:DeleteObject...) only on '
    + 'the bucket ARN `arn:aws:s3:::bucket` with no `/…` key part. S3 authorises bucket actions against the bucket ARN '
    + 'and object actions against object ARNs, so such a statement never applies.',
  fix: 'split the statements: s3:ListBucket (and other bucket actions) on `arn:aws:s3:::bucket`, object actions on '
    + '`arn:aws:s3:::bucket/*` (or a key prefix)',
  appliesWhen: 'A policy grants a judged S3 action only on the wrong resource type (s3:ListBucket only on bucket/*, or an object '
    + 'action only on the bucket ARN): the grant never applies and the requests get 403 (error). Other S3 actions named '
    + 'literally (s3:PutObjectTagging) give a warning: they may never be called.',
  guard: 'Wildcard actions (s3:Get* on the bucket ARN) are not judged, and a resource pattern such as arn:aws:s3:::name* covers '
    + 'both the bucket and its objects (IAM\'s * matches across /).',
  hops: ['identity-policy'],
  check(m: Model, report: Reporter): void {
    const grants = GrantIndex.of(m);
    for (const role of m.roles) {
      const rg = grants.ofRole(role);
      for (const grant of rg.byBucket.values()) judge(report, `role ${role.res.path}`, grant, role);
      for (const u of rg.unresolved) {
        // `arn:…:s3:::{{x}}/*` is an object ARN and `arn:…:s3:::{{x}}` a bucket ARN whatever the bucket: only the
        // actions on the other type are in question (another statement may name the same bucket right)
        const arn = parseS3Arn(u.pattern);
        const scope = !arn ? undefined : arn.key !== undefined ? 'object' : /[*?]/.test(arn.bucket) ? undefined : 'bucket';
        const named = u.actions.filter(a => a.explicit && (scope === undefined || s3ActionScope(a.action) !== scope)).map(a => a.action);
        if (named.length === 0) continue;
        report.cannotJudge(u.source.res, `whether resource ${u.pattern} of role ${role.res.path}'s policy is the bucket ARN `
          + `or an object ARN, as ${listText(named)} need${named.length === 1 ? 's' : ''}`);
      }
    }
    for (const bp of m.bucketPolicies) {
      if (isUnknown(bp.bucket)) continue;
      const bucket = 'res' in bp.bucket ? grants.appBucket(bp.bucket) : { key: `external:${bp.bucket.name}`, name: bp.bucket.name };
      judge(report, `bucket policy ${bp.res.path}`, grants.ofBucketPolicy({ res: bp.res, document: bp.document }, bucket));
    }
  },
};

function judge(report: Reporter, holder: string, grant: BucketGrant, role?: RoleNode): void {
  const bucketName = grant.bucket.node ? grant.bucket.node.res.path : grant.bucket.name;
  const byAction = new Map<string, { bucket: boolean; object: boolean; explicit: typeof grant.entries }>();
  for (const e of grant.entries) {
    const state = byAction.get(e.action) ?? { bucket: false, object: false, explicit: [] };
    state[e.on] = true;
    if (e.explicit) state.explicit.push(e);
    byAction.set(e.action, state);
  }
  for (const [action, state] of byAction) {
    if (state.explicit.length === 0) continue;
    const isBucketAction = s3ActionScope(action) === 'bucket';
    const wrongOnly = isBucketAction ? state.object && !state.bucket : state.bucket && !state.object;
    if (!wrongOnly) continue;
    const patterns = listText(patternsOf(state.explicit));
    const core = state.explicit.some(e => e.core);
    const subjects = { buckets: [grant.bucket.key], actions: [action], ...(role ? { roles: [role.res.key] } : {}) };
    for (const res of sourcesOf(state.explicit)) {
      report.failIf(core, res, isBucketAction
        ? `${holder} grants ${action} on bucket ${bucketName} only on object ARN ${patterns}: ${action} is authorised `
          + `against the bucket ARN arn:aws:s3:::${grant.bucket.name}, so the grant never applies`
        : `${holder} grants ${action} on bucket ${bucketName} only on the bucket ARN ${patterns}: ${action} is `
          + `authorised against object ARNs (arn:aws:s3:::${grant.bucket.name}/*), so the grant never applies`, { subjects });
    }
  }
}
