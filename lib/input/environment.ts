import { StackInfo } from '../model/types';
import { partitionOf } from '../model/values';

/**
 * A stack's environment from a cloud assembly's `aws://<account>/<region>`, the environment-agnostic parts
 * (`unknown-account`, `unknown-region`) left undefined: the one parser every reader of assemblies uses.
 */
export function stackInfoOf(id: string, environment: unknown): StackInfo {
  const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(typeof environment === 'string' ? environment : '');
  const account = env && env[1] !== 'unknown-account' ? env[1] : undefined;
  const region = env && env[2] !== 'unknown-region' ? env[2] : undefined;
  return { id, account, region, partition: partitionOf(region) };
}
