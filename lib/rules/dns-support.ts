import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { listText, vpcsInUse } from '../model/s3-reach';
import { privateDnsEnabled } from '../model/s3-routes';
import { ifUsesS3 } from '../model/s3-use';
import { isUnknown } from '../model/types';

/**
 * S3PA-DnsSupport: a VPC that matters for S3 private access with DNS support turned off, or with DNS hostnames off
 * while it holds interface endpoints with private DNS.
 */
export const dnsSupport: Rule = {
  id: 'S3PA-DnsSupport',
  level: 'error',
  symptom: 'S3 names fail to resolve, or the deployment of an interface endpoint with private DNS fails.',
  description: 'An AWS::EC2::VPC with EnableDnsSupport false: the Amazon resolver answers nothing, so S3 names do '
    + 'not resolve. Or EnableDnsHostnames false or unset (CloudFormation\'s default is false; CDK\'s `Vpc` sets both '
    + 'true) in a VPC with interface endpoints that enable private DNS, which needs both attributes. Only VPCs that '
    + 'hold an S3 endpoint or a workload that uses S3 are judged.',
  fix: 'enable both: EnableDnsSupport and EnableDnsHostnames true (`enableDnsSupport` and `enableDnsHostnames` of `ec2.Vpc`)',
  appliesWhen: 'EnableDnsSupport false in a VPC where a workload that uses S3 runs: its S3 names do not resolve '
    + '(error; a warning when the VPC holds only an S3 endpoint or workloads that may use S3). EnableDnsHostnames '
    + 'false with an interface endpoint that enables private DNS: the endpoint fails to deploy (error).',
  guard: 'DNS hostnames do not matter to gateway endpoints: a VPC with EnableDnsHostnames false and only gateway '
    + 'endpoints is compliant; VPCs with neither an S3 endpoint nor a workload that uses S3 are not judged.',
  hops: ['dns'],
  check(m: Model, report: Reporter): void {
    for (const { vpc, workloads, definite } of vpcsInUse(m).values()) {
      const subjects = { vpcs: [vpc.res.key] };
      const support = vpc.enableDnsSupport;
      if (isUnknown(support)) {
        report.cannotJudge(vpc.res, `EnableDnsSupport of VPC ${vpc.res.path}: ${support.what}`, { subjects });
      } else if (!support) {
        const users = workloads.length > 0 ? ` for ${listText(workloads.map(w => w.res.path))}${ifUsesS3(m, workloads)}`
          : ' (it holds an S3 endpoint; no workload of the app runs in it)';
        report.failIf(definite, vpc.res, `VPC ${vpc.res.path} has EnableDnsSupport false: the Amazon resolver answers `
          + `nothing, so S3 names do not resolve${users}`, { subjects });
      }
      const privateDns = vpc.endpoints.filter(ep => ep.endpointType === 'Interface' && privateDnsEnabled(ep));
      if (privateDns.length === 0) continue;
      const hostnames = vpc.enableDnsHostnames;
      const endpoints = listText(privateDns.map(ep => ep.res.path));
      if (isUnknown(hostnames)) {
        report.cannotJudge(vpc.res, `EnableDnsHostnames of VPC ${vpc.res.path}, which private DNS of ${endpoints} needs: ${hostnames.what}`, { subjects });
      } else if (!hostnames) {
        const unset = vpc.res.props.EnableDnsHostnames === undefined ? 'unset (false by default)' : 'false';
        report.fail(vpc.res, `VPC ${vpc.res.path} has EnableDnsHostnames ${unset}, but interface endpoint${privateDns.length > 1 ? 's' : ''} `
          + `${endpoints} enable${privateDns.length > 1 ? '' : 's'} private DNS, which needs both DNS attributes: the deployment fails`,
        { subjects });
      }
    }
  },
};
