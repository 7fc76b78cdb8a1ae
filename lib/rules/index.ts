// re-exports of lib/rules; each module adds its own line
export {};
