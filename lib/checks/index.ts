export * from './aspect';
export * from './validator';
export * from './nag-pack';
export * from './nag-pack-validation';
export * from './default-checks';
