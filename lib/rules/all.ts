import { Rule } from './rule';

/** Every rule of the catalog, in catalog order. */
export const ALL_RULES: readonly Rule[] = [];
