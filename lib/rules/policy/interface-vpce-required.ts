import { listText } from '../../model/helpers';
import { callsEndpointNames, interfaceOnlyDenials, privateDnsMode } from '../../model/interface-endpoints';
import type { Model } from '../../model/model';
import { isUnknown } from '../../model/types';
import type { Reporter, Rule } from '../rule';

/**
 * S3PA-InterfaceVpceRequired: a bucket policy requires (Deny unless `aws:SourceVpce`) the id of an S3 interface
 * endpoint, while a workload granted on the bucket sits in subnets whose route table carries an S3 gateway endpoint.
 * In-VPC requests take the gateway's prefix-list route (unless the interface endpoint's private DNS answers every
 * resolver) and carry the gateway endpoint's id, so the Deny applies: 403. S3PA-SourceVpceValue leaves these denials
 * to this rule, so the fault is reported once, with its cause.
 */
export const interfaceVpceRequired: Rule = {
  id: 'S3PA-InterfaceVpceRequired',
  level: 'error',
  symptom: 'Requests from the VPC get 403 (explicit deny) although the bucket policy names the VPC\'s S3 interface endpoint.',
  description: 'A bucket-policy Deny conditioned on aws:SourceVpce names S3 interface endpoints of the app (and not '
    + 'the S3 gateway endpoint), and a workload granted on the bucket runs in a subnet whose route table is associated '
    + 'with an S3 gateway endpoint. Requests from the VPC take the gateway endpoint\'s route when the interface '
    + 'endpoint has no private DNS or private DNS only for inbound resolvers (PrivateDnsOnlyForInboundResolverEndpoint '
    + 'OnlyInboundResolver), and carry the gateway endpoint\'s id.',
  fix: 'list both endpoint ids in aws:SourceVpce (the gateway endpoint for the VPC\'s own workloads, the interface '
    + 'endpoint for remote networks), or restrict by aws:SourceVpc, or compare aws:SourceVpce with the gateway endpoint',
  appliesWhen: 'A workload granted on the bucket sends its requests through an S3 gateway endpoint and a bucket-policy '
    + 'Deny requires an S3 interface endpoint\'s id: an error when the interface endpoint cannot take the requests (no '
    + 'private DNS, or private DNS only for inbound resolvers); a warning when it has private DNS and the '
    + 'inbound-only option is left to AWS\'s default (in-VPC requests then take whichever endpoint AWS picks).',
  guard: 'An interface endpoint with private DNS for all resolvers takes the VPC\'s requests (no finding); a workload '
    + 'whose environment names an endpoint-specific URL calls the interface endpoint directly (no finding); literal '
    + 'vpce-… ids and values that are no S3 endpoint are S3PA-SourceVpceValue\'s case.',
  hops: ['bucket-policy'],
  check(m: Model, report: Reporter): void {
    const groups = new Map<string, { x: ReturnType<typeof interfaceOnlyDenials>[number]; actions: Set<string> }>();
    for (const x of interfaceOnlyDenials(m)) {
      const d = x.denial;
      const key = `${d.policy.key}|${d.workload.res.key}|${d.route.endpoint!.res.key}|${d.bucket.key}|${d.kind}`;
      const g = groups.get(key) ?? { x, actions: new Set<string>() };
      g.actions.add(d.entry.action);
      groups.set(key, g);
    }
    for (const { x, actions } of groups.values()) {
      const d = x.denial;
      const gateway = d.route.endpoint!;
      if (callsEndpointNames(m, d.workload)) continue;
      // private DNS is per VPC: only an interface endpoint of the workload's own VPC can take its requests
      const modes = x.interfaces.filter(ep => ep.vpc === d.route.subnet.vpc).map(ep => ({ ep, mode: privateDnsMode(m, ep) }));
      // an interface endpoint whose private DNS answers every resolver takes the VPC's requests
      if (modes.some(y => y.mode === 'all')) continue;
      const what = listText([...actions]);
      const bucket = d.bucket.node ? `bucket ${d.bucket.node.res.path}` : `bucket ${d.bucket.name}`;
      const ifaces = listText(x.interfaces.map(ep => ep.res.path));
      const subjects = {
        workloads: [d.workload.res.key],
        endpoints: [gateway.res.key],
        buckets: [d.bucket.key],
        roles: [d.role.res.key],
        actions: [...actions],
      };
      const where = `${d.policy.path} denies ${what} on ${bucket} unless aws:SourceVpce is S3 interface endpoint ${ifaces}, `
        + `but ${d.workload.res.path} runs in subnet ${d.route.subnet.res.path}, whose route table sends S3 traffic to gateway `
        + `endpoint ${gateway.res.path}`;
      const unresolved = modes.filter(y => isUnknown(y.mode));
      if (d.kind === 'unsure' || unresolved.length > 0) {
        report.cannotJudge(d.policy, `whether ${where} denies its requests: `
          + (unresolved.length > 0 ? listText(unresolved.map(y => (y.mode as any).what)) : 'the policy depends on values not resolved at synth time'),
        { subjects });
      } else if (modes.some(y => y.mode === 'unspecified')) {
        report.warn(d.policy, `${where}; interface endpoint ${ifaces} has private DNS with PrivateDnsOnlyForInboundResolverEndpoint `
          + 'unset, so if AWS routes in-VPC requests to the gateway endpoint they carry its id and get 403', { subjects });
      } else {
        report.fail(d.policy, `${where}: the requests carry the gateway endpoint's id in aws:SourceVpce, so they get 403`, { subjects });
      }
    }
  },
};
