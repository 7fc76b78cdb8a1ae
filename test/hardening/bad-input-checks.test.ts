import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BucketRestriction, EndpointPolicy, ExpressDirectoryBucket, S3EndpointIpAddressType, S3PrivateAccess, S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../../lib';
import { NaclCidrUpdater } from '../../lib/network/nacl-cidr-updater';
import { ALL_RULES } from '../../lib/rules/all';
import { construct, describeBadInput, isolatedVpc, Row, updater, withBucket } from '../helpers/bad-input';

import { envBoundStack } from '../helpers/s3pa-fixtures';

const rows: Row[] = [
  // the NACL updater (internal guards: S3PrivateAccess sizes its block within the limits)
  { name: 'internal guard: updater without ACLs', act: () => new NaclCidrUpdater(envBoundStack().stack, 'U', { networkAcls: [] }), message: 'networkAcls is empty: pass the network ACLs whose S3 entries the updater should manage' },
  {
    name: 'internal guard: updater with too many entries',
    act: updater({ maxEntriesPerDirection: 41 }),
    message: 'maxEntriesPerDirection must be an integer from 1 to 40 (the network ACL rules quota), got 41',
    shows: '41',
  },
  {
    name: 'internal guard: updater block beyond the last rule number',
    act: updater({ maxEntriesPerDirection: 20, egressRuleNumberStart: 32760 }),
    message: 'egressRuleNumberStart must be an integer from 1 to 32747 so that its 20 rule numbers stay within 1-32766, got 32760',
    shows: '32760',
  },

  // the checks' front ends
  {
    name: 'S3PrivateAccessChecks with an unknown rule id',
    act: () => new S3PrivateAccessChecks({ disabledRules: ['S3PA-Nope'] }),
    // every id of the catalog, however many rules it holds
    message: new RegExp(`^unknown rule id in disabledRules: S3PA-Nope; known ids are S3PA-[A-Za-z0-9-]+(, S3PA-[A-Za-z0-9-]+){${ALL_RULES.length - 1}}$`),
    shows: 'S3PA-Nope',
  },
  {
    name: 'S3PrivateAccessValidator with an unknown rule id',
    act: () => new S3PrivateAccessValidator({ disabledRules: ['S3PA-RouteNotAssociated', 'route'] }),
    message: /^unknown rule id in disabledRules: route; known ids are S3PA-/,
    shows: 'route',
  },
  {
    name: 'S3PrivateAccessNagPack with an unknown rule id',
    act: () => new S3PrivateAccessNagPack(new App(), { disabledRules: ['S3PA-Lockout '] }),
    message: /^unknown rule id in disabledRules: S3PA-Lockout ; known ids are S3PA-/,
    shows: 'S3PA-Lockout ',
  },
  {
    name: 'a cdk-nag front end without cdk-nag installed',
    act: () => jest.isolateModules(() => {
      // a fresh copy of the loader, in whose registry cdk-nag cannot be loaded (the subprocess test hides it for real)
      jest.doMock('cdk-nag', () => {
        throw new Error("Cannot find module 'cdk-nag' from 'lib/checks/cdk-nag-loader.ts'");
      });
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../../lib/checks/cdk-nag-loader') as typeof import('../../lib/checks/cdk-nag-loader')).cdkNag();
      } finally {
        jest.dontMock('cdk-nag');
      }
    }),
    message: "the cdk-nag front ends of cdk-s3-private-access need the cdk-nag package, which cannot be loaded (Cannot find module 'cdk-nag' from 'lib/checks/cdk-nag-loader.ts'): install it with `npm install cdk-nag@^3`, or use S3PrivateAccessChecks or S3PrivateAccessValidator, which need no cdk-nag",
    shows: "Cannot find module 'cdk-nag'",
  },

  // issue 14: IPv6, S3 Express, remote networks, organization perimeters
  {
    name: 'ipAddressType ipv6 on subnets without IPv6',
    act: construct(() => ({ ipAddressType: S3EndpointIpAddressType.IPV6 })),
    message: /^ipAddressType is 'ipv6' but the selected subnets .* have no IPv6 range: give the vpc IPv6/,
    shows: 'ipv6',
  },
  {
    name: 'a directory bucket name that is not one',
    act: () => ExpressDirectoryBucket.fromBucketName('my-bucket'),
    message: /^directory bucket name 'my-bucket' is not an S3 Express One Zone bucket name: pass the full name/,
    shows: 'my-bucket',
  },
  {
    name: 'grantExpressSession without directory buckets',
    act: withBucket((stack) => {
      const access = new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack) });
      access.grantExpressSession(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    }),
    message: /^grantExpressSession needs directory buckets: pass them in directoryBuckets/,
  },
  {
    name: 'remoteAccess without cidrs',
    act: construct(() => ({ remoteAccess: { cidrs: [] } })),
    message: /^remoteAccess.cidrs is empty: name the CIDRs/,
  },
  {
    name: 'remoteAccess with a /0',
    act: construct(() => ({ remoteAccess: { cidrs: ['0.0.0.0/0'] } })),
    message: /^remoteAccess.cidrs contains '0.0.0.0\/0', which opens the S3 interface endpoint to every network/,
    shows: '0.0.0.0/0',
  },
  {
    name: 'remoteAccess with a non-CIDR',
    act: construct(() => ({ remoteAccess: { cidrs: ['on-prem'] } })),
    message: /^remoteAccess.cidrs contains 'on-prem', which is not an IPv4 or IPv6 CIDR/,
    shows: 'on-prem',
  },
  {
    name: 'an organization id that is not one',
    act: () => BucketRestriction.toOrganization('org-123'),
    message: /^toOrganization organization id 'org-123' is not an organization id: pass o- followed by/,
    shows: 'org-123',
  },
  {
    name: 'an account id that is not one',
    act: () => EndpointPolicy.restrictToAccounts(['1234']),
    message: /^restrictToAccounts account id '1234' is not an account id: pass the 12 digits/,
    shows: '1234',
  },
  {
    name: 'toAccounts without the stack\'s own account',
    act: withBucket((stack, bucket) => {
      new S3PrivateAccess(stack, 'S3', { vpc: isolatedVpc(stack), buckets: [bucket], bucketRestriction: BucketRestriction.toAccounts(['222222222222']) });
    }),
    message: /^bucketRestriction BucketRestriction.toAccounts\(222222222222\) leaves out account 111111111111/,
    shows: '111111111111',
  },
  {
    name: 'S3PrivateAccessNagPack without a construct tree',
    act: () => new S3PrivateAccessNagPack().validate({} as never),
    message: 'no construct tree to check: create S3PrivateAccessNagPack with the app, `new S3PrivateAccessNagPack(app)`',
  },
];

describeBadInput('the NACL updater, the checks and the options of issue 14', rows);
