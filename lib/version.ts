/** The rule-catalog version this library implements. */
export const CATALOG_VERSION = '1';
