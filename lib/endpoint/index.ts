// re-exports of lib/endpoint; each module adds its own line
export { EndpointSource } from './endpoint-source';
export * from './route-table-association';
export * from './ip-address-type';
export { ExpressDirectoryBucket } from './express-endpoint';
export * from './remote-access-options';
