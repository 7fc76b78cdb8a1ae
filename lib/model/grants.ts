/**
 * What S3 access policies of the app grant, per bucket: from a role's identity policies (Allow statements) or from a
 * bucket policy. Actions are expanded against the concrete S3 actions these checks care about, and resources are
 * mapped to the app's buckets (by their symbolic ARN, see `ValueResolver.symOfResource`) or to external bucket names.
 *
 * Conditions are not evaluated here (a conditioned Allow still counts as a grant: it is what the author meant to
 * give); rules that need a decision use the IAM evaluator on the documents.
 *
 * Internal: not exported from the package's index.
 */
import { listOf, unique } from './helpers';
import { actionMatches, hasUnresolved, matchText } from './iam/patterns';
import type { Model } from './model';
import { BucketNode, ModelResource, PolicySource, RoleNode, WorkloadNode } from './types';
import { s3ActionScope } from '../aws/s3-actions';

/** S3 actions that act on object ARNs (`arn:aws:s3:::bucket/key`). */
export const OBJECT_ACTIONS: readonly string[] = [
  's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject',
  's3:AbortMultipartUpload', 's3:ListMultipartUploadParts',
];

/** S3 actions that act on the bucket ARN (`arn:aws:s3:::bucket`). */
export const BUCKET_ACTIONS: readonly string[] = ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'];

/**
 * Actions a grant surely means, even through a wildcard: a grant that covers `s3:GetObject` (`s3:GetObject*`) is
 * there to read, one that covers `s3:PutObject` to write. Others (ListBucket, DeleteObject, tagging...) count as used
 * only when named literally: aws-cdk-lib's grantRead and grantWrite reach `s3:List*` and `s3:DeleteObject*` for
 * workloads that may never list or delete.
 */
const CORE_ACTIONS = new Set(['s3:GetObject', 's3:PutObject']);

/** Actions judged even through a wildcard (as warnings when not core): what workloads commonly call. */
const COMMON_ACTIONS = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket']);

/** Every concrete action the checks reason about. */
export const S3_ACTIONS: readonly string[] = [...OBJECT_ACTIONS, ...BUCKET_ACTIONS];

const S3_ACTION_SET = new Set(S3_ACTIONS);

/** A bucket that a policy resource names: one of the app, or an external one known by name only. */
export interface GrantedBucket {
  /** Stable key: the bucket resource's key, or `external:<name>`. */
  readonly key: string;
  /** The bucket's symbolic name (literal `BucketName`, `{{<key>}}` for a generated one, or the external name). */
  readonly name: string;
  /** The bucket resource when it is in the app. */
  readonly node?: BucketNode;
  /** The account the bucket is in, when known (its stack's account, or read from the external name / conditions). */
  readonly account?: string;
}

/** One (action, resource) pair a statement allows on one bucket. */
export interface GrantEntry {
  /** A concrete action: one of {@link S3_ACTIONS}, or another S3 action the statement names literally. */
  readonly action: string;
  /** Whether the statement names the action literally (not through a wildcard or NotAction). */
  readonly explicit: boolean;
  /**
   * Whether the action is one the checks judge as used by the grantee: GetObject or PutObject (even through a
   * wildcard), or an action of {@link S3_ACTIONS} named literally (ListBucket, DeleteObject...). Other granted actions
   * (`s3:DeleteObject*` through a wildcard, `s3:PutObjectTagging` named by aws-cdk-lib's `grantWrite`) may never be
   * called: rules judge them as warnings.
   */
  readonly core: boolean;
  /** A concrete ARN inside what the entry grants (the bucket ARN, or an object ARN its pattern covers). */
  readonly probe?: string;
  /** `bucket` when the resource is the bucket ARN, `object` when it is `bucket/<key pattern>`. */
  readonly on: 'bucket' | 'object';
  /** The resource pattern as written (symbolic), e.g. `arn:aws:s3:::{{Stack/Bucket}}/*`. */
  readonly pattern: string;
  /** Whether the pattern names no bucket in particular (`*`, `arn:aws:s3:::*`). */
  readonly broad: boolean;
  readonly source: PolicySource;
  /** Whether the statement has a `Condition` block. */
  readonly conditional: boolean;
}

/** What one policy holder (a role, or a bucket policy) is allowed on one bucket. */
export interface BucketGrant {
  readonly bucket: GrantedBucket;
  readonly entries: GrantEntry[];
}

/** A role's S3 grants, by bucket key. */
export interface RoleGrants {
  readonly role: RoleNode;
  readonly byBucket: Map<string, BucketGrant>;
  /** Grants whose resource could not be read (`{{?}}`: a parameter, an import outside the app). */
  readonly unresolved: UnresolvedGrant[];
}

