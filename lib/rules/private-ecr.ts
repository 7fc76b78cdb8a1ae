import { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { EndpointNode, isUnknown, VpcNode } from '../model/types';

/**
 * S3PA-PrivateEcr: an ECS service that pulls an ECR image from subnets with no internet route, in a VPC without the
 * `ecr.api` and `ecr.dkr` interface endpoints (and `logs` when a container uses the awslogs driver).
 *
 * Lambda functions with container images are left out on purpose: the Lambda service pulls and caches the image
 * when the function is created or updated, outside the function's VPC, so the VPC's endpoints play no part.
 */
export const privateEcr: Rule = {
  id: 'S3PA-PrivateEcr',
  level: 'error',
  symptom: 'Tasks fail to start with CannotPullContainerError.',
  description: 'An ECS service (Fargate, or EC2 with the hosts\' subnets) whose containers use ECR images, in a subnet '
    + 'with no route to the internet, in a VPC without the `ecr.api` and `ecr.dkr` interface endpoints (private DNS '
    + 'enabled), and without the `logs` endpoint when a container uses the awslogs log driver. The image layers come '
    + 'from S3 through the gateway endpoint, but the registry API and the Docker endpoint need their own. Lambda '
    + 'functions with container images are not judged: the Lambda service pulls the image outside the function\'s VPC.',
  fix: 'Add the `ecr.api` and `ecr.dkr` interface endpoints (and `logs` for awslogs) to the VPC, with private DNS enabled.',
  appliesWhen: 'An ECS service with ECR images runs in subnets with no way out of the VPC, and the VPC lacks the ecr.api and ecr.dkr '
    + 'interface endpoints (and logs for awslogs): its tasks cannot start (error). Subnets routed through a transit '
    + 'gateway, peering or an unresolved target cannot be judged (warning).',
  guard: 'Lambda container images are pulled by the Lambda service outside the VPC and are not judged; NAT gateways and NAT '
    + 'instances count as a way out.',
  hops: [],
  check(m: Model, report: Reporter): void {
    for (const w of m.workloads) {
      if (w.kind !== 'ecs-service' || !w.usesEcrImage) continue;
      const needed = ['ecr.api', 'ecr.dkr'];
      if (w.containers.some(c => c.logDriver === 'awslogs')) needed.push('logs');
      const unresolved: string[] = [];
      const failing: string[] = [];
      const missing = new Set<string>();
      for (const s of w.subnets) {
        if (isUnknown(s)) {
          unresolved.push(s.what);
          continue;
        }
        if (s.hasInternetRoute) continue;
        if (isUnknown(s.routeTable)) {
          unresolved.push(`whether subnet ${s.res.path} has an internet route (${s.routeTable.what})`);
          continue;
        }
        if (s.wayOut === 'transit' || s.wayOut === 'unknown') {
          unresolved.push(`whether subnet ${s.res.path} reaches ECR through its ${s.wayOut === 'transit'
            ? 'transit gateway, peering or VPN route (another network decides)' : 'route out of the VPC, whose target is not resolved'}`);
          continue;
        }
        if (isUnknown(s.vpc)) {
          unresolved.push(`the endpoints of ${s.vpc.what}`);
          continue;
        }
        const gaps = missingEndpoints(m, s.vpc, needed);
        if (gaps.length === 0) continue;
        failing.push(s.res.path);
        gaps.forEach(g => missing.add(g));
      }
      const subjects = { workloads: [w.res.key] };
      if (failing.length > 0) {
        const images = [...new Set(w.containers.filter(c => c.ecrImage).map(c => c.name))].join(', ');
        report.fail(w.res,
          `ECS service ${w.res.path} pulls ECR images (containers ${images}) in subnets ${failing.join(', ')} with no internet `
          + `route, and the VPC lacks the interface endpoints ${[...missing].join(', ')}`,
          {
            fix: `add the interface endpoints ${[...missing].map(x => `com.amazonaws.<region>.${x.replace(/ \(.*$/, '')}`).join(', ')} `
            + 'to the VPC with private DNS enabled',
            subjects,
          });
      } else if (unresolved.length > 0) {
        report.cannotJudge(w.res, `the image-pull path of ECS service ${w.res.path}: ${unresolved.join('; ')}`, { subjects });
      }
    }
  },
};

/** The services of `needed` that have no usable interface endpoint in the VPC (with a note when private DNS is off). */
function missingEndpoints(m: Model, vpc: VpcNode, needed: string[]): string[] {
  const found = new Map<string, EndpointNode>();
  for (const ep of vpc.endpoints) {
    if (ep.endpointType !== 'Interface') continue;
    const service = serviceOf(m, ep);
    if (service && needed.includes(service) && (!found.has(service) || privateDns(m, ep))) found.set(service, ep);
  }
  return needed.flatMap(s => {
    const ep = found.get(s);
    if (!ep) return [s];
    return privateDns(m, ep) ? [] : [`${s} (${ep.res.path} has private DNS disabled)`];
  });
}

function serviceOf(m: Model, ep: EndpointNode): string | undefined {
  if (typeof ep.service === 'string') return ep.service;
  return /\.(ecr\.api|ecr\.dkr|logs)$/.exec(m.sym(ep.res, ep.res.props.ServiceName))?.[1];
}

/** CloudFormation's default for `PrivateDnsEnabled` is false; CDK's `InterfaceVpcEndpoint` writes true. */
function privateDns(m: Model, ep: EndpointNode): boolean {
  return m.bool(ep.res, ep.res.props.PrivateDnsEnabled) !== false && ep.res.props.PrivateDnsEnabled !== undefined;
}
