export * from './version';
export * from './endpoint';
export * from './network';
export * from './policy';
export * from './checks';
