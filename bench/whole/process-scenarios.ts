/** What one whole-process run reports. */
export interface ProcessSample {
  /** CPU time (user + system) of the whole process, from its start (module loading included) to after synth. */
  readonly cpuMs: number;
  /** Wall time from the process's start to after synth. */
  readonly wallMs: number;
  /** Peak resident set size of the process (MiB). */
  readonly maxRssMiB: number;
  readonly resources: number;
  /** Findings the scenario reported (proves it did its work). */
  readonly findings: number;
  /**
   * With `S3PA_BENCH_ATTRIBUTE=1` (synthesis under V8's sampling profiler): main-thread CPU ms in the scenario's own
   * code: the Aspect's (every frame of `lib/checks/aspect`, the rules it runs included) for b, CDK's
   * `invokeValidationPlugins` (the plugin and CDK's machinery around it) for c, d and n.
   */
  readonly attributedMs?: number;
}

/** The whole-process scenarios: the app of issue 12, synthesized as `cdk synth` would run it. */
export const PROCESS_SCENARIOS: Record<string, string> = {
  a: 'plain synth (S3PrivateAccess with checks: false)',
  b: 'the default: S3PrivateAccess with its checks on (the Aspect)',
  c: 'checks: false + Validations.of(app).addPlugins(new S3PrivateAccessValidator())',
  d: 'checks: false + Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)))',
  n: 'checks: false + a validation plugin that does nothing (what CDK\'s plugin machinery alone costs c and d)',
  e: 'the default as it was before issue 12: the Aspect renders every stack again (its renders not lent to synthesis)',
};
