export * from './endpoint';
export * from './network';
export * from './policy';
export * from './rules';
export * from './checks';
export * from './s3-private-access';
export * from './s3-private-access-options';
export * from './diagnostics';
