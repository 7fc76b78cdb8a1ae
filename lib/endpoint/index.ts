// re-exports of lib/endpoint; each module adds its own line
export {};
