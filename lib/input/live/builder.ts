/**
 * Writes what `--live` read as synthetic CloudFormation templates that the model builder understands. Resources are
 * named by their AWS ids (sanitized to logical ids); references between them are written as markers and resolved
 * at the end: `{ Ref }` / `{ Fn::GetAtt }` when the target was emitted in the same stack, the literal id otherwise,
 * so a resource that could not be read is "outside the app" for the rules.
 *
 * Internal: not exported from the package's index.
 */
import { StackInfo } from '../../model/types';
import { partitionOf, StackTemplate } from '../../model/values';

const MARKER = Symbol('live-ref');

interface RefMarker {
  readonly [MARKER]: true;
  /** The AWS id (or key) of the target resource. */
  readonly id: string;
  /** `Fn::GetAtt` attribute, or undefined for `Ref`. */
  readonly attribute?: string;
  /** What to write when the target is not in the stack; defaults to the id. */
  readonly literal?: string;
}

/** Ids that condition values in policies may name and that the rules follow through references. */
const CONDITION_ID = /^(?:vpce|vpc)-[0-9a-f]{8,17}$/;

/** Logical ids: letters and digits only, unique within the stack. */
export function sanitizeLogicalId(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9]/g, '');
  return clean.length > 0 ? clean : 'Resource';
}

/** One synthetic stack: the resources of one account and region. */
export class LiveStackBuilder {
  private readonly resources: Record<string, { Type: string; Properties: Record<string, any> }> = {};
  private readonly paths: Record<string, string> = {};
  private readonly logicalIds = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(readonly id: string, readonly region: string, public account: string | undefined) {}

  /** Whether a resource with this AWS id was emitted. */
  has(awsId: string): boolean {
    return this.logicalIds.has(awsId);
  }

  /**
   * Adds a resource under a key that references name it (an AWS id such as `vpc-…`, or `s3://<bucket>`,
   * `role/<name>`). Its logical id is `logicalHint` (default: the key) sanitized and made unique; `path` is what
   * findings print.
   */
  add(awsId: string, type: string, properties: Record<string, any>, path: string, logicalHint = awsId): string {
    let logicalId = this.logicalIds.get(awsId);
    if (logicalId === undefined) {
      const base = sanitizeLogicalId(logicalHint);
      logicalId = base;
      for (let i = 2; this.used.has(logicalId); i++) logicalId = `${base}${i}`;
      this.used.add(logicalId);
      this.logicalIds.set(awsId, logicalId);
    }
    this.resources[logicalId] = { Type: type, Properties: properties };
    this.paths[logicalId] = path;
    return logicalId;
  }

  /** The stack's template with every marker resolved. */
  build(prefixListLookups: Record<string, string> | undefined): StackTemplate {
    const info: StackInfo = {
      id: this.id,
      region: this.region,
      account: this.account,
      partition: partitionOf(this.region),
      ...(prefixListLookups ? { prefixListLookups } : {}),
    };
    const Resources: Record<string, any> = {};
    for (const [logicalId, r] of Object.entries(this.resources)) {
      Resources[logicalId] = { Type: r.Type, Properties: this.resolve(r.Properties) };
    }
    const physicalIds: Record<string, string> = {};
    for (const [awsId, logicalId] of this.logicalIds) physicalIds[logicalId] = awsId;
    return { info, template: { Resources }, paths: { ...this.paths }, physicalIds };
  }

  private resolve(value: any): any {
    if (Array.isArray(value)) return value.map(v => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    if (isMarker(value)) {
      const logicalId = this.logicalIds.get(value.id);
      if (logicalId === undefined) return value.literal ?? value.id;
      return value.attribute === undefined ? { Ref: logicalId } : { 'Fn::GetAtt': [logicalId, value.attribute] };
    }
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = this.resolve(v);
    return out;
  }
}

function isMarker(v: any): v is RefMarker {
  return v !== null && typeof v === 'object' && v[MARKER] === true;
}

/** A reference to the resource with this AWS id: `{ Ref }` if it is emitted in the same stack, else the literal id. */
export function ref(awsId: string, literal?: string): RefMarker {
  return { [MARKER]: true, id: awsId, literal };
}

/** `{ Fn::GetAtt: [id, attribute] }` if the resource is emitted in the same stack, else `literal`. */
export function getAtt(awsId: string, attribute: string, literal: string): RefMarker {
  return { [MARKER]: true, id: awsId, attribute, literal };
}

/** Optional list of references, or undefined when empty. */
export function refs(ids: ReadonlyArray<string | undefined> | undefined): RefMarker[] {
  return (ids ?? []).filter((id): id is string => typeof id === 'string' && id.length > 0).map(id => ref(id));
}

/**
 * A policy document with the VPC and VPC-endpoint ids in its conditions turned into references, so the rules that
 * judge `aws:SourceVpce` / `aws:SourceVpc` see which endpoint or VPC is meant (ids not read stay literals).
 */
export function policyWithRefs(doc: any): any {
  if (doc === null || typeof doc !== 'object') return doc;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const rewritten = statements.map((st: any) => {
    if (!st || typeof st !== 'object' || !st.Condition || typeof st.Condition !== 'object') return st;
    const Condition: Record<string, any> = {};
    for (const [op, entries] of Object.entries<any>(st.Condition)) {
      if (!entries || typeof entries !== 'object') {
        Condition[op] = entries;
        continue;
      }
      const out: Record<string, any> = {};
      for (const [key, v] of Object.entries<any>(entries)) {
        const one = (x: any) => (typeof x === 'string' && CONDITION_ID.test(x) ? ref(x) : x);
        out[key] = Array.isArray(v) ? v.map(one) : one(v);
      }
      Condition[op] = out;
    }
    return { ...st, Condition };
  });
  return { ...doc, Statement: Array.isArray(doc.Statement) ? rewritten : rewritten[0] };
}

/** Parses a JSON policy that IAM returns URL-encoded (S3 and EC2 return plain JSON; both are accepted). */
export function parsePolicy(text: string | undefined): any {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(decodeURIComponent(text));
  }
}
