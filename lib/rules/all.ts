// generated from lib/rules/<domain>/*.ts by `npx projen rules-doc`: do not edit by hand
import { customDns } from './network/custom-dns';
import { dnsSupport } from './network/dns-support';
import { duplicateGatewayRoute } from './network/duplicate-gateway-route';
import { expressEndpoint } from './network/express-endpoint';
import { interfacePrivateDns } from './network/interface-private-dns';
import { ipv6Only } from './network/ipv6-only';
import { naclEphemeral } from './network/nacl-ephemeral';
import { naclOutbound } from './network/nacl-outbound';
import { noEndpoint } from './network/no-endpoint';
import { prefixListLiteral } from './network/prefix-list-literal';
import { regionMismatch } from './network/region-mismatch';
import { routeNotAssociated } from './network/route-not-associated';
import { routeOverride } from './network/route-override';
import { sgEgress } from './network/sg-egress';
import { transitive } from './network/transitive';
import { accessPointVpcOrigin } from './policy/access-point-vpc-origin';
import { aclDisabled } from './policy/acl-disabled';
import { customResourceResponse } from './policy/custom-resource-response';
import { duplicateBucketPolicy } from './policy/duplicate-bucket-policy';
import { endpointPolicyAwsBuckets } from './policy/endpoint-policy-aws-buckets';
import { endpointPolicyDenies } from './policy/endpoint-policy-denies';
import { endpointPolicyPerimeter } from './policy/endpoint-policy-perimeter';
import { endpointPolicyPrincipal } from './policy/endpoint-policy-principal';
import { interfaceVpceRequired } from './policy/interface-vpce-required';
import { kmsGrant } from './policy/kms-grant';
import { listBucketArn } from './policy/list-bucket-arn';
import { lockout } from './policy/lockout';
import { missingGrant } from './policy/missing-grant';
import { presignedOutsideVpc } from './policy/presigned-outside-vpc';
import { publicPolicyBlocked } from './policy/public-policy-blocked';
import { setOperatorSingleValued } from './policy/set-operator-single-valued';
import { sourceIpPrivate } from './policy/source-ip-private';
import { sourceVpcRegion } from './policy/source-vpc-region';
import { sourceVpcValue } from './policy/source-vpc-value';
import { sourceVpceValue } from './policy/source-vpce-value';
import { Rule } from './rule';
import { ecsNetworkMode } from './workload/ecs-network-mode';
import { imdsHopLimit } from './workload/imds-hop-limit';
import { noPublicIp } from './workload/no-public-ip';
import { privateEcr } from './workload/private-ecr';
import { proxyEnv } from './workload/proxy-env';

/** Every rule of the catalog, by domain (network, policy, workload), then by file name. */
export const ALL_RULES: readonly Rule[] = [
  customDns,
  dnsSupport,
  duplicateGatewayRoute,
  expressEndpoint,
  interfacePrivateDns,
  ipv6Only,
  naclEphemeral,
  naclOutbound,
  noEndpoint,
  prefixListLiteral,
  regionMismatch,
  routeNotAssociated,
  routeOverride,
  sgEgress,
  transitive,
  accessPointVpcOrigin,
  aclDisabled,
  customResourceResponse,
  duplicateBucketPolicy,
  endpointPolicyAwsBuckets,
  endpointPolicyDenies,
  endpointPolicyPerimeter,
  endpointPolicyPrincipal,
  interfaceVpceRequired,
  kmsGrant,
  listBucketArn,
  lockout,
  missingGrant,
  presignedOutsideVpc,
  publicPolicyBlocked,
  setOperatorSingleValued,
  sourceIpPrivate,
  sourceVpcRegion,
  sourceVpcValue,
  sourceVpceValue,
  ecsNetworkMode,
  imdsHopLimit,
  noPublicIp,
  privateEcr,
  proxyEnv,
];
