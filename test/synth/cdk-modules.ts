/**
 * Preloaded (`node -r`) into the apps that the CDK CLI tests synthesize: resolves aws-cdk-lib, constructs and cdk-nag
 * from the node_modules folder named by `S3PA_CDK_MODULES` (the floor's, or compat/newest's), for the app, for this
 * library's sources and for every package they load, so one app runs on one aws-cdk-lib.
 */
import { Module } from 'module';

const modules = process.env.S3PA_CDK_MODULES;
const NAMES = ['aws-cdk-lib', 'constructs', 'cdk-nag'];

if (modules) {
  const loader = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, parent: unknown, isMain: unknown, options: unknown) {
    if (NAMES.some(n => request === n || request.startsWith(`${n}/`))) {
      return resolve.call(this, request, parent, isMain, { paths: [modules] });
    }
    return resolve.call(this, request, parent, isMain, options);
  };
}