/** An Allow statement's S3 actions on a resource the model could not resolve. */
export interface UnresolvedGrant {
  readonly pattern: string;
  readonly actions: CoveredAction[];
  readonly source: PolicySource;
}

/** An action a statement covers, with whether it names it literally. */
export interface CoveredAction {
  readonly action: string;
  readonly explicit: boolean;
}

/** Expansions of `Action` / `NotAction` lists: apps repeat the same few lists (CDK's grants) in every policy. */
const EXPANDED = new Map<string, CoveredAction[]>();

/**
 * The concrete actions of {@link S3_ACTIONS} a statement's `Action` (or `NotAction`) covers, with whether each is named
 * literally. The result is shared between statements with the same list: do not modify it.
 */
export function expandActions(stmt: any): CoveredAction[] {
  const element = stmt?.Action !== undefined ? 'Action' : stmt?.NotAction !== undefined ? 'NotAction' : undefined;
  if (element === undefined) return [];
  const patterns = listOf(stmt[element]).filter((a): a is string => typeof a === 'string');
  const key = `${element}\u0000${patterns.join('\u0000')}`;
  let out = EXPANDED.get(key);
  if (!out) {
    out = element === 'Action' ? expandAllowed(patterns) : expandNot(patterns);
    if (EXPANDED.size > 5000) EXPANDED.clear();
    EXPANDED.set(key, out);
  }
  return out;
}

function expandAllowed(patterns: string[]): CoveredAction[] {
  const out: CoveredAction[] = [];
  for (const action of S3_ACTIONS) {
    const matching = patterns.filter(p => actionMatches(p, action));
    if (matching.length > 0) out.push({ action, explicit: matching.some(p => p.toLowerCase() === action.toLowerCase()) });
  }
  // other S3 actions named literally (`s3:PutObjectTagging`), so a rule can judge every action a grant names
  const listed = new Set(S3_ACTIONS.map(a => a.toLowerCase()));
  for (const p of patterns) {
    if (/[*?]/.test(p) || listed.has(p.toLowerCase()) || s3ActionScope(p) === 'other') continue;
    if (!out.some(a => a.action.toLowerCase() === p.toLowerCase())) out.push({ action: p, explicit: true });
  }
  return out;
}

function expandNot(patterns: string[]): CoveredAction[] {
  return S3_ACTIONS.filter(a => !patterns.some(p => actionMatches(p, a))).map(action => ({ action, explicit: false }));
}

