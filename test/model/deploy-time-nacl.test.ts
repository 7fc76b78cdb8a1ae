import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { S3EndpointIpAddressType, S3PrivateAccess } from '../../lib';
import { s3Ipv6Cidrs, s3NaclIpv4Cidrs } from '../../lib/aws/s3-ranges';
import { NaclCidrUpdater, NaclCidrUpdaterIpv6Options } from '../../lib/network/nacl-cidr-updater';
import { naclEphemeral } from '../../lib/rules/network/nacl-ephemeral';
import { naclOutbound } from '../../lib/rules/network/nacl-outbound';
import { envStack, findingsOf, modelOf, summary } from '../helpers/checks';
import { vpcFunction } from '../helpers/net-fixtures';

/*
 * What the synth-time model sees of the entries the deploy-time NACL writer (Custom::S3NaclCidrs) will write, IPv6
 * included: a dualstack workload behind a keepNaclCidrsCurrent ACL is judged on those entries.
 */

const REGION = 'eu-west-1';

/** A one-AZ dual-stack VPC with isolated subnets, a custom ACL on them, and a function there that uses S3. */
function dualStackWorld(): { stack: Stack; vpc: ec2.Vpc; acl: ec2.NetworkAcl } {
  const stack = envStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  vpcFunction(stack, vpc);
  return { stack, vpc, acl };
}

function writtenEntries(stack: Stack) {
  const acl = modelOf(stack).networkAcls.find((a) => a.res.path === 'Stack/Acl/Resource')!;
  return acl.entries.filter((e) => e.res.type === 'Custom::S3NaclCidrs');
}

/** A writer on the ACL alone (no CloudFormation entries), IPv6 ranges as given. */
function writerOnly(ipv6?: NaclCidrUpdaterIpv6Options): Stack {
  const { stack, acl } = dualStackWorld();
  new NaclCidrUpdater(stack, 'Writer', { networkAcls: [acl], egressRuleNumberStart: 500, ingressRuleNumberStart: 500, ipv6 });
  return stack;
}

describe('deploy-time NACL entries in the model, IPv6', () => {
  test('keepNaclCidrsCurrent, dualstack: the model holds the IPv6 entries the function will write, in its IPv6 block', () => {
    // GIVEN
    const { stack, vpc, acl } = dualStackWorld();
    const access = new S3PrivateAccess(stack, 'S3', {
      vpc, networkAcls: [acl], keepNaclCidrsCurrent: true, ipAddressType: S3EndpointIpAddressType.DUALSTACK, checks: false,
    });
    const start = access.networkAclEntries!.ipv6RuleNumbers[0];
    // WHEN
    const written = writtenEntries(stack).filter((e) => e.ipv6CidrBlock !== undefined);
    // THEN one entry per S3 IPv6 CIDR of the region and direction, IPv6 only, from the start of the IPv6 block
    const cidrs = s3Ipv6Cidrs(REGION)!;
    const expected = (egress: boolean, portFrom: number, portTo: number) => cidrs.map((cidr, j) => ({
      egress, ruleNumber: start + j, ipv6CidrBlock: cidr, cidrBlock: undefined, ruleAction: 'allow', protocol: '6', portFrom, portTo,
    }));
    expect(written.map(({ res: _res, ...e }) => e)).toEqual([...expected(true, 443, 443), ...expected(false, 1024, 65535)]);
  });

  test('clean: a dualstack workload behind a keepNaclCidrsCurrent ACL gets no NACL finding', () => {
    // GIVEN
    const { stack, vpc, acl } = dualStackWorld();
    new S3PrivateAccess(stack, 'S3', { vpc, networkAcls: [acl], keepNaclCidrsCurrent: true, checks: false });
    // THEN
    expect(summary(findingsOf(stack, naclOutbound))).toEqual([]);
    expect(summary(findingsOf(stack, naclEphemeral))).toEqual([]);
  });

  test('clean twin: a writer whose IPv6 range holds the region\'s IPv6 CIDRs writes every family', () => {
    const stack = writerOnly({ maxEntriesPerDirection: 20 });
    expect(writtenEntries(stack)).toHaveLength(2 * (s3NaclIpv4Cidrs(REGION)!.length + s3Ipv6Cidrs(REGION)!.length));
    expect(summary(findingsOf(stack, naclOutbound))).toEqual([]);
  });

  test('faulty twin: a writer whose IPv6 CIDRs do not fit writes nothing (its deployment fails), so the ACL blocks S3', () => {
    // GIVEN eu-west-1 has more than one S3 IPv6 CIDR
    expect(s3Ipv6Cidrs(REGION)!.length).toBeGreaterThan(1);
    const stack = writerOnly({ maxEntriesPerDirection: 1 });
    // THEN
    expect(writtenEntries(stack)).toEqual([]);
    expect(summary(findingsOf(stack, naclOutbound))).toEqual([expect.objectContaining({ level: 'error', path: 'Stack/Acl/Resource' })]);
  });

  test('settings without ipv6 (earlier deployments) add IPv4 entries only', () => {
    const written = writtenEntries(writerOnly());
    expect(written.length).toBe(2 * s3NaclIpv4Cidrs(REGION)!.length);
    expect(written.every((e) => e.ipv6CidrBlock === undefined && typeof e.cidrBlock === 'string')).toBe(true);
  });
});
