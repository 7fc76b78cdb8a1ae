import { buildNetwork, NetworkIndex } from './network';
import { buildStorage, StorageIndex } from './storage';
import {
  BucketNode, BucketPolicyNode, EndpointNode, KmsKeyNode, Maybe, ModelResource, NetworkAclNode, RoleNode,
  RouteTableNode, SecurityGroupNode, StackInfo, SubnetNode, VpcNode, WorkloadNode,
} from './types';
import { StackTemplate, ValueResolver } from './values';
import { buildWorkloads } from './workloads';

/**
 * The app's resources as a network-and-policy graph. Build it once per check run with {@link buildModel}; every
 * rule reads the same instance. Lookups are maps, so rules stay linear in the number of resources.
 */
export class Model {
  readonly stacks: StackInfo[];
  readonly resources: ModelResource[];
  readonly values: ValueResolver;

  readonly vpcs: VpcNode[];
  readonly subnets: SubnetNode[];
  readonly routeTables: RouteTableNode[];
  readonly endpoints: EndpointNode[];
  readonly securityGroups: SecurityGroupNode[];
  readonly networkAcls: NetworkAclNode[];
  readonly buckets: BucketNode[];
  readonly bucketPolicies: BucketPolicyNode[];
  readonly roles: RoleNode[];
  readonly kmsKeys: KmsKeyNode[];
  readonly workloads: WorkloadNode[];

  private readonly byType = new Map<string, ModelResource[]>();
  private readonly byKey = new Map<string, ModelResource>();
  private readonly derived = new Map<string, unknown>();
  private readonly network: NetworkIndex;
  private readonly storage: StorageIndex;

  constructor(stacks: StackTemplate[]) {
    this.stacks = stacks.map(s => s.info);
    this.resources = [];
    for (const s of stacks) {
      for (const [logicalId, r] of Object.entries(s.template.Resources ?? {})) {
        if (!r || typeof r.Type !== 'string') continue;
        const res: ModelResource = {
          key: `${s.info.id}/${logicalId}`,
          stack: s.info,
          logicalId,
          type: r.Type,
          path: s.paths?.[logicalId] ?? r.Metadata?.['aws:cdk:path'] ?? `${s.info.id}/${logicalId}`,
          props: r.Properties ?? {},
          ...(s.physicalIds?.[logicalId] ? { physicalId: s.physicalIds[logicalId] } : {}),
        };
        this.resources.push(res);
        this.byKey.set(res.key, res);
        const list = this.byType.get(res.type) ?? [];
        list.push(res);
        this.byType.set(res.type, list);
      }
    }
    this.values = new ValueResolver(stacks, this.resources);
    this.network = buildNetwork(this);
    this.storage = buildStorage(this);
    this.vpcs = [...this.network.vpcs.values()];
    this.subnets = [...this.network.subnets.values()];
    this.routeTables = [...this.network.routeTables.values()];
    this.endpoints = [...this.network.endpoints.values()];
    this.securityGroups = [...this.network.securityGroups.values()];
    this.networkAcls = [...this.network.networkAcls.values()];
    this.buckets = [...this.storage.buckets.values()];
    this.bucketPolicies = this.storage.bucketPolicies;
    this.roles = [...this.storage.roles.values()];
    this.kmsKeys = [...this.storage.kmsKeys.values()];
    this.workloads = buildWorkloads(this);
  }

  /**
   * A derived index of the model (grants by role, S3 use by workload, ...), built on first use and kept for the
   * model's life: a model never changes once built, so every rule of a run shares one index.
   */
  derive<T>(name: string, build: (m: Model) => T): T {
    if (!this.derived.has(name)) this.derived.set(name, build(this));
    return this.derived.get(name) as T;
  }

  /** The resource with this key (`<stackId>/<logicalId>`), if the app defines it. */
  resource(key: string): ModelResource | undefined {
    return this.byKey.get(key);
  }

  /**
   * A symbolic value for messages: `{{<key>}}` and `{{<key>.<attr>}}` become the resource's construct path, other
   * holes stay as they are.
   */
  shown(text: string): string {
    return text.replace(/\{\{([^{}]+?)(?:\.[A-Za-z]+)?\}\}/g, (whole, key: string) => this.byKey.get(key)?.path ?? whole);
  }

  /** All resources of a CloudFormation type, e.g. `AWS::EC2::VPCEndpoint`. */
  ofType(type: string): ModelResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource a reference points at (`Ref`, `Fn::GetAtt`, in-app `Fn::ImportValue`). */
  target(from: ModelResource | StackInfo, value: any): ModelResource | undefined {
    return this.values.target(infoOf(from), value);
  }

  str(from: ModelResource | StackInfo, value: any): Maybe<string> {
    return this.values.str(infoOf(from), value);
  }

  num(from: ModelResource | StackInfo, value: any): Maybe<number> | undefined {
    return this.values.num(infoOf(from), value);
  }

  bool(from: ModelResource | StackInfo, value: any): Maybe<boolean> | undefined {
    return this.values.bool(infoOf(from), value);
  }

  /** A string with references to the app's resources kept symbolic (see {@link ValueResolver.sym}). */
  sym(from: ModelResource | StackInfo, value: any): string {
    return this.values.sym(infoOf(from), value);
  }

  /** A policy document (or any JSON) with every intrinsic replaced by its symbolic string, ready for the IAM evaluator. */
  symDoc(from: ModelResource | StackInfo, doc: any): any {
    return this.values.symDeep(infoOf(from), doc);
  }

  vpc(res: ModelResource | undefined): VpcNode | undefined { return res && this.network.vpcs.get(res.key); }
  subnet(res: ModelResource | undefined): SubnetNode | undefined { return res && this.network.subnets.get(res.key); }
  routeTable(res: ModelResource | undefined): RouteTableNode | undefined { return res && this.network.routeTables.get(res.key); }
  endpoint(res: ModelResource | undefined): EndpointNode | undefined { return res && this.network.endpoints.get(res.key); }
  securityGroup(res: ModelResource | undefined): SecurityGroupNode | undefined { return res && this.network.securityGroups.get(res.key); }
  networkAcl(res: ModelResource | undefined): NetworkAclNode | undefined { return res && this.network.networkAcls.get(res.key); }
  bucket(res: ModelResource | undefined): BucketNode | undefined { return res && this.storage.buckets.get(res.key); }
  role(res: ModelResource | undefined): RoleNode | undefined { return res && this.storage.roles.get(res.key); }
  kmsKey(res: ModelResource | undefined): KmsKeyNode | undefined { return res && this.storage.kmsKeys.get(res.key); }

  /** A bucket of the app named by literal name (when `BucketName` is set). */
  bucketByName(name: string): BucketNode | undefined {
    return this.storage.bucketsByName.get(name);
  }
}

function infoOf(from: ModelResource | StackInfo): StackInfo {
  return 'stack' in from ? from.stack : from;
}

/** Builds the model of an app from its stacks' resolved templates. */
export function buildModel(stacks: StackTemplate[]): Model {
  return new Model(stacks);
}
