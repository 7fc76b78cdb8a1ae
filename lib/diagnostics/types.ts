import { CheckOptions } from '../rules/options';

/** Options of {@link S3PrivateAccessDiagnostics.checkAssembly}. */
export interface CheckAssemblyOptions extends CheckOptions {}

/** How a finding counts: an error fails the check (and `cdk synth`), a warning does not. */
export enum FindingLevel {
  /** The request fails (or the deployment does): the check fails. */
  ERROR = 'error',
  /** Worth a look (a weaker form of a fault, or a value that could not be judged): the check passes. */
  WARNING = 'warning',
}

/** One finding of the checks over synthesized templates. */
export interface DiagnosticFinding {
  /** The rule's id, e.g. `S3PA-RouteNotAssociated`. */
  readonly ruleId: string;
  /** Whether the finding fails the check. */
  readonly level: FindingLevel;
  /** The stack's artifact id (or, for a plain template file, its file name without extension). */
  readonly stackId: string;
  /** The offending resource's logical id. */
  readonly logicalId: string;
  /** The offending resource's construct path (its logical id when the template carries no path metadata). */
  readonly constructPath: string;
  /** What is wrong, with the evidence. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * True when the finding says a value could not be judged (an unresolved value, a resource outside the app).
   * @default false
   */
  readonly cannotJudge?: boolean;
  /**
   * The template file the resource is in.
   * @default - unknown (templates not read from files)
   */
  readonly templateFile?: string;
}

/** What {@link S3PrivateAccessDiagnostics.checkAssembly} found. */
export interface CheckReport {
  /** Every finding, errors first, grouped by stack. */
  readonly findings: DiagnosticFinding[];
  /** How many findings are errors. */
  readonly errorCount: number;
  /** How many findings are warnings. */
  readonly warningCount: number;
  /** The stacks that were checked (artifact ids, or template file names). */
  readonly stackIds: string[];
}

/** Options of {@link S3PrivateAccessDiagnostics.explainPath}. */
export interface ExplainPathOptions {
  /**
   * The workload whose path to S3 is explained: the construct path (of the resource or a construct above it, e.g.
   * `MyStack/Worker`) or the logical id of a Lambda function, ECS service, EC2 instance, Auto Scaling group or
   * Batch compute environment.
   */
  readonly from: string;

  /**
   * The bucket: a construct path or logical id of a bucket of the app, its literal name, or the name of an AWS-owned
   * bucket the workload reads (e.g. `prod-eu-west-1-starport-layer-bucket`, ECR image layers).
   */
  readonly bucket: string;

  /**
   * The S3 action of the request.
   * @default 's3:GetObject'
   */
  readonly action?: string;

  /**
   * The object key of the request (object actions only).
   * @default - a key inside what the workload's role is granted on the bucket (e.g. `work/s3pa-probe` for a grant on `work/*`)
   */
  readonly key?: string;
}

/** The verdict of a hop of a {@link PathExplanation}. */
export enum PathVerdict {
  /** The hop lets the request through. */
  OK = 'ok',
  /** The hop stops the request: see the hop's `ruleId` and `fix`. */
  FAIL = 'fail',
  /** A value the hop depends on is not resolved at synth time (see the evidence for what). */
  CANNOT_JUDGE = 'cannot-judge',
  /** The hop is not on this path (e.g. no network ACL hop for a workload outside any VPC). */
  NOT_APPLICABLE = 'n/a',
}

/** One hop of the path from a workload to a bucket. */
export interface PathHop {
  /**
   * The hop: `dns`, `subnet`, `route-table`, `s3-route`, `endpoint`, `security-group`, `nacl-outbound`,
   * `nacl-return`, `endpoint-policy`, `bucket-policy`, `identity-policy` or `kms`.
   */
  readonly name: string;
  /** A readable title, e.g. `route chosen for S3`. */
  readonly title: string;
  /** The hop's verdict. */
  readonly verdict: PathVerdict;
  /** What the hop was judged on: resources, values, and the findings of the rules that cover it. */
  readonly evidence: string[];
  /**
   * The catalog rule behind the verdict, when a rule found the fault (or could not judge).
   * @default - no rule: the hop passed, or failed on an evaluation no rule of the catalog covers
   */
  readonly ruleId?: string;
  /**
   * How to fix a failing hop.
   * @default - nothing to fix
   */
  readonly fix?: string;
}

/** The path of one request from a workload to a bucket, hop by hop. */
export interface PathExplanation {
  /** The workload's construct path. */
  readonly workload: string;
  /** The bucket's construct path (or its name, for a bucket outside the app). */
  readonly bucket: string;
  /** The S3 action of the request. */
  readonly action: string;
  /** The resource ARN of the request (symbolic for buckets whose name CloudFormation generates). */
  readonly resource: string;
  /** The hops, in the order the request meets them. */
  readonly hops: PathHop[];
  /**
   * The first hop that fails.
   * @default - no hop fails
   */
  readonly firstFailure?: PathHop;
}
