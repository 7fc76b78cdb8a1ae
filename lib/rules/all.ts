import { aclDisabled } from './acl-disabled';
import { customDns } from './custom-dns';
import { dnsSupport } from './dns-support';
import { duplicateBucketPolicy } from './duplicate-bucket-policy';
import { ecsNetworkMode } from './ecs-network-mode';
import { endpointPolicyAwsBuckets } from './endpoint-policy-aws-buckets';
import { endpointPolicyDenies } from './endpoint-policy-denies';
import { endpointPolicyPrincipal } from './endpoint-policy-principal';
import { expressEndpoint } from './express-endpoint';
import { imdsHopLimit } from './imds-hop-limit';
import { ipv6Only } from './ipv6-only';
import { kmsGrant } from './kms-grant';
import { listBucketArn } from './list-bucket-arn';
import { lockout } from './lockout';
import { missingGrant } from './missing-grant';
import { naclEphemeral } from './nacl-ephemeral';
import { naclOutbound } from './nacl-outbound';
import { noEndpoint } from './no-endpoint';
import { noPublicIp } from './no-public-ip';
import { prefixListLiteral } from './prefix-list-literal';
import { privateEcr } from './private-ecr';
import { proxyEnv } from './proxy-env';
import { publicPolicyBlocked } from './public-policy-blocked';
import { regionMismatch } from './region-mismatch';
import { routeNotAssociated } from './route-not-associated';
import { routeOverride } from './route-override';
import { Rule } from './rule';
import { sgEgress } from './sg-egress';
import { sourceIpPrivate } from './source-ip-private';
import { sourceVpcValue } from './source-vpc-value';
import { sourceVpceValue } from './source-vpce-value';
import { transitive } from './transitive';

/** Every rule of the catalog (`../shared/RULES.md`), in catalog order. */
export const ALL_RULES: readonly Rule[] = [
  routeNotAssociated,
  noEndpoint,
  routeOverride,
  sgEgress,
  prefixListLiteral,
  naclOutbound,
  naclEphemeral,
  dnsSupport,
  customDns,
  regionMismatch,
  endpointPolicyDenies,
  endpointPolicyAwsBuckets,
  endpointPolicyPrincipal,
  sourceVpceValue,
  sourceVpcValue,
  sourceIpPrivate,
  lockout,
  duplicateBucketPolicy,
  listBucketArn,
  missingGrant,
  kmsGrant,
  aclDisabled,
  publicPolicyBlocked,
  transitive,
  ecsNetworkMode,
  privateEcr,
  noPublicIp,
  proxyEnv,
  ipv6Only,
  expressEndpoint,
  imdsHopLimit,
];
