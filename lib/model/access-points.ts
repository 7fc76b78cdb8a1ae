/**
 * S3 access points (`AWS::S3::AccessPoint`) of the app: their bucket, their network origin (a VPC, or the internet),
 * and which workloads' roles are granted on them (identity policies naming the access point's ARN or its
 * `/object/…` ARNs). A derived index of the model, built on demand.
 *
 * Internal: not exported from the package's index.
 */
import { expandActions } from './grants';
import { listOf } from './helpers';
import { resourceMatches } from './iam';
import type { Model } from './model';
import { statementsOfDoc } from './policy-conditions';
import { isUnknown, Maybe, ModelResource, RoleNode, unknown, VpcNode, WorkloadNode } from './types';

export interface AccessPointNode {
  readonly res: ModelResource;
  /** The bucket resource of the app it serves, when its `Bucket` names one. */
  readonly bucket?: ModelResource;
  /** The VPC of a VPC network origin; undefined for an internet origin; Unknown when the id is not resolved. */
  readonly vpc?: Maybe<VpcNode>;
  /** The access point's ARN as the model writes it in symbolic policies. */
  readonly arn: string;
}

/** A workload whose role is granted S3 actions on an access point's ARN. */
export interface AccessPointUse {
  readonly workload: WorkloadNode;
  readonly role: RoleNode;
  /** The S3 actions granted (e.g. `s3:GetObject`). */
  readonly actions: string[];
}

/** Every access point of the app, built once per model. */
export function accessPointsOf(m: Model): AccessPointNode[] {
  return m.derive('access-points', () => m.ofType('AWS::S3::AccessPoint').map(res => {
    const bucketTarget = m.target(res, res.props.Bucket);
    const vpcId = res.props.VpcConfiguration?.VpcId;
    return {
      res,
      bucket: bucketTarget?.type === 'AWS::S3::Bucket' ? bucketTarget : m.bucketByName(String(res.props.Bucket))?.res,
      vpc: vpcId === undefined ? undefined : vpcOf(m, res, vpcId),
      arn: m.values.symOfResource(res, 'Arn'),
    };
  }));
}

function vpcOf(m: Model, res: ModelResource, value: any): Maybe<VpcNode> {
  const node = m.vpc(m.target(res, value));
  if (node) return node;
  const id = m.str(res, value);
  if (isUnknown(id)) return unknown(`the VPC of access point ${res.path} (${id.what})`);
  // a deployed VPC (read from an account) is known by its id
  return m.vpcs.find(v => v.res.physicalId === id) ?? unknown(`VPC ${id} (not defined in the app)`);
}

/** The workloads granted on an access point through their roles' identity policies (Allow statements). */
export function accessPointUses(m: Model, ap: AccessPointNode): AccessPointUse[] {
  const probes = [ap.arn, `${ap.arn}/object/s3pa-probe`];
  const out: AccessPointUse[] = [];
  for (const w of m.workloads) {
    for (const role of w.roles) {
      const actions = new Set<string>();
      for (const source of role.policies) {
        for (const s of statementsOfDoc(m.symDoc(source.res, source.document))) {
          if (s.Effect !== 'Allow') continue;
          // only patterns that name access points: a grant on `*` does not show that the workload uses this one
          const named = listOf(s.Resource).some(r => typeof r === 'string' && r.includes(':accesspoint/')
            && (r === ap.arn || r.startsWith(`${ap.arn}/`) || probes.some(p => resourceMatches(r, p))));
          if (named) for (const a of expandActions(s)) actions.add(a.action);
        }
      }
      if (actions.size > 0 && !out.some(u => u.workload === w && u.role === role)) out.push({ workload: w, role, actions: [...actions] });
    }
  }
  return out;
}
