import { listOf } from './helpers';
import type { Model } from './model';
import { BucketNode, ExternalBucketRef, isUnknown, ModelResource } from './types';

/**
 * Reading policy documents the way the condition-value rules need: every policy of the app (bucket, identity and
 * KMS key policies), their statements, and their condition entries with keys compared case-insensitively (IAM
 * condition keys are case-insensitive; operators are not).
 */

/** Where a policy document applies. */
export type PolicyKind = 'bucket' | 'identity' | 'key';

export interface PolicyDoc {
  /** The resource that holds the document. */
  readonly res: ModelResource;
  readonly document: any;
  readonly kind: PolicyKind;
  /** For bucket policies: the bucket it targets, when known. */
  readonly bucket?: BucketNode | ExternalBucketRef;
}

/** Identity policy holders: the resource type and where its documents are. */
const IDENTITY_TYPES: Array<[string, (props: any) => any[]]> = [
  ['AWS::IAM::Policy', p => [p.PolicyDocument]],
  ['AWS::IAM::ManagedPolicy', p => [p.PolicyDocument]],
  ['AWS::IAM::RolePolicy', p => [p.PolicyDocument]],
  ['AWS::IAM::UserPolicy', p => [p.PolicyDocument]],
  ['AWS::IAM::GroupPolicy', p => [p.PolicyDocument]],
  ['AWS::IAM::Role', p => listOf(p.Policies).map(x => x?.PolicyDocument)],
  ['AWS::IAM::User', p => listOf(p.Policies).map(x => x?.PolicyDocument)],
  ['AWS::IAM::Group', p => listOf(p.Policies).map(x => x?.PolicyDocument)],
];

/** Every policy document of the app, each once. */
export function policyDocuments(m: Model, kinds: readonly PolicyKind[] = ['bucket', 'identity', 'key']): PolicyDoc[] {
  const out: PolicyDoc[] = [];
  if (kinds.includes('bucket')) {
    for (const p of m.bucketPolicies) {
      out.push({ res: p.res, document: p.document, kind: 'bucket', bucket: isUnknown(p.bucket) ? undefined : p.bucket });
    }
  }
  if (kinds.includes('identity')) {
    for (const [type, docs] of IDENTITY_TYPES) {
      for (const res of m.ofType(type)) {
        for (const document of docs(res.props)) {
          if (document !== undefined && document !== null) out.push({ res, document, kind: 'identity' });
        }
      }
    }
  }
  if (kinds.includes('key')) {
    for (const k of m.kmsKeys) if (k.keyPolicy) out.push({ res: k.res, document: k.keyPolicy, kind: 'key' });
  }
  return out;
}

/** The statements of a document (a single statement object counts as a list of one); non-objects are skipped. */
export function statementsOfDoc(doc: any): any[] {
  return listOf(doc?.Statement).filter(s => s !== null && typeof s === 'object' && !Array.isArray(s));
}

