// re-exports of lib/checks; each module adds its own line
export {};
