import type { Reporter, Rule } from './rule';
import type { Model } from '../model/model';
import { vpcsInUse } from '../model/s3-reach';
import { isUnknown, Maybe } from '../model/types';

/**
 * S3PA-DnsSupport: a VPC that matters for S3 private access with DNS support or DNS hostnames turned off.
 */
export const dnsSupport: Rule = {
  id: 'S3PA-DnsSupport',
  level: 'error',
  symptom: 'S3 names fail to resolve, or resolve to a path that bypasses the endpoint.',
  description: 'An AWS::EC2::VPC with EnableDnsSupport false, or with EnableDnsHostnames false or unset '
    + '(CloudFormation\'s default is false; CDK\'s `Vpc` sets both true): without the Amazon resolver nothing resolves, '
    + 'and interface endpoints\' private DNS names need both attributes. Only VPCs that hold an S3 endpoint or a '
    + 'workload are judged, so VPCs unrelated to S3 access raise nothing.',
  fix: 'enable both: EnableDnsSupport and EnableDnsHostnames true (`enableDnsSupport` and `enableDnsHostnames` of `ec2.Vpc`)',
  check(m: Model, report: Reporter): void {
    for (const vpc of vpcsInUse(m).values()) {
      const problems: string[] = [];
      const judge = (prop: string, value: Maybe<boolean>, unsetFalse: boolean) => {
        if (isUnknown(value)) report.cannotJudge(vpc.res, `${prop} of VPC ${vpc.res.path}: ${value.what}`);
        else if (!value) problems.push(unsetFalse && vpc.res.props[prop] === undefined ? `${prop} unset (false by default)` : `${prop} false`);
      };
      judge('EnableDnsSupport', vpc.enableDnsSupport, false);
      judge('EnableDnsHostnames', vpc.enableDnsHostnames, true);
      if (problems.length === 0) continue;
      report.fail(vpc.res, `VPC ${vpc.res.path}, which holds an S3 endpoint or a workload, has ${problems.join(' and ')}`);
    }
  },
};
