import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { isUnknown, VpcNode, WorkloadNode } from '../model/types';

/**
 * S3PA-NoPublicIp: a Fargate service without a public IP in a public subnet (default route to an internet gateway,
 * so no NAT), where no interface endpoints let it pull its ECR image: the task cannot reach anything outside the VPC.
 */
export const noPublicIp: Rule = {
  id: 'S3PA-NoPublicIp',
  level: 'warning',
  symptom: 'Fargate tasks fail to start (image pull, secrets or logs time out).',
  description: 'A Fargate service with `AssignPublicIp: DISABLED` in a subnet whose only egress is an internet gateway '
    + '(its default route points to an IGW, so there is no NAT), and no `ecr.api` + `ecr.dkr` interface endpoints in the '
    + 'VPC for an ECR image. Without a public IP the task cannot use the internet gateway.',
  fix: 'Run the service in a private subnet with NAT or VPC endpoints, or set `assignPublicIp: true`.',
  appliesWhen: 'A Fargate service without a public IP runs in a subnet whose only way out is an internet gateway (always a warning: '
    + 'tasks that need nothing outside the VPC still start).',
  guard: 'ECR interface endpoints in the VPC make an ECR image pullable; services with a public IP or a NAT route are not judged.',
  hops: ['subnet'],
  check(m: Model, report: Reporter): void {
    for (const w of m.workloads) {
      if (w.kind !== 'ecs-service' || !isFargate(w) || w.assignPublicIp !== 'DISABLED') continue;
      const publicOnly: string[] = [];
      const unresolved: string[] = [];
      for (const s of w.subnets) {
        if (isUnknown(s)) unresolved.push(s.what);
        else if (isUnknown(s.routeTable)) unresolved.push(`the routes of subnet ${s.res.path} (${s.routeTable.what})`);
        else if (s.isPublic && !(w.usesEcrImage && !isUnknown(s.vpc) && hasEcrEndpoints(m, s.vpc))) publicOnly.push(s.res.path);
      }
      if (publicOnly.length > 0) {
        report.fail(w.res,
          `Fargate service ${w.res.path} has AssignPublicIp DISABLED in subnets ${publicOnly.join(', ')} whose only egress is `
          + 'an internet gateway (no NAT, no ECR interface endpoints), so its tasks cannot pull images or reach AWS APIs', { subjects: { workloads: [w.res.key] } });
      } else if (unresolved.length > 0) {
        report.cannotJudge(w.res, `the egress of Fargate service ${w.res.path}: ${unresolved.join('; ')}`, { subjects: { workloads: [w.res.key] } });
      }
    }
  },
};

function isFargate(w: WorkloadNode): boolean {
  if (w.launchType === 'FARGATE') return true;
  if (w.launchType !== undefined) return false;
  return JSON.stringify(w.res.props.CapacityProviderStrategy ?? '').includes('FARGATE');
}

function hasEcrEndpoints(m: Model, vpc: VpcNode): boolean {
  const services = new Set(vpc.endpoints
    .filter(ep => ep.endpointType === 'Interface')
    .map(ep => (typeof ep.service === 'string' ? ep.service : /\.(ecr\.api|ecr\.dkr)$/.exec(m.sym(ep.res, ep.res.props.ServiceName))?.[1])));
  return services.has('ecr.api') && services.has('ecr.dkr');
}
