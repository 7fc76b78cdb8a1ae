/** Which rules of the catalog run, and how their findings count: the options every front end of the checks takes. */
export interface CheckOptions {
  /**
   * Rule ids to skip, e.g. `['S3PA-CustomDns']`. An unknown id is an error.
   * @default - every rule of the catalog runs
   */
  readonly disabledRules?: string[];

  /**
   * Report warnings as errors, so they fail `cdk synth` (or the check) too.
   * @default false
   */
  readonly warningsAsErrors?: boolean;
}
