import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A synthesized template's resources, as `Template.toJSON()` returns them. */
export type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** Literals for what a template cannot know before deployment: the ids AWS assigns to the endpoint and the VPC. */
export interface DeployTimeIds {
  /** the id of the template's S3 gateway endpoint (of each endpoint not in `endpointIdByLogicalId`) */
  readonly endpointId: string;
  /** the id of the template's VPC (of each VPC not in `vpcIdByLogicalId`) */
  readonly vpcId: string;
  /** ids of the endpoints of a template with several, by logical id */
  readonly endpointIdByLogicalId?: Record<string, string>;
  /** ids of the VPCs of a template with several, by logical id */
  readonly vpcIdByLogicalId?: Record<string, string>;
  /** the literal each `Fn::ImportValue` of the template gets, by export name (see `exportsOf`) */
  readonly imports?: Record<string, string>;
}

/**
 * A synthesized stack whose intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`, pseudo parameters) become the literals they
 * would have after deployment, so its policies can be handed to an IAM evaluator. Physical names come from the
 * resources' own name properties (set them in the test app), ARNs from those names; ids AWS assigns come from `ids`.
 * Throws on a reference it cannot turn into a literal, so a test cannot pass on an unresolved value.
 */
export class LiteralTemplate {
  public readonly resources: Resources;
  private readonly template: { Resources: Resources; Outputs?: Record<string, any> };
  private readonly account: string;
  private readonly region: string;

  /**
   * @param stack the stack, or its synthesized template (for stacks of a multi-stack app, read from `app.synth()`,
   * where cross-stack references are exports and imports)
   */
  constructor(public readonly stack: Stack, private readonly ids: DeployTimeIds, template?: any) {
    this.template = template ?? Template.fromStack(stack).toJSON();
    this.resources = this.template.Resources;
    this.account = stack.account;
    this.region = stack.region;
  }

  /** The value with every intrinsic replaced by its literal. */
  public literal(value: unknown): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.literal(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return this.ref(String(obj.Ref));
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      return this.getAtt(id, attr);
    }
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue' && typeof obj['Fn::ImportValue'] === 'string') {
      const imported = this.ids.imports?.[obj['Fn::ImportValue']];
      if (imported === undefined) throw new Error(`no literal for Fn::ImportValue ${obj['Fn::ImportValue']}`);
      return imported;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => this.literal(p)).join(sep);
    }
    if (keys.some((k) => k.startsWith('Fn::'))) {
      throw new Error(`no literal for ${JSON.stringify(obj)}`);
    }
    return Object.fromEntries(keys.map((k) => [k, this.literal(obj[k])]));
  }

  /** The logical id of the one resource of `type` that `predicate` picks; throws unless exactly one matches. */
  public logicalIdOf(type: string, predicate: (props: Record<string, any>, id: string) => boolean = () => true): string {
    const ids = Object.entries(this.resources)
      .filter(([id, r]) => r.Type === type && predicate(r.Properties ?? {}, id)).map(([id]) => id);
    if (ids.length !== 1) {
      throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(', ')}`);
    }
    return ids[0];
  }

  /** The literal values of the template's exports, by export name: the `imports` of the templates that import them. */
  public exports(): Record<string, string> {
    const outputs: Record<string, any> = (this.template.Outputs ?? {});
    return Object.fromEntries(Object.values(outputs)
      .filter((o) => typeof o.Export?.Name === 'string')
      .map((o) => [o.Export.Name, this.literal(o.Value)]));
  }

  /**
   * The literal policy document of an S3 gateway endpoint (the template's only one, or the one with `logicalId`);
   * AWS's default full-access policy when it sets none.
   */
  public endpointPolicy(logicalId?: string): any {
    const id = logicalId ?? this.logicalIdOf('AWS::EC2::VPCEndpoint');
    const doc = this.resources[id].Properties?.PolicyDocument;
    return doc === undefined
      ? { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }
      : this.literal(doc);
  }

  /** The literal bucket policy of the bucket named `bucketName`, or undefined when it has none. */
  public bucketPolicy(bucketName: string): any {
    const bucketId = this.logicalIdOf('AWS::S3::Bucket', (p) => p.BucketName === bucketName);
    const policies = Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties?.Bucket?.Ref === bucketId);
    if (policies.length > 1) {
      throw new Error(`bucket ${bucketName} has ${policies.length} bucket policies`);
    }
    return policies.length === 0 ? undefined : this.literal(policies[0].Properties!.PolicyDocument);
  }

  /** The literal identity policies (managed by the stack, attached or inline) of the role named `roleName`. */
  public identityPolicies(roleName: string): any[] {
    const roleId = this.logicalIdOf('AWS::IAM::Role', (p) => p.RoleName === roleName);
    const inline = (this.resources[roleId].Properties?.Policies ?? []).map((p: any) => this.literal(p.PolicyDocument));
    const attached = Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((x: any) => x?.Ref === roleId))
      .map((r) => this.literal(r.Properties!.PolicyDocument));
    return [...inline, ...attached];
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Partition': return 'aws';
      case 'AWS::AccountId': return this.account;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
    }
    const resource = this.resources[name];
    switch (resource?.Type) {
      case 'AWS::S3::Bucket': return this.bucketName(name);
      case 'AWS::IAM::Role': return this.roleName(name);
      case 'AWS::EC2::VPCEndpoint': return this.ids.endpointIdByLogicalId?.[name] ?? this.ids.endpointId;
      case 'AWS::EC2::VPC': return this.ids.vpcIdByLogicalId?.[name] ?? this.ids.vpcId;
      default: throw new Error(`no literal for Ref ${name} (${resource?.Type ?? 'not in the template'})`);
    }
  }

  private getAtt(id: string, attr: string): string {
    const type = this.resources[id]?.Type;
    if (type === 'AWS::S3::Bucket' && attr === 'Arn') return `arn:aws:s3:::${this.bucketName(id)}`;
    if (type === 'AWS::IAM::Role' && attr === 'Arn') return `arn:aws:iam::${this.account}:role/${this.roleName(id)}`;
    if (type === 'AWS::KMS::Key' && attr === 'Arn') return `arn:aws:kms:${this.region}:${this.account}:key/${id}`;
    throw new Error(`no literal for GetAtt ${id}.${attr} (${type ?? 'not in the template'})`);
  }

  private bucketName(id: string): string {
    const name = this.resources[id].Properties?.BucketName;
    if (typeof name !== 'string') throw new Error(`bucket ${id} has no literal BucketName: give it one in the test app`);
    return name;
  }

  /** A role's name: its RoleName, else its logical id (CloudFormation's generated names are unknown here). */
  private roleName(id: string): string {
    const name = this.resources[id].Properties?.RoleName;
    return typeof name === 'string' ? name : id;
  }
}
