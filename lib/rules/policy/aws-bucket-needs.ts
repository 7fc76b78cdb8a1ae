import { AMAZON_LINUX_REPOS, ECR_LAYERS, SSM } from '../../aws/aws-owned-buckets';
import type { Model } from '../../model/model';
import { S3Route, s3RoutesOf } from '../../model/s3-routes';
import { amazonLinuxOf, installsPackages, managedBySsm } from '../../model/s3-use';
import { EndpointNode, WorkloadNode } from '../../model/types';

/**
 * What the endpoint-policy rules know of the AWS-owned buckets a workload reads (S3PA-EndpointPolicyAwsBuckets and
 * S3PA-EndpointPolicyPerimeter judge the same needs). Not a rule.
 */

/** One AWS-owned bucket a workload needs, and why. */
export interface Need {
  readonly pattern: string;
  readonly use: string;
  /** The opt-in allowance of the construct that adds it. */
  readonly allowance: string;
  /** Whether the workload surely reads it (ECR layers of its images, repositories its user data installs from). */
  readonly definite: boolean;
}

/**
 * The SSM Agent buckets judged here: documents and plugins (`aws-ssm-<region>`) and agent updates
 * (`amazon-ssm-<region>`). The others of `AwsOwnedBuckets.SSM` serve optional features (Distributor, patching,
 * Windows downloads) that the template does not reveal.
 */
const SSM_CORE = /:s3:::(aws-ssm|amazon-ssm)-\{region\}\/\*$/;

/** The AWS-owned buckets a workload reads, as `{region}`/`{partition}` patterns. */
export function needsOf(w: WorkloadNode): Need[] {
  const out: Need[] = [];
  if (w.kind === 'ecs-service' && w.usesEcrImage) {
    for (const pattern of ECR_LAYERS.objectArnPatterns) {
      out.push({ pattern, use: 'ECR image layers: pulls fail with CannotPullContainerError', allowance: ECR_LAYERS.label, definite: true });
    }
  }
  if (w.kind === 'ec2-instance' || w.kind === 'autoscaling-group') {
    const os = amazonLinuxOf(w);
    const repo = os === 'al2023' ? /al2023-repos-/ : os === 'al2' ? /amazonlinux-2-repos-/ : undefined;
    // the repositories are read when the instance installs packages: its user data shows it, else it may
    const installs = installsPackages(w);
    for (const pattern of repo ? AMAZON_LINUX_REPOS.objectArnPatterns.filter(p => repo.test(p)) : []) {
      out.push({
        pattern,
        use: `the ${os === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2'} package repository: dnf/yum fail`,
        allowance: AMAZON_LINUX_REPOS.label,
        definite: installs,
      });
    }
    if (w.roles.some(managedBySsm)) {
      // SSM Agent reads these for agent updates and some documents' plugins, not for every operation
      for (const pattern of SSM.objectArnPatterns.filter(p => SSM_CORE.test(p))) {
        out.push({ pattern, use: 'SSM Agent documents and updates: agent updates and some Systems Manager documents fail', allowance: SSM.label, definite: false });
      }
    }
  }
  return out;
}

/** The app's S3 endpoints that have a policy, each with the workloads whose S3 routes of the given kinds take it. */
export function workloadsByPolicyEndpoint(
  m: Model, vias: ReadonlyArray<S3Route['via']>,
): Map<string, { ep: EndpointNode; workloads: Map<string, WorkloadNode> }> {
  const byEndpoint = new Map<string, { ep: EndpointNode; workloads: Map<string, WorkloadNode> }>();
  for (const w of m.workloads) {
    for (const route of s3RoutesOf(m, w)) {
      const ep = route.endpoint;
      if (!vias.includes(route.via) || !ep || ep.policyDocument === undefined) continue;
      const entry = byEndpoint.get(ep.res.key) ?? { ep, workloads: new Map() };
      entry.workloads.set(w.res.key, w);
      byEndpoint.set(ep.res.key, entry);
    }
  }
  return byEndpoint;
}
