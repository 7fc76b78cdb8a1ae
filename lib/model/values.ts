import { Maybe, ModelResource, StackInfo, unknown } from './types';

/** One stack's template as the model reads it. */
export interface StackTemplate {
  readonly info: StackInfo;
  readonly template: { Resources?: Record<string, any>; Outputs?: Record<string, any> };
  /** Construct paths by logical id, when known from the construct tree (otherwise `aws:cdk:path` metadata is used). */
  readonly paths?: Record<string, string>;
  /** The deployed ids by logical id, when the resources are read from an account (`--live`). */
  readonly physicalIds?: Record<string, string>;
  /**
   * For a nested stack: the stack holding its `AWS::CloudFormation::Stack` resource and that resource's `Parameters`
   * (written in the parent's template), so a `Ref` to a parameter resolves to the value the parent passes.
   */
  readonly parent?: { readonly stackId: string; readonly parameters: Record<string, any> };
}

/**
 * Attributes that equal an input property of the resource (`Fn::GetAtt Vpc.CidrBlock` is the VPC's `CidrBlock`), so a
 * reference to them resolves when the property is a literal. CDK writes security-group egress, NACL entries and
 * routes to a VPC's range this way.
 */
const ATTRIBUTE_PROPERTIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'AWS::EC2::VPC': { CidrBlock: 'CidrBlock' },
  'AWS::EC2::Subnet': { CidrBlock: 'CidrBlock', AvailabilityZone: 'AvailabilityZone', VpcId: 'VpcId' },
  'AWS::EC2::SecurityGroup': { VpcId: 'VpcId' },
  'AWS::EC2::PrefixList': { PrefixListName: 'PrefixListName' },
};

const PSEUDO = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId',
  'AWS::NotificationARNs', 'AWS::NoValue',
]);

/** Partition of a region name: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function partitionOf(region: string | undefined): string {
  if (!region) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Follows CloudFormation references and evaluates the intrinsic functions that CDK leaves in templates, within
 * the app's stacks. Anything outside the app (an imported id, a parameter) comes back as {@link Unknown}.
 */
export class ValueResolver {
  private readonly byKey = new Map<string, ModelResource>();
  private readonly exports = new Map<string, { stack: StackTemplate; value: any }>();
  private readonly stacksById = new Map<string, StackTemplate>();

  constructor(stacks: StackTemplate[], resources: ModelResource[]) {
    for (const r of resources) this.byKey.set(r.key, r);
    for (const s of stacks) {
      this.stacksById.set(s.info.id, s);
      for (const out of Object.values(s.template.Outputs ?? {})) {
        const name = out?.Export?.Name;
        if (typeof name === 'string') this.exports.set(name, { stack: s, value: out.Value });
      }
    }
  }

