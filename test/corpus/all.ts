import { hybridS3Endpoints, interfaceOnlyVpc } from './apps-endpoints';
import { customResourceInVpc, endpointOnlyBucket, organizationPerimeter } from './apps-perimeter';
import { containerImages, crossStackEndpoint, sharedBucketTwoVpcs, wildcardGrants } from './apps-policy';
import { amazonLinuxFleet, constructAgnostic, hubAndSpoke, importedVpc, l1Agnostic, stagedApp } from './apps-topology';
import { accessPointDelegation, isolatedInstance, natInstanceAndBastion, servicesWithoutS3 } from './apps-workloads';
import { CorpusApp } from './corpus';

/** Every app of the precision corpus. */
export const CORPUS: readonly CorpusApp[] = [
  servicesWithoutS3,
  natInstanceAndBastion,
  isolatedInstance,
  accessPointDelegation,
  containerImages,
  wildcardGrants,
  sharedBucketTwoVpcs,
  crossStackEndpoint,
  l1Agnostic,
  importedVpc,
  stagedApp,
  hubAndSpoke,
  amazonLinuxFleet,
  constructAgnostic,
  customResourceInVpc,
  organizationPerimeter,
  endpointOnlyBucket,
  hybridS3Endpoints,
  interfaceOnlyVpc,
];
