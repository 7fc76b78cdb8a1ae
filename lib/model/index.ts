// re-exports of lib/model for the package index: the model is internal, nothing here is public API yet
export {};
