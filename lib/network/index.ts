// re-exports of lib/network; each module adds its own line
export * from './s3-prefix-list';
export * from './nacl-entries';
