// re-exports of lib/network; each module adds its own line
export {};
