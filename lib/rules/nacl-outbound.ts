import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { aclSubjects, describeDecision, evaluateS3, workloadAcls } from '../model/nacl-eval';
import { ifUsesS3 } from '../model/s3-use';

/** S3PA-NaclOutbound: a custom network ACL on a workload subnet that does not allow TCP 443 out to every S3 range. */
export const naclOutbound: Rule = {
  id: 'S3PA-NaclOutbound',
  level: 'error',
  symptom: 'Calls to S3 time out.',
  description: 'A custom network ACL (`AWS::EC2::NetworkAcl` associated with a workload subnet through '
    + '`SubnetNetworkAclAssociation`) whose outbound entries, evaluated in rule-number order (first match wins, then the '
    + 'implicit deny), do not allow TCP 443 to every S3 CIDR of the region (bundled snapshot of the published ranges). '
    + 'Subnets on the VPC default ACL allow all traffic and are compliant.',
  fix: 'Allow TCP 443 outbound to the S3 CIDRs of the region in the network ACL, before any deny entry that covers them.',
  appliesWhen: 'A custom network ACL is on a subnet of a workload that uses S3: connections to the S3 ranges it does '
    + 'not allow time out (error). A warning when the workloads may use S3 but the app does not show it.',
  guard: 'Subnets on the VPC\'s default ACL (allow all) and workloads that do not use S3 are not judged; entries are '
    + 'evaluated in rule-number order over each S3 range as a whole, so an allow for part of a range lets the rest go on.',
  hops: ['nacl-outbound'],
  check(m: Model, report: Reporter): void {
    for (const wa of workloadAcls(m)) {
      const { acl, subnets, workloads } = wa;
      const result = evaluateS3(acl, true, 443, 443);
      const users = `subnets ${[...subnets].join(', ')} of ${workloads.map(w => w.res.path).join(', ')}`;
      const subjects = aclSubjects(wa);
      if (result.kind === 'unknown') {
        report.cannotJudge(acl.res, `the outbound TCP 443 of network ACL ${acl.res.path} on ${users}: ${result.what}`, { subjects });
      } else if (result.kind === 'denied') {
        const first = result.denied[0];
        report.failIf(wa.definite, acl.res,
          `network ACL ${acl.res.path} on ${users} does not allow TCP 443 outbound to ${result.denied.length} of ${result.total} `
          + `S3 CIDRs of ${result.region} (e.g. ${first.cidr}: ${describeDecision(first.decision)})${ifUsesS3(m, workloads)}`, { subjects });
      }
    }
  },
};