  /** The resource a `Ref`, `Fn::GetAtt` or in-app `Fn::ImportValue` points at, if it is in the app. */
  target(from: StackInfo, value: any): ModelResource | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (typeof value.Ref === 'string') {
      if (PSEUDO.has(value.Ref)) return undefined;
      const param = this.parameter(from, value.Ref);
      return this.byKey.get(`${from.id}/${value.Ref}`) ?? (param && this.target(param.from, param.value));
    }
    const getAtt = value['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const id = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
      return typeof id === 'string' ? this.byKey.get(`${from.id}/${id}`) : undefined;
    }
    const imp = value['Fn::ImportValue'];
    if (imp !== undefined) {
      const name = this.str(from, imp);
      if (typeof name !== 'string') return undefined;
      const exp = this.exports.get(name);
      return exp ? this.target(exp.stack.info, exp.value) : undefined;
    }
    return undefined;
  }

  /** The attribute a `Fn::GetAtt` names, if the value is one. */
  attribute(value: any): string | undefined {
    const getAtt = value?.['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return typeof getAtt[1] === 'string' ? getAtt[1] : undefined;
    if (typeof getAtt === 'string') return getAtt.split('.').slice(1).join('.');
    return undefined;
  }

  /** A literal string, evaluating pseudo parameters, `Fn::Join`, `Fn::Sub` and `Fn::Select` where their parts are known. */
  str(from: StackInfo, value: any): Maybe<string> {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === null || value === undefined) return unknown('an empty value');
    if (typeof value !== 'object' || Array.isArray(value)) return unknown(describe(value));
    if (typeof value.Ref === 'string') {
      const param = this.parameter(from, value.Ref);
      return this.pseudo(from, value.Ref) ?? (param ? this.str(param.from, param.value) : unknown(describeRef(from, value, this)));
    }
    if (value['Fn::GetAtt'] !== undefined) {
      const target = this.target(from, value);
      const prop = target ? ATTRIBUTE_PROPERTIES[target.type]?.[this.attribute(value) ?? ''] : undefined;
      if (target && prop !== undefined && target.props[prop] !== undefined) return this.str(target.stack, target.props[prop]);
      return unknown(describe(value));
    }
    if (value['Fn::Join']) {
      const [sep, parts] = value['Fn::Join'];
      if (typeof sep !== 'string' || !Array.isArray(parts)) return unknown(describe(value));
      const out: string[] = [];
      for (const p of parts) {
        const s = this.str(from, p);
        if (typeof s !== 'string') return s;
        out.push(s);
      }
      return out.join(sep);
    }
    if (value['Fn::Sub'] !== undefined) return this.sub(from, value['Fn::Sub']);
    if (value['Fn::Select']) {
      const [index, list] = value['Fn::Select'];
      const i = Number(this.str(from, index));
      if (Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length) return this.str(from, list[i]);
      return unknown(describe(value));
    }
    if (value['Fn::ImportValue'] !== undefined) {
      const name = this.str(from, value['Fn::ImportValue']);
      const exp = typeof name === 'string' ? this.exports.get(name) : undefined;
      return exp ? this.str(exp.stack.info, exp.value) : unknown(describe(value));
    }
    return unknown(describe(value));
  }

  /** A literal number (CloudFormation often writes numbers as strings). */
  num(from: StackInfo, value: any): Maybe<number> | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    const s = this.str(from, value);
    if (typeof s !== 'string') return s;
    const n = Number(s);
    return Number.isFinite(n) && s.trim() !== '' ? n : unknown(`${s} (not a number)`);
  }

  /** A literal boolean (`true`, `"true"`, `"false"`...). */
  bool(from: StackInfo, value: any): Maybe<boolean> | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    const s = this.str(from, value);
    if (typeof s !== 'string') return s;
    if (s.toLowerCase() === 'true') return true;
    if (s.toLowerCase() === 'false') return false;
    return unknown(`${s} (not a boolean)`);
  }

  /**
   * The value as a string in which references to the app's resources stay symbolic, so policies can be matched
   * with wildcards: a bucket's `Ref` becomes its name (or `{{<key>}}`), its `Arn` `arn:<partition>:s3:::<name>`;
   * other references become `{{<key>}}` / `{{<key>.<attr>}}`; anything else unresolvable `{{?}}`.
   */
  sym(from: StackInfo, value: any): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return '{{?}}';
    const target = this.target(from, value);
    if (target) return this.symOfResource(target, this.attribute(value));
    const param = typeof value.Ref === 'string' ? this.parameter(from, value.Ref) : undefined;
    if (param) return this.sym(param.from, param.value);
    if (typeof value.Ref === 'string') return this.pseudo(from, value.Ref) ?? `{{${value.Ref}}}`;
    if (value['Fn::Join']) {
      const [sep, parts] = value['Fn::Join'];
      return Array.isArray(parts) ? parts.map(p => this.sym(from, p)).join(typeof sep === 'string' ? sep : '') : '{{?}}';
    }
    if (value['Fn::Sub'] !== undefined) {
      const [text, vars] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
      if (typeof text !== 'string') return '{{?}}';
      return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        if (vars && name in vars) return this.sym(from, vars[name]);
        if (name.startsWith('AWS::')) return this.pseudo(from, name) ?? `{{${name}}}`;
        return this.sym(from, name.includes('.') ? { 'Fn::GetAtt': name } : { Ref: name });
      });
    }
    const s = this.str(from, value);
    return typeof s === 'string' ? s : '{{?}}';
  }

  /** A whole JSON value (a policy document) with every intrinsic replaced by its {@link sym} string. */
  symDeep(from: StackInfo, value: any): any {
    if (Array.isArray(value)) return value.map(v => this.symDeep(from, v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.sym(from, value);
    const out: Record<string, any> = {};
    for (const k of keys) out[k] = this.symDeep(from, value[k]);
    return out;
  }

  /** The symbolic name of a resource (what {@link sym} writes for a reference to it). */
  symOfResource(target: ModelResource, attribute?: string): string {
    if (target.type === 'AWS::S3::Bucket') {
      const literal = typeof target.props.BucketName === 'string' ? target.props.BucketName : `{{${target.key}}}`;
      if (attribute === undefined) return literal;
      if (attribute === 'Arn') return `arn:${target.stack.region ? target.stack.partition : 'aws'}:s3:::${literal}`;
    }
    if (target.type === 'AWS::S3Express::DirectoryBucket' && attribute === 'Arn') {
      const { partition, region, account } = target.stack;
      const name = typeof target.props.BucketName === 'string' ? target.props.BucketName : `{{${target.key}}}`;
      return `arn:${region ? partition : '{{AWS::Partition}}'}:s3express:${region ?? '{{AWS::Region}}'}:${account ?? '{{AWS::AccountId}}'}:bucket/${name}`;
    }
    if (target.type === 'AWS::S3::AccessPoint' && attribute === 'Arn') {
      // an ARN, so that literal `arn:aws:s3:<region>:<account>:accesspoint/<name>` grants match the access point
      const { partition, region, account } = target.stack;
      const name = typeof target.props.Name === 'string' ? target.props.Name : `{{${target.key}}}`;
      return `arn:${region ? partition : '{{AWS::Partition}}'}:s3:${region ?? '{{AWS::Region}}'}:${account ?? '{{AWS::AccountId}}'}:accesspoint/${name}`;
    }
    if (target.type === 'AWS::KMS::Key' && attribute === 'Arn') {
      // an ARN, so that `key/*` and `arn:aws:kms:<region>:<account>:*` patterns match the key (holes where the stack
      // is environment-agnostic); its key id stays symbolic, as the Ref's
      const { partition, region, account } = target.stack;
      return `arn:${region ? partition : '{{AWS::Partition}}'}:kms:${region ?? '{{AWS::Region}}'}:${account ?? '{{AWS::AccountId}}'}:key/{{${target.key}}}`;
    }
    return attribute === undefined ? `{{${target.key}}}` : `{{${target.key}.${attribute}}}`;
  }

  /** The value a nested stack's parent passes to its parameter `name`, and the parent's stack to read it in. */
  private parameter(from: StackInfo, name: string): { from: StackInfo; value: any } | undefined {
    const parent = this.stacksById.get(from.id)?.parent;
    const parentStack = parent && this.stacksById.get(parent.stackId);
    if (!parentStack || !Object.prototype.hasOwnProperty.call(parent.parameters, name)) return undefined;
    return { from: parentStack.info, value: parent.parameters[name] };
  }

  private pseudo(from: StackInfo, name: string): string | undefined {
    switch (name) {
      case 'AWS::Region': return from.region;
      case 'AWS::AccountId': return from.account;
      case 'AWS::Partition': return from.region ? from.partition : undefined;
      case 'AWS::URLSuffix': return from.region ? (from.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com') : undefined;
      default: return undefined;
    }
  }

  private sub(from: StackInfo, arg: any): Maybe<string> {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    if (typeof text !== 'string') return unknown(describe(arg));
    let missing: Maybe<string> | undefined;
    const out = text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (missing) return '';
      let v: Maybe<string> | undefined;
      if (vars && name in vars) v = this.str(from, vars[name]);
      else if (name.startsWith('AWS::')) v = this.pseudo(from, name) ?? unknown(name);
      else v = this.str(from, name.includes('.') ? { 'Fn::GetAtt': name } : { Ref: name });
      if (typeof v !== 'string') {
        missing = v;
        return '';
      }
      return v;
    });
    return missing ?? out;
  }
}

function describe(value: any): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describeRef(from: StackInfo, value: any, r: ValueResolver): string {
  if (PSEUDO.has(value.Ref)) return `${value.Ref} (environment-agnostic stack ${from.id})`;
  return r.target(from, value) ? `a reference to ${value.Ref}` : `${value.Ref} (a parameter or a value not defined in the app)`;
}
