import { buildNetwork, NetworkIndex } from './network';
import { ResourceIndex } from './resources';
import { buildStorage, StorageIndex } from './storage';
import {
  BucketNode, BucketPolicyNode, EndpointNode, KmsKeyNode, ModelResource, NetworkAclNode, RoleNode,
  RouteTableNode, SecurityGroupNode, SubnetNode, VpcNode, WorkloadNode,
} from './types';
import { StackTemplate } from './values';
import { buildWorkloads } from './workloads';

/**
 * The app's resources as a network-and-policy graph. Build it once per check run with {@link buildModel}; every
 * rule reads the same instance. Lookups are maps, so rules stay linear in the number of resources.
 *
 * Built from the bottom up: the resource index, then the network, then storage and identity, then the workloads,
 * each builder reading only what was built before it. Derived indexes (grants by role, S3 use by workload...) are
 * built on demand with {@link Model.derive} and kept for the model's life.
 */
export class Model extends ResourceIndex {
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

  private readonly derived = new Map<string, unknown>();
  private readonly network: NetworkIndex;
  private readonly storage: StorageIndex;

  constructor(stacks: StackTemplate[]) {
    super(stacks);
    // each builder reads the complete resource index (this model's, as a ResourceIndex) and what was built before it
    const index: ResourceIndex = this;
    this.network = buildNetwork(index);
    this.storage = buildStorage(index);
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
    this.workloads = buildWorkloads(index, this.network, this.storage);
  }

  /**
   * A derived index of the model (grants by role, S3 use by workload, ...), built on first use and kept for the
   * model's life: a model never changes once built, so every rule of a run shares one index.
   */
  derive<T>(name: string, build: (m: Model) => T): T {
    if (!this.derived.has(name)) this.derived.set(name, build(this));
    return this.derived.get(name) as T;
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

/** Builds the model of an app from its stacks' resolved templates. */
export function buildModel(stacks: StackTemplate[]): Model {
  return new Model(stacks);
}
