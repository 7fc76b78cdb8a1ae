import { listOf, listText, unique } from '../../model/helpers';
import type { Model } from '../../model/model';
import { isGateway, isS3Endpoint } from '../../model/s3-reach';
import { EndpointNode, isUnknown, ModelResource, RouteTableNode } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-DuplicateGatewayRoute: two S3 gateway endpoints name one route table. A gateway endpoint writes a route to the
 * S3 prefix list into each of its tables, and a table holds one route per destination, so whichever endpoint
 * CloudFormation creates second fails ("route table … already has a route with destination-prefix-list-id").
 * Tables are matched through the app's references (or by the same literal `rtb-…` id); an id that stays unresolved
 * is a warning.
 */
export const duplicateGatewayRoute: Rule = {
  id: 'S3PA-DuplicateGatewayRoute',
  level: 'error',
  symptom: 'The deployment fails: the second S3 gateway endpoint cannot add its route ("route table already has a route with destination-prefix-list-id").',
  description: 'Two AWS::EC2::VPCEndpoint resources of service com.amazonaws.<region>.s3 and type Gateway (or one '
    + 'defined and one adopted through ec2:ModifyVpcEndpoint) list the same route table in their RouteTableIds, '
    + 'matched through Refs of the app\'s route tables or the same literal rtb-… id. A route table holds one route per '
    + 'prefix list, so only one of them can route S3 for it.',
  fix: 'keep one S3 gateway endpoint per VPC and list every route table in it (one S3PrivateAccess per VPC, or '
    + 'EndpointSource.fromExisting to adopt the endpoint that already exists)',
  appliesWhen: 'Two S3 gateway endpoints of the app name the same route table: the endpoint created second fails and '
    + 'the stack rolls back (error). When one of the tables is an id that stays unresolved (a parameter, an import) '
    + 'and both endpoints are in the same VPC, a warning.',
  guard: 'Different route tables of one VPC may each have their own S3 gateway endpoint; an s3express or DynamoDB '
    + 'gateway endpoint on the same table is another prefix list and is no conflict; tables are compared by '
    + 'reference, never by position. (S3PrivateAccess refuses to add a second route to a table itself, at synthesis.)',
  hops: ['route-table'],
  check(m: Model, report: Reporter): void {
    const s3Gateways = m.endpoints.filter(ep => isGateway(ep) && isS3Endpoint(ep) === true);
    for (const rt of m.routeTables) {
      const eps = unique(rt.gatewayEndpoints.filter(ep => s3Gateways.includes(ep)));
      if (eps.length > 1) conflict(report, rt.res, rt.res.path, eps, rt);
    }
    literalConflicts(m, report, s3Gateways);
    unresolvedTables(report, s3Gateways);
  },
};

function conflict(report: Reporter, at: ModelResource, table: string, eps: EndpointNode[], rt?: RouteTableNode): void {
  const names = eps.map(ep => (ep.adopted ? `${ep.endpointId} (adopted by ${ep.res.path})` : ep.res.path));
  const vpc = eps.map(ep => ep.vpc).find(v => !isUnknown(v));
  report.fail(at, `S3 gateway endpoints ${listText(names)} both name route table ${table}: a table holds one route to `
    + 'the S3 prefix list, so the endpoint created second fails and the deployment rolls back', {
    subjects: {
      endpoints: eps.map(ep => ep.res.key),
      ...(rt ? { routeTables: [rt.res.key] } : {}),
      ...(vpc && !isUnknown(vpc) ? { vpcs: [vpc.res.key] } : {}),
    },
  });
}

/** Route tables not defined in the app but named by the same literal id in two S3 gateway endpoints. */
function literalConflicts(m: Model, report: Reporter, eps: EndpointNode[]): void {
  const byId = new Map<string, EndpointNode[]>();
  for (const ep of eps) {
    if (ep.adopted) continue;
    for (const v of listOf(ep.res.props.RouteTableIds)) {
      if (m.target(ep.res, v)) continue;
      const id = m.str(ep.res, v);
      if (typeof id !== 'string') continue;
      const list = byId.get(id) ?? [];
      if (!list.includes(ep)) list.push(ep);
      byId.set(id, list);
    }
  }
  for (const [id, list] of byId) if (list.length > 1) conflict(report, list[1].res, id, list);
}

/** Two S3 gateway endpoints of one VPC, one of which names a route table that stays unresolved. */
function unresolvedTables(report: Reporter, eps: EndpointNode[]): void {
  const byVpc = new Map<string, EndpointNode[]>();
  for (const ep of eps) {
    if (isUnknown(ep.vpc)) continue;
    byVpc.set(ep.vpc.res.key, [...byVpc.get(ep.vpc.res.key) ?? [], ep]);
  }
  for (const list of byVpc.values()) {
    if (list.length < 2) continue;
    const unsure = list.filter(ep => ep.routeTables.some(rt => isUnknown(rt) && !/^route table rtb-\S+ \(not defined in the app\)$/.test(rt.what)));
    for (const ep of unsure) {
      const others = list.filter(o => o !== ep).map(o => o.res.path);
      const what = ep.routeTables.filter(isUnknown).map(u => u.what);
      report.cannotJudge(ep.res, `whether ${listText(what)} of S3 gateway endpoint ${ep.res.path} is also a route table of `
        + `S3 gateway endpoint ${listText(others)} in the same VPC (if so, the endpoint created second fails)`,
      { subjects: { endpoints: list.map(o => o.res.key) } });
    }
  }
}
