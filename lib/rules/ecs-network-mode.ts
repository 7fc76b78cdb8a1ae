import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { s3UseOf } from '../model/s3-use';
import { isUnknown, Maybe, ModelResource } from '../model/types';

/**
 * S3PA-EcsNetworkMode: an ECS service whose task definition runs in bridge or host mode. Such tasks do reach S3 through
 * a gateway endpoint, but through the container instance's network: its subnet's route table and its security groups
 * apply, not a per-task ENI. The warning says which hosts' subnets and groups the other rules judged instead.
 */
export const ecsNetworkMode: Rule = {
  id: 'S3PA-EcsNetworkMode',
  level: 'warning',
  symptom: 'Misdiagnosis: the task\'s own subnets and security groups are looked for, but the host\'s apply.',
  description: 'An ECS task definition in `bridge` or `host` network mode used by a service: the container instance\'s '
    + 'subnet route table and security groups apply, not a per-task ENI (the tasks still use a gateway endpoint, through '
    + 'the host). The checks judge the subnets and groups of the container instances\' Auto Scaling groups instead '
    + '(found through capacity providers or user data naming the cluster).',
  fix: 'Check the container instances\' subnets (route tables associated with the S3 endpoint) and security groups '
    + '(TCP 443 egress to the S3 prefix list), or use `awsvpc` network mode for per-task networking.',
  appliesWhen: 'An ECS service that uses (or may use) S3 runs tasks in bridge or host network mode (always a warning: it names the '
    + 'hosts\' subnets and groups that the other rules judged instead of a per-task ENI).',
  guard: 'Services that do not use S3 are not judged; awsvpc tasks are judged on their own network configuration.',
  hops: ['subnet'],
  check(m: Model, report: Reporter): void {
    for (const w of m.workloads) {
      if (w.kind !== 'ecs-service' || typeof w.networkMode !== 'string' || s3UseOf(m, w).level === 'no') continue;
      const mode = w.networkMode;
      if (mode !== 'bridge' && mode !== 'host') continue;
      const taskDef = w.definition ? ` runs task definition ${w.definition.path}` : '';
      if (w.subnets.length === 0 || w.subnets.some(isUnknown)) {
        const what = w.subnets.filter(isUnknown).map(s => s.what);
        report.cannotJudge(w.res, `the container instances of ECS service ${w.res.path} (${mode} mode): `
          + (what.length > 0 ? what.join('; ') : 'no Auto Scaling group of the app serves its cluster'), { subjects: { workloads: [w.res.key] } });
        continue;
      }
      report.fail(w.res,
        `ECS service ${w.res.path}${taskDef} in ${mode} network mode: its tasks use the container instances' network, so `
        + `the checks judge the hosts' subnets ${names(w.subnets)} and security groups ${names(w.securityGroups)} instead `
        + 'of a per-task one', { subjects: { workloads: [w.res.key] } });
    }
  },
};

function names(list: Array<Maybe<{ res: ModelResource }>>): string {
  if (list.length === 0) return '(none)';
  return [...new Set(list.map(x => (isUnknown(x) ? x.what : x.res.path)))].join(', ');
}