export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringNotEqualsIfExists`. */
  readonly operator: string;
  /** Without set prefix and `IfExists`, e.g. `StringNotEquals`. */
  readonly base: string;
  readonly ifExists: boolean;
  /** `ForAnyValue` / `ForAllValues`, when present. */
  readonly setOperator?: string;
  /** `StringNot…`, `ArnNot…`, `NotIpAddress`, `NumericNot…`. */
  readonly negated: boolean;
  /** The key as written. */
  readonly key: string;
  /** The key in lowercase, for comparisons. */
  readonly keyLower: string;
  /** The values (a single value becomes a list of one); still raw CloudFormation (intrinsics remain). */
  readonly values: any[];
}

/** The condition entries of a statement; an intrinsic in place of the Condition block gives none. */
export function conditionEntries(statement: any): ConditionEntry[] {
  const cond = statement?.Condition;
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return [];
  const out: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(cond)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
    let rest = operator;
    let setOperator: string | undefined;
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      setOperator = rest.slice(0, colon);
      rest = rest.slice(colon + 1);
    }
    const ifExists = rest.endsWith('IfExists');
    const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
    const negated = /^(StringNot|ArnNot|NotIpAddress|NumericNotEquals|DateNotEquals)/.test(base);
    for (const [key, value] of Object.entries(block as Record<string, any>)) {
      if (key.startsWith('Fn::') || key === 'Ref') continue;
      out.push({
        operator,
        base,
        ifExists,
        setOperator,
        negated,
        key,
        keyLower: key.toLowerCase(),
        values: Array.isArray(value) ? value : [value],
      });
    }
  }
  return out;
}

/** The condition entries of a statement on one key (`aws:SourceVpce`...), matched case-insensitively. */
export function entriesOn(statement: any, key: string): ConditionEntry[] {
  const lower = key.toLowerCase();
  return conditionEntries(statement).filter(e => e.keyLower === lower);
}

/** What a condition value is: a literal, a reference to a resource of the app, or something unresolved. */
export type ConditionValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'resource'; readonly target: ModelResource; readonly attribute?: string }
  | { readonly kind: 'unknown'; readonly what: string };

export function conditionValue(m: Model, from: ModelResource, value: any): ConditionValue {
  const target = m.target(from, value);
  if (target) return { kind: 'resource', target, attribute: m.values.attribute(value) };
  const s = m.str(from, value);
  return typeof s === 'string' ? { kind: 'literal', text: s } : { kind: 'unknown', what: s.what };
}

/** True when a statement may apply to S3 actions (`s3:…`, `*`, or `NotAction`). */
export function coversS3(statement: any): boolean {
  if (statement?.NotAction !== undefined) return true;
  return listOf(statement?.Action).some(a => typeof a !== 'string' || a === '*' || a.toLowerCase().startsWith('s3:'));
}

/** `Effect` in lowercase; CloudFormation accepts only `Allow`/`Deny`, anything else is treated as unknown. */
export function effectOf(statement: any): 'allow' | 'deny' | undefined {
  const e = typeof statement?.Effect === 'string' ? statement.Effect.toLowerCase() : undefined;
  return e === 'allow' || e === 'deny' ? e : undefined;
}

/** Whether a principal element is everyone: `"*"` or `{"AWS": "*"}` (also `["*"]` forms). */
export function isStarPrincipal(principal: any): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return false;
  return listOf(principal.AWS).includes('*');
}

/** Shortens a value for messages. */
export function shown(v: any): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/**
 * The condition keys of a principal or resource perimeter (data-perimeter guides): they hold the caller's or the
 * bucket's account and organization, which requests to AWS-owned buckets never match (AWS owns those buckets, and
 * AWS makes or presigns those requests).
 */
export const PERIMETER_KEYS: readonly string[] = [
  'aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:ResourceAccount', 'aws:ResourceOrgID',
  'aws:ResourceOrgPaths', 's3:ResourceAccount',
];

const PERIMETER_LOWER = new Set(PERIMETER_KEYS.map(k => k.toLowerCase()));

/** The perimeter keys ({@link PERIMETER_KEYS}) an Allow statement of a document conditions on, as written. */
export function perimeterKeysOfAllows(doc: any): string[] {
  const keys = new Set<string>();
  for (const st of statementsOfDoc(doc)) {
    if (effectOf(st) !== 'allow') continue;
    for (const e of conditionEntries(st)) if (PERIMETER_LOWER.has(e.keyLower)) keys.add(e.key);
  }
  return [...keys];
}

/**
 * The document with the perimeter conditions ({@link PERIMETER_KEYS}) taken off its Allow statements: what the policy
 * would allow without them. A new object; the given one is not changed.
 */
export function withoutPerimeterOnAllows(doc: any): any {
  if (doc === null || typeof doc !== 'object') return doc;
  const strip = (st: any) => {
    if (effectOf(st) !== 'allow' || st.Condition === null || typeof st.Condition !== 'object') return st;
    const cond: Record<string, any> = {};
    for (const [operator, block] of Object.entries(st.Condition)) {
      if (block === null || typeof block !== 'object' || Array.isArray(block)) {
        cond[operator] = block;
        continue;
      }
      const kept = Object.fromEntries(Object.entries(block as Record<string, any>).filter(([k]) => !PERIMETER_LOWER.has(k.toLowerCase())));
      if (Object.keys(kept).length > 0) cond[operator] = kept;
    }
    return { ...st, Condition: cond };
  };
  const statement = Array.isArray(doc.Statement) ? doc.Statement.map(strip) : strip(doc.Statement);
  return { ...doc, Statement: statement };
}

/**
 * Whether a document allows nothing: it has statements, every one of them a Deny (an endpoint policy without an
 * Allow denies every request). Undefined when its statements cannot be read (an intrinsic, an effect not resolved).
 */
export function onlyDenies(doc: any): boolean | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const raw = doc.Statement;
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object') return undefined;
  const statements = statementsOfDoc(doc);
  if (Array.isArray(raw) && statements.length !== raw.length) return undefined;
  const effects = statements.map(effectOf);
  if (effects.some(e => e === undefined)) return undefined;
  return statements.length > 0 && effects.every(e => e === 'deny');
}
