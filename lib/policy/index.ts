// re-exports of lib/policy; internal helpers (actions, validation, lockout-safe-deny, grant-bucket-access,
// workload-roles) are imported by path
export * from './aws-owned-buckets';
export * from './endpoint-policy';
export * from './bucket-restriction';
export * from './bucket-endpoint-restriction';
export * from './bucket-access';
export * from './workload-role-options';
export * from './bucket-owner-policy';
