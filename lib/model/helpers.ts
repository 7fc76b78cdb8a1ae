/**
 * Small helpers every floor above the resource index shares: CloudFormation lists, distinct values, readable lists
 * and ids for messages.
 *
 * Internal: not exported from the package's index.
 */
import type { ResourceIndex } from './resources';
import { ModelResource } from './types';

/** A value as a list: CloudFormation lists, or one item. */
export function listOf(value: any): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Distinct values of a list, in order. */
export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** A list for messages: `a, b and c`. */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Describes an id that is not a resource of the app, for "cannot judge" messages. */
export function describeId(m: ResourceIndex, from: ModelResource, value: any, kind: string): string {
  const s = m.str(from, value);
  return typeof s === 'string' ? `${kind} ${s} (not defined in the app)` : `${kind} ${s.what}`;
}
