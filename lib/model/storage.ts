import { describeId, listOf } from './helpers';
import type { ResourceIndex } from './resources';
import {
  BucketNode, BucketPolicyNode, ExternalBucketRef, KmsKeyNode, Maybe, ModelResource, PolicySource, RoleNode, unknown,
} from './types';

export interface StorageIndex {
  readonly buckets: Map<string, BucketNode>;
  readonly bucketsByName: Map<string, BucketNode>;
  readonly bucketPolicies: BucketPolicyNode[];
  readonly roles: Map<string, RoleNode>;
  readonly kmsKeys: Map<string, KmsKeyNode>;
}

export function buildStorage(m: ResourceIndex): StorageIndex {
  const kmsKeys = new Map<string, KmsKeyNode>();
  for (const res of m.ofType('AWS::KMS::Key')) kmsKeys.set(res.key, { res, keyPolicy: res.props.KeyPolicy });

  const buckets = new Map<string, BucketNode>();
  const bucketsByName = new Map<string, BucketNode>();
  for (const res of m.ofType('AWS::S3::Bucket')) {
    const p = res.props;
    const sse = listOf(p.BucketEncryption?.ServerSideEncryptionConfiguration)
      .map(c => c?.ServerSideEncryptionByDefault).find(d => d !== undefined);
    const algorithm = sse ? m.str(res, sse.SSEAlgorithm) : undefined;
    const sseKms = typeof algorithm === 'string' && algorithm.startsWith('aws:kms');
    let kmsKey: Maybe<ModelResource> | undefined;
    if (sseKms && sse.KMSMasterKeyID !== undefined) {
      kmsKey = m.target(res, sse.KMSMasterKeyID) ?? unknown(describeId(m, res, sse.KMSMasterKeyID, 'KMS key'));
    }
    const ownership = listOf(p.OwnershipControls?.Rules).map(r => m.str(res, r?.ObjectOwnership));
    const bucket: BucketNode = {
      res,
      bucketName: p.BucketName === undefined ? undefined : m.str(res, p.BucketName),
      ownershipEnforced: ownership.includes('BucketOwnerEnforced'),
      kmsKey,
      sseKms,
      blockPublicPolicy: m.bool(res, p.PublicAccessBlockConfiguration?.BlockPublicPolicy) === true,
      policies: [],
    };
    buckets.set(res.key, bucket);
    if (typeof bucket.bucketName === 'string') bucketsByName.set(bucket.bucketName, bucket);
  }

  const bucketPolicies: BucketPolicyNode[] = [];
  for (const res of m.ofType('AWS::S3::BucketPolicy')) {
    const target = m.target(res, res.props.Bucket);
    let bucket: Maybe<BucketNode | ExternalBucketRef>;
    if (target) {bucket = buckets.get(target.key) ?? unknown(`bucket ${target.path} (not an AWS::S3::Bucket)`);} else {
      const name = m.str(res, res.props.Bucket);
      bucket = typeof name === 'string' ? bucketsByName.get(name) ?? { name } : name;
    }
    const node: BucketPolicyNode = { res, bucket, document: res.props.PolicyDocument };
    bucketPolicies.push(node);
    if ('res' in bucket) bucket.policies.push({ res, document: res.props.PolicyDocument });
  }

  const roles = new Map<string, RoleNode>();
  for (const res of m.ofType('AWS::IAM::Role')) {
    const policies: PolicySource[] = listOf(res.props.Policies)
      .filter(p => p?.PolicyDocument !== undefined)
      .map(p => ({ res, document: p.PolicyDocument }));
    const externalManagedPolicyArns: Maybe<string>[] = [];
    for (const arn of listOf(res.props.ManagedPolicyArns)) {
      const managed = m.target(res, arn);
      if (managed?.type === 'AWS::IAM::ManagedPolicy') policies.push({ res: managed, document: managed.props.PolicyDocument });
      else externalManagedPolicyArns.push(m.str(res, arn));
    }
    roles.set(res.key, { res, policies, externalManagedPolicyArns, assumeRolePolicy: res.props.AssumeRolePolicyDocument });
  }
  const rolesByName = new Map<string, RoleNode>();
  for (const role of roles.values()) {
    const name = role.res.props.RoleName === undefined ? undefined : m.str(role.res, role.res.props.RoleName);
    if (typeof name === 'string') rolesByName.set(name, role);
  }
  const attach = (res: ModelResource, refs: any[]) => {
    for (const ref of refs) {
      const role = roles.get(m.target(res, ref)?.key ?? '') ?? rolesByName.get(m.str(res, ref) as string);
      if (role && res.props.PolicyDocument !== undefined) role.policies.push({ res, document: res.props.PolicyDocument });
    }
  };
  for (const res of m.ofType('AWS::IAM::Policy')) attach(res, listOf(res.props.Roles));
  for (const res of m.ofType('AWS::IAM::RolePolicy')) attach(res, [res.props.RoleName]);
  for (const res of m.ofType('AWS::IAM::ManagedPolicy')) {
    // attached through the policy's Roles (roles naming the policy in ManagedPolicyArns are handled above)
    attach(res, listOf(res.props.Roles));
  }

  return { buckets, bucketsByName, bucketPolicies, roles, kmsKeys };
}
