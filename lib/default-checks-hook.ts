import { Stack } from 'aws-cdk-lib';

/**
 * The one hook between the construct and the checks: `S3PrivateAccess` turns the checks on for its stack through
 * it, without knowing the checks front end; lib/checks/default-checks.ts provides the implementation when the
 * library loads (lib/index.ts loads both).
 *
 * Internal: not exported from the package's index.
 */
export interface DefaultChecksProvider {
  /** Adds the default checks to the stack, once. */
  enable(stack: Stack): void;
}

let provider: DefaultChecksProvider | undefined;

/** Called by the checks front end when it loads. */
export function provideDefaultChecks(p: DefaultChecksProvider): void {
  provider = p;
}

/** Turns the default checks on for a stack. */
export function enableDefaultChecks(stack: Stack): void {
  if (!provider) {
    throw new Error('the default checks are not loaded: import S3PrivateAccess from \'cdk-s3-private-access\' (the package '
      + 'index), or pass checks: false');
  }
  provider.enable(stack);
}
