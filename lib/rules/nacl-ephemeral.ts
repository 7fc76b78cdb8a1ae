import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { aclSubjects, describeDecision, evaluateS3, workloadAcls } from '../model/nacl-eval';
import { ifUsesS3 } from '../model/s3-use';
import { WorkloadNode } from '../model/types';

/**
 * S3PA-NaclEphemeral: a custom network ACL on a workload subnet that does not let S3's replies back in on the
 * workload's ephemeral ports.
 */
export const naclEphemeral: Rule = {
  id: 'S3PA-NaclEphemeral',
  level: 'error',
  symptom: 'S3 calls hang after the connection opens.',
  description: 'A custom network ACL on a workload subnet whose inbound entries (rule-number order, first match wins, '
    + 'implicit deny) do not allow TCP replies from every S3 CIDR of the region on the workload\'s ephemeral ports: '
    + '1024-65535 for Lambda and Fargate, at least 32768-61000 (the Linux kernel\'s range) for EC2 instances, Auto Scaling '
    + 'groups, Batch and ECS on EC2. Network ACLs are stateless, so the replies need their own inbound entry. Windows '
    + 'hosts (49152-65535) are not told apart.',
  fix: 'Allow inbound TCP 1024-65535 from the S3 CIDRs of the region (ephemeral return ports) in the network ACL.',
  appliesWhen: 'A custom network ACL is on a subnet of a workload that uses S3: replies from the S3 ranges on ports it '
    + 'does not allow in are dropped, and the connections hang (error). A warning when the workloads may use S3.',
  guard: 'Subnets on the VPC\'s default ACL and workloads that do not use S3 are not judged; the ephemeral range '
    + 'judged is the workload\'s own (1024-65535 for Lambda and Fargate, the Linux kernel\'s 32768-61000 for EC2).',
  hops: ['nacl-return'],
  check(m: Model, report: Reporter): void {
    for (const wa of workloadAcls(m)) {
      const { acl, subnets, workloads } = wa;
      const subjects = aclSubjects(wa);
      const wide = workloads.some(usesWideEphemeralRange);
      const [from, to] = wide ? [1024, 65535] : [32768, 61000];
      const result = evaluateS3(acl, false, from, to);
      const users = `subnets ${[...subnets].join(', ')} of ${workloads.map(w => w.res.path).join(', ')}`;
      if (result.kind === 'unknown') {
        report.cannotJudge(acl.res, `the inbound TCP ${from}-${to} of network ACL ${acl.res.path} on ${users}: ${result.what}`, { subjects });
      } else if (result.kind === 'denied') {
        const first = result.denied[0];
        report.failIf(wa.definite, acl.res,
          `network ACL ${acl.res.path} on ${users} does not allow inbound TCP ${from}-${to} (ephemeral return ports of `
          + `${wide ? 'Lambda/Fargate' : 'EC2'}) from ${result.denied.length} of ${result.total} S3 CIDRs of ${result.region} `
          + `(e.g. ${first.cidr}: ${describeDecision(first.decision)})${ifUsesS3(m, workloads)}`, { subjects });
      }
    }
  },
};

/** Lambda and Fargate pick return ports from 1024-65535; EC2-based hosts from the kernel's 32768-60999. */
function usesWideEphemeralRange(w: WorkloadNode): boolean {
  if (w.kind === 'lambda') return true;
  if (w.kind !== 'ecs-service') return false;
  if (w.launchType === 'FARGATE') return true;
  const strategy = JSON.stringify(w.res.props.CapacityProviderStrategy ?? '');
  return strategy.includes('FARGATE');
}
