// re-exports of lib/model; each module adds its own line
export {};
