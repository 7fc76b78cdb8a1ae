/**
 * cdk-nag is an optional peer dependency: the library loads, and `S3PrivateAccess` synthesizes, without it. Only the
 * cdk-nag front ends (`S3PrivateAccessNagPack`, `NagPackValidation`) need it, and they load it when first constructed.
 *
 * Internal: not exported from the package's index.
 */
import type * as CdkNag from 'cdk-nag';

/** The package name, in one place for the message and the require. */
const CDK_NAG = 'cdk-nag';

let loaded: typeof CdkNag | undefined;

/** The cdk-nag module, loaded on first use; throws a clear error when it is not installed. */
export function cdkNag(): typeof CdkNag {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(CDK_NAG) as typeof CdkNag;
    } catch (e) {
      throw new Error('the cdk-nag front ends of cdk-s3-private-access need the cdk-nag package, which cannot be loaded ' +
        `(${String((e as Error).message ?? e).split('\n')[0]}): install it with \`npm install cdk-nag@^3\`, or use ` +
        'S3PrivateAccessChecks or S3PrivateAccessValidator, which need no cdk-nag');
    }
  }
  return loaded;
}

/**
 * A stand-in for cdk-nag's `NagPack` class that a subclass can extend at load time without cdk-nag being loaded:
 * the first construction loads cdk-nag and links the stand-in's prototype to the real `NagPack.prototype`, so
 * instances are real NagPacks (`instanceof`, inherited methods, `validateScope`) from then on.
 */
function lazyNagPackClass(): typeof CdkNag.NagPack {
  const prototype = {};
  const link = () => {
    const real = cdkNag().NagPack;
    if (Object.getPrototypeOf(prototype) !== real.prototype) {
      Object.setPrototypeOf(prototype, real.prototype);
    }
    return real;
  };
  const standIn = function NagPack() { /* never called: the construct trap builds the instance */ };
  return new Proxy(standIn, {
    // static lookups (`instanceof`, `name`) must not fail without cdk-nag: they see the stand-in then
    get: (t, key, receiver) => (key === 'prototype' ? prototype : Reflect.get(tryCdkNag()?.NagPack ?? t, key, receiver)),
    construct: (_t, args, newTarget) => Reflect.construct(link(), args, newTarget),
  }) as unknown as typeof CdkNag.NagPack;
}

function tryCdkNag(): typeof CdkNag | undefined {
  try {
    return cdkNag();
  } catch {
    return undefined;
  }
}

/** cdk-nag's `NagPack`, loaded when a subclass is first constructed. */
export const LazyNagPack: typeof CdkNag.NagPack = lazyNagPackClass();
