import { Reporter, Rule } from './rule';
import { isPrivateIpv4 } from '../model/addresses';
import type { Model } from '../model/model';
import { s3Ipv4Cidrs } from '../model/s3-ranges';
import { ifUsesS3, s3UseOf } from '../model/s3-use';
import { allows443, describeEgress, prefixListInfo, rawEgressOf, s3CidrsNotCovered } from '../model/sg-egress';
import { isUnknown, SecurityGroupNode, WorkloadNode } from '../model/types';

type Verdict = { allows: true } | { allows: false; unresolved: string[]; evidence: string[] };

/**
 * S3PA-SgEgress: a workload whose security groups all restrict egress and none lets TCP 443 reach S3 (the S3 prefix
 * list, or CIDRs covering every S3 range of the region).
 */
export const sgEgress: Rule = {
  id: 'S3PA-SgEgress',
  level: 'error',
  symptom: 'Calls to S3 hit a connect timeout.',
  description: 'A workload whose security groups all restrict egress (no default allow-all; CDK\'s `allowAllOutbound: false` '
    + 'writes a 255.255.255.255/32 sentinel rule that allows nothing) and none has TCP 443 egress (protocol tcp or all, a '
    + 'port range holding 443) to the S3 prefix list or to CIDRs covering every S3 range of the region. A prefix list '
    + 'named by a literal id, an unknown reference or a custom-resource attribute is treated as S3-capable unless the '
    + 'app proves it is another list (a customer-managed list of the app, or a looked-up list of another name). '
    + 'Security groups not defined in the app cannot be judged.',
  fix: 'Add egress TCP 443 to the S3 prefix list `com.amazonaws.<region>.s3` (`S3PrefixList.allowFrom`, or '
    + '`Peer.prefixList` with `PrefixList.fromLookup`).',
  appliesWhen: 'A workload that uses S3 has security groups that all restrict egress and none lets TCP 443 reach S3: '
    + 'its connections time out (error). A warning when the workload may use S3 but the app does not show it.',
  guard: 'Workloads that do not use S3 are not judged; egress to the VPC\'s own range (`Fn::GetAtt Vpc.CidrBlock`) is '
    + 'resolved, not guessed; a prefix list the app cannot identify counts as the S3 list.',
  hops: ['security-group'],
  check(m: Model, report: Reporter): void {
    const verdicts = new Map<string, Verdict>();
    const failing = new Map<string, { sg: SecurityGroupNode; workloads: WorkloadNode[]; definite: boolean; evidence: string[] }>();
    for (const w of m.workloads) {
      const use = s3UseOf(m, w);
      if (w.securityGroups.length === 0 || use.level === 'no') continue;
      const result = judgeWorkload(m, w, verdicts);
      if (result === 'ok') continue;
      if (result.unknownGroups.length > 0 || result.unresolved.length > 0) {
        report.cannotJudge(w.res, `the egress of workload ${w.res.path}: ${[...result.unknownGroups, ...result.unresolved].join('; ')}`,
          { subjects: { workloads: [w.res.key] } });
        continue;
      }
      for (const [sg, evidence] of result.groups) {
        const entry = failing.get(sg.res.key) ?? { sg, workloads: [], definite: false, evidence };
        entry.workloads.push(w);
        entry.definite = entry.definite || use.level === 'yes';
        failing.set(sg.res.key, entry);
      }
    }
    for (const { sg, workloads, definite, evidence } of failing.values()) {
      const region = sg.res.stack.region ?? '<region>';
      const names = workloads.map(w => w.res.path).join(', ');
      report.failIf(definite, sg.res,
        `security group ${sg.res.path} restricts egress and allows no TCP 443 to the S3 prefix list or to CIDRs covering `
        + `S3 in ${region}, so ${names} cannot reach S3 (egress: ${evidence.join('; ') || 'none'})`
        + ifUsesS3(m, workloads), {
          fix: `add egress TCP 443 to the S3 prefix list com.amazonaws.${region}.s3 on ${sg.res.path} (S3PrefixList.allowFrom, or `
          + 'Peer.prefixList with PrefixList.fromLookup)',
          subjects: { securityGroups: [sg.res.key], workloads: workloads.map(w => w.res.key) },
        });
    }
  },
};

type WorkloadResult = 'ok' | {
  unknownGroups: string[];
  unresolved: string[];
  groups: Array<[SecurityGroupNode, string[]]>;
};

function judgeWorkload(m: Model, w: WorkloadNode, verdicts: Map<string, Verdict>): WorkloadResult {
  const unknownGroups: string[] = [];
  const unresolved: string[] = [];
  const groups: Array<[SecurityGroupNode, string[]]> = [];
  for (const g of w.securityGroups) {
    if (isUnknown(g)) {
      unknownGroups.push(g.what);
      continue;
    }
    let v = verdicts.get(g.res.key);
    if (!v) {
      v = judgeGroup(m, g);
      verdicts.set(g.res.key, v);
    }
    if (v.allows) return 'ok';
    unresolved.push(...v.unresolved);
    groups.push([g, v.evidence]);
  }
  return { unknownGroups, unresolved, groups };
}

/** One group on its own: does it let TCP 443 reach all of S3? */
function judgeGroup(m: Model, sg: SecurityGroupNode): Verdict {
  if (sg.defaultAllowAll) return { allows: true };
  const unresolved: string[] = [];
  const evidence: string[] = [];
  const cidrs: string[] = [];
  for (const e of rawEgressOf(sg)) {
    evidence.push(describeEgress(m, e));
    const port = allows443(m, e.source, e.raw);
    if (port.port === 'no') continue;
    if (port.port === 'unknown') {
      unresolved.push(port.what!);
      continue;
    }
    if (e.raw.DestinationPrefixListId !== undefined) {
      if (prefixListInfo(m, e.source, e.raw.DestinationPrefixListId).kind !== 'other') return { allows: true };
      continue;
    }
    if (e.raw.CidrIp !== undefined) {
      const cidr = m.str(e.source, e.raw.CidrIp);
      if (isUnknown(cidr)) unresolved.push(`the destination of an egress rule of ${sg.res.path} (${cidr.what})`);
      else cidrs.push(cidr);
    }
  }
  if (cidrs.includes('0.0.0.0/0')) return { allows: true };
  // private ranges (a VPC's own CIDR) never hold S3 addresses, in any region
  const publicCidrs = cidrs.filter(c => !isPrivateIpv4(c));
  if (publicCidrs.length > 0) {
    const region = sg.res.stack.region;
    const s3 = region ? s3Ipv4Cidrs(region) : undefined;
    if (!s3) {
      unresolved.push(`whether ${publicCidrs.join(', ')} cover S3 (${region ? `no bundled S3 ranges for ${region}` : 'environment-agnostic stack'})`);
    } else {
      const missing = s3CidrsNotCovered(publicCidrs, s3);
      if (missing.length === 0) return { allows: true };
      evidence.push(`${missing.length} of ${s3.length} S3 CIDRs uncovered, e.g. ${missing[0]}`);
    }
  }
  return { allows: false, unresolved, evidence };
}
