export * from './types';
export * from './diagnostics';