/** Splits an S3 ARN (or `*`) into bucket and key parts; undefined when it is not an S3 resource. */
export function parseS3Arn(pattern: string): { bucket: string; key?: string } | undefined {
  if (pattern === '*') return { bucket: '*', key: '*' };
  // an env-agnostic stack leaves the partition symbolic
  const match = /^arn:(?:[^:{]+|\{\{AWS::Partition\}\}):s3:::(.*)$/s.exec(pattern);
  if (!match) return undefined;
  // a symbolic bucket name (`{{Stack/Bucket1234}}`) holds a `/` of its own
  const symbolic = /^\{\{[^{}]*\}\}/.exec(match[1]);
  const slash = match[1].indexOf('/', symbolic ? symbolic[0].length : 0);
  return slash < 0 ? { bucket: match[1] } : { bucket: match[1].slice(0, slash), key: match[1].slice(slash + 1) };
}

/** A 12-digit account id carried in a bucket name (e.g. `cdk-hnb659fds-assets-222222222222-eu-west-1`). */
export function accountInName(name: string): string | undefined {
  return /(?:^|[^0-9])(\d{12})(?:[^0-9]|$)/.exec(name)?.[1];
}

/**
 * Reads S3 grants from policy documents and maps them to buckets. Build one per model run; lookups are maps.
 */
export class GrantIndex {
  /** The model's index, built on first use and shared by every rule of the run (a model is immutable). */
  static of(m: Model): GrantIndex {
    return m.derive('grants', () => new GrantIndex(m));
  }

  private readonly bucketsByName = new Map<string, BucketNode>();
  private readonly roleGrants = new Map<string, RoleGrants>();

  constructor(private readonly m: Model) {
    for (const b of m.buckets) this.bucketsByName.set(this.nameOf(b), b);
  }

  /** The symbolic name of a bucket of the app, as it appears in symbolic ARNs. */
  nameOf(b: BucketNode): string {
    return this.m.values.symOfResource(b.res);
  }

  /** The S3 grants of a role's identity policies (Allow statements), cached per role. */
  ofRole(role: RoleNode): RoleGrants {
    const cached = this.roleGrants.get(role.res.key);
    if (cached) return cached;
    const byBucket = new Map<string, BucketGrant>();
    const unresolved: UnresolvedGrant[] = [];
    for (const source of role.policies) this.collect(source, undefined, byBucket, unresolved);
    const out: RoleGrants = { role, byBucket, unresolved };
    this.roleGrants.set(role.res.key, out);
    return out;
  }

  /**
   * The Allow grants of a bucket policy on its bucket (statements whose resources name another bucket are ignored).
   * Principals are not read here.
   */
  ofBucketPolicy(source: PolicySource, bucket: GrantedBucket): BucketGrant {
    const byBucket = new Map<string, BucketGrant>();
    this.collect(source, bucket, byBucket, []);
    return byBucket.get(bucket.key) ?? { bucket, entries: [] };
  }

  /** A bucket of the app as a {@link GrantedBucket}. */
  appBucket(b: BucketNode): GrantedBucket {
    return { key: b.res.key, name: this.nameOf(b), node: b, account: b.res.stack.account };
  }

  /** Each Allow statement of a document, with the model's symbolic form applied. */
  allowStatements(source: PolicySource): any[] {
    const doc = this.m.symDoc(source.res, source.document);
    return listOf(doc?.Statement).filter(s => s && typeof s === 'object' && s.Effect === 'Allow');
  }

  private collect(source: PolicySource, only: GrantedBucket | undefined, byBucket: Map<string, BucketGrant>, unresolved: UnresolvedGrant[]): void {
    for (const stmt of this.allowStatements(source)) {
      const actions = expandActions(stmt);
      if (actions.length === 0) continue;
      const conditional = stmt.Condition !== undefined && Object.keys(stmt.Condition ?? {}).length > 0;
      const conditionAccount = resourceAccountCondition(stmt.Condition);
      for (const raw of listOf(stmt.Resource)) {
        if (typeof raw !== 'string') continue;
        const arn = parseS3Arn(raw);
        if (!arn || hasUnresolved(arn.bucket)) {
          // a whole unresolved value (a parameter, an import) may name a bucket; another service's ARN does not
          if (arn || /^\{\{[^/]*\}\}$/.test(raw)) unresolved.push({ pattern: raw, actions, source });
          continue;
        }
        const broad = /^[*?]*$/.test(arn.bucket);
        const targets = only ? [only] : this.bucketsMatching(arn, conditionAccount);
        for (const bucket of targets) {
          const coverage = coverageOf(raw, bucket.name);
          if (!coverage.bucket && !coverage.object) continue;
          let grant = byBucket.get(bucket.key);
          if (!grant) {
            grant = { bucket, entries: [] };
            byBucket.set(bucket.key, grant);
          }
          for (const a of actions) {
            const core = CORE_ACTIONS.has(a.action) || (a.explicit && S3_ACTION_SET.has(a.action));
            const base = { ...a, core, pattern: raw, broad, source, conditional };
            if (coverage.bucket) grant.entries.push({ ...base, on: 'bucket', probe: coverage.bucket });
            if (coverage.object) grant.entries.push({ ...base, on: 'object', probe: coverage.object });
          }
        }
      }
    }
  }

  /** The buckets a resource pattern may name: the app's buckets it matches, or one external bucket by literal name. */
  private bucketsMatching(arn: { bucket: string; key?: string }, conditionAccount: string | undefined): GrantedBucket[] {
    if (!/[*?]/.test(arn.bucket)) {
      const b = this.bucketsByName.get(arn.bucket);
      if (b) return [this.appBucket(b)];
      if (arn.bucket.includes('{{')) return [];
      const account = conditionAccount ?? accountInName(arn.bucket);
      return [{ key: `external:${arn.bucket}`, name: arn.bucket, account }];
    }
    return [...this.bucketsByName.values()].map(b => this.appBucket(b));
  }
}

/** What a resource pattern covers of one bucket: a bucket ARN and an object ARN inside it, each when it matches one. */
interface Coverage {
  readonly bucket?: string;
  readonly object?: string;
}

/**
 * The one resource matcher of the grant index: whether a resource pattern (`arn:aws:s3:::name`, `name/*`,
 * `prefix*`, `*`) covers the bucket's ARN, and an object ARN inside the bucket, with IAM's semantics (`*` and `?`
 * match across `/`, so `arn:aws:s3:::prefix*` covers the objects of every bucket whose name starts with `prefix`).
 * Each answer is a concrete ARN the pattern matches, for evaluating other policies with.
 */
export function coverageOf(pattern: string, bucketName: string): Coverage {
  const key = `${pattern}\u0000${bucketName}`;
  let out = COVERAGE.get(key);
  if (!out) {
    out = coverageUncached(pattern, bucketName);
    if (COVERAGE.size > 20000) COVERAGE.clear();
    COVERAGE.set(key, out);
  }
  return out;
}

/** {@link coverageOf}'s answers (a pure function of the two texts): every role granted the same bucket asks again. */
const COVERAGE = new Map<string, Coverage>();

function coverageUncached(pattern: string, bucketName: string): Coverage {
  const base = `arn:aws:s3:::${bucketName}`;
  if (pattern === '*') return { bucket: base, object: `${base}/s3pa-probe` };
  const arn = parseS3Arn(pattern);
  if (!arn) return {};
  const resource = pattern.slice(pattern.indexOf(':s3:::') + ':s3:::'.length);
  const covers = (candidate: string) => matchText(resource, candidate, { wildcards: true }) === true;
  const out: { bucket?: string; object?: string } = {};
  if (covers(bucketName)) out.bucket = base;
  // an object key that the pattern's key part (or, without a `/`, its tail after the first wildcard) accepts
  const wildcard = resource.search(/[*?]/);
  const tail = arn.key !== undefined ? arn.key : wildcard >= 0 ? resource.slice(wildcard + 1) : undefined;
  if (tail !== undefined && !hasUnresolved(tail)) {
    for (const key of [fill(tail), `s3pa-probe${fill(tail)}`, 's3pa-probe']) {
      if (key !== '' && covers(`${bucketName}/${key}`)) {
        out.object = `${base}/${key}`;
        break;
      }
    }
  }
  return out;
}

/** A pattern's literal form: `*` becomes `s3pa-probe`, `?` becomes `x`. */
function fill(pattern: string): string {
  return pattern.replace(/\*+/g, 's3pa-probe').replace(/\?/g, 'x');
}

/** A literal `s3:ResourceAccount` / `aws:ResourceAccount` equality condition, when a statement has one. */
function resourceAccountCondition(condition: any): string | undefined {
  if (!condition || typeof condition !== 'object') return undefined;
  for (const op of ['StringEquals', 'StringLike']) {
    const block = condition[op];
    if (!block || typeof block !== 'object') continue;
    for (const [key, value] of Object.entries(block)) {
      if (!/^(s3|aws):ResourceAccount$/i.test(key)) continue;
      const values = listOf(value).filter((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
      if (values.length === 1) return values[0];
    }
  }
  return undefined;
}

/** The roles a workload's code runs as, each once. */
export function workloadRoles(w: WorkloadNode): RoleNode[] {
  const seen = new Set<string>();
  return w.roles.filter(r => !seen.has(r.res.key) && !!seen.add(r.res.key));
}

/** For each role that some workload runs as: the workloads. */
export function workloadsByRole(m: Model): Map<string, { role: RoleNode; workloads: WorkloadNode[] }> {
  const out = new Map<string, { role: RoleNode; workloads: WorkloadNode[] }>();
  for (const w of m.workloads) {
    for (const role of workloadRoles(w)) {
      const entry = out.get(role.res.key) ?? { role, workloads: [] };
      entry.workloads.push(w);
      out.set(role.res.key, entry);
    }
  }
  return out;
}


/** The resources named in a list of grant entries, for messages. */
export function patternsOf(entries: GrantEntry[]): string[] {
  return unique(entries.map(e => e.pattern));
}

/** The resource holding each entry, distinct. */
export function sourcesOf(entries: GrantEntry[]): ModelResource[] {
  const seen = new Map<string, ModelResource>();
  for (const e of entries) seen.set(e.source.res.key, e.source.res);
  return [...seen.values()];
}


/**
 * The entries of a grant worth judging against another policy: those naming a bucket (not `*`), whose action is
 * named literally or is one of the actions workloads commonly call (GetObject, PutObject, DeleteObject, ListBucket),
 * so `s3:GetObject*` is judged on `s3:GetObject` and not on the rarely used `s3:GetObjectVersion`. Actions on the
 * wrong resource type (an object action on the bucket ARN) never apply and are left to S3PA-ListBucketArn. See
 * {@link GrantEntry.core} for which of them are surely used.
 */
export function judgedEntries(grant: BucketGrant): GrantEntry[] {
  return grant.entries.filter(e => !e.broad && (e.explicit || COMMON_ACTIONS.has(e.action)) && e.on === s3ActionScope(e.action));
}

/**
 * The ARNs a role may be named by in policies of the app: its symbolic `{{<key>.Arn}}` and, when its `RoleName` is a
 * literal and its stack's account known, `arn:aws:iam::<account>:role<path><name>`.
 */
export function roleArns(m: Model, role: RoleNode): string[] {
  const out = [m.values.symOfResource(role.res, 'Arn')];
  const name = role.res.props.RoleName === undefined ? undefined : m.str(role.res, role.res.props.RoleName);
  const path = role.res.props.Path === undefined ? '/' : m.str(role.res, role.res.props.Path);
  const account = role.res.stack.account;
  if (typeof name === 'string' && typeof path === 'string' && account) {
    out.push(`arn:${role.res.stack.partition}:iam::${account}:role${path}${name}`);
  }
  return out;
}
