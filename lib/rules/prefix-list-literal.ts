import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { s3UseOf } from '../model/s3-use';
import { describeEgress, LOOKUP_PLACEHOLDER, rawEgressOf } from '../model/sg-egress';
import { isUnknown, SecurityGroupNode } from '../model/types';

/**
 * S3PA-PrefixListLiteral: a hard-coded `pl-…` in a workload security group's egress.
 *
 * `PrefixList.fromLookup` writes the looked-up id into the template as a literal too, so the template alone cannot
 * tell the two apart. The rule therefore uses the app's context: an id that a prefix-list lookup of the stack's
 * account and region answered is a lookup, any other literal is hard-coded. In an environment-agnostic stack no
 * lookup can run, so every literal there is hard-coded. When the model was built from templates alone (no context),
 * literals in environment-bound stacks are not reported.
 */
export const prefixListLiteral: Rule = {
  id: 'S3PA-PrefixListLiteral',
  level: 'warning',
  symptom: 'After a region change, egress goes to the wrong prefix list and S3 calls time out.',
  description: 'A hard-coded prefix-list id (`pl-…`) in a workload security group\'s egress. AWS-managed lists such as '
    + '`com.amazonaws.<region>.s3` have a different id in every region, and the checks cannot know the right id offline, '
    + 'so any literal is reported. Ids that a `PrefixList.fromLookup` answered in the app\'s context (`cdk.context.json`) '
    + 'are lookups, not literals, and are not reported. Every literal in an environment-agnostic stack is reported (no '
    + 'lookup can run there). Limitation: without the construct tree (templates only) a looked-up id cannot be told from a '
    + 'hard-coded one, so literals in environment-bound stacks are then not reported.',
  fix: 'Use the construct\'s prefix-list resolution (`S3PrefixList`, or `PrefixList.fromLookup`) instead of a literal id.',
  appliesWhen: 'A security group of a workload that uses (or may use) S3 has egress to a literal `pl-` id that no '
    + 'prefix-list lookup of the app answered (always a warning: the id may be right today).',
  guard: 'Ids answered by `PrefixList.fromLookup` in the app\'s context are lookups, not literals; without the context '
    + '(templates only) environment-bound stacks are not judged; groups of workloads that do not use S3 are not judged.',
  hops: ['security-group'],
  check(m: Model, report: Reporter): void {
    const groups = new Map<string, SecurityGroupNode>();
    for (const w of m.workloads) {
      if (s3UseOf(m, w).level === 'no') continue;
      for (const g of w.securityGroups) if (!isUnknown(g)) groups.set(g.res.key, g);
    }
    for (const sg of groups.values()) {
      const stack = sg.res.stack;
      for (const e of rawEgressOf(sg)) {
        const id = e.raw.DestinationPrefixListId;
        if (typeof id !== 'string' || !id.startsWith('pl-') || id === LOOKUP_PLACEHOLDER) continue;
        if (stack.prefixListLookups?.[id] !== undefined) continue;
        let why: string;
        if (stack.region === undefined) why = `environment-agnostic stack ${stack.id} can deploy to any region`;
        else if (stack.prefixListLookups !== undefined) why = `no prefix-list lookup in the app's context answered ${id}`;
        else continue;
        report.fail(e.source,
          `security group ${sg.res.path} has egress to the hard-coded prefix list ${id} (${describeEgress(m, e)}): `
          + `a literal id cannot follow a region change, each region's S3 list has its own id (${why})`,
          { subjects: { securityGroups: [sg.res.key] } });
      }
    }
  },
};
