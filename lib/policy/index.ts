// re-exports of lib/policy; each module adds its own line
export {};
