/**
 * Assembles the network-ACL updater's Lambda source from the functions the library itself runs and tests, so there
 * is one copy of the logic: the CIDR helpers (lib/aws/s3-ranges-cidr.ts), the planner
 * (nacl-cidr-updater-reconcile.ts) and the runtime flow (nacl-cidr-updater-runtime.ts).
 *
 * Each function's text is taken with `toString()` (compiled JavaScript once built) and bound under the namespace
 * name its callers import it by (`cidr`, `reconcile`, `runtime`).
 */
import * as reconcile from './nacl-cidr-updater-reconcile';
import * as runtime from './nacl-cidr-updater-runtime';
import * as cidr from '../aws/s3-ranges-cidr';

type AnyFunction = (...args: any[]) => unknown;

function namespaceSource(alias: string, functions: readonly AnyFunction[]): string {
  const bodies = functions.map((fn) => fn.toString()).join('\n\n');
  return `${bodies}\n\nconst ${alias} = { ${functions.map((fn) => fn.name).join(', ')} };`;
}

/** The Lambda's `index.js` (CommonJS, Node.js 22): `exports.handler` handles SNS and custom-resource events. */
export function naclUpdaterHandlerCode(): string {
  return [
    '"use strict";',
    '// cdk-s3-private-access: keeps network-ACL entries for the S3 CIDRs current (generated; see lib/network/nacl-cidr-updater-code.ts)',
    namespaceSource('cidr', [
      cidr.parseIpv4Cidr, cidr.formatIpv4Cidr, cidr.parseIpv6Cidr, cidr.compareIpv4Cidrs, cidr.summarizeIpv4Cidrs, cidr.groupS3Prefixes,
    ]),
    namespaceSource('reconcile', [
      reconcile.naclDirectionSpecs, reconcile.naclDirectionLabel, reconcile.naclCidrKey, reconcile.naclEntriesInRange, reconcile.planNaclEntryChanges,
      reconcile.naclQuotaError, reconcile.planNaclEntryRemoval,
    ]),
    namespaceSource('runtime', [
      runtime.s3NaclCidrsFromIpRanges, runtime.s3NaclIpv6CidrsFromIpRanges, runtime.describeNaclEntries, runtime.applyNaclChanges,
      runtime.syncNetworkAcls, runtime.removeNaclEntries, runtime.handleNaclCustomResourceEvent, runtime.handleNaclUpdaterEvent,
      runtime.createRuntimeIo,
    ]),
    'exports.handler = async (event) => runtime.handleNaclUpdaterEvent(event, runtime.createRuntimeIo());',
    '',
  ].join('\n\n');
}
