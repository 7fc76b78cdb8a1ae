import { Annotations, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkScope, formatFinding, selectRules } from './engine';

/** Messages already reported per construct, so an app-wide and a stack-wide instance never repeat a finding. */
const REPORTED = new WeakMap<IConstruct, Set<string>>();

/** Options of {@link S3PrivateAccessChecks}. */
export interface S3PrivateAccessChecksProps {
  /**
   * Rule ids to skip, e.g. `['S3PA-CustomDns']`. An unknown id is an error.
   * @default - every rule of the catalog runs
   */
  readonly disabledRules?: string[];

  /**
   * Report warnings as errors, so they fail `cdk synth` too.
   * @default false
   */
  readonly warningsAsErrors?: boolean;
}

/**
 * The synth-time checks as a CDK Aspect: `Aspects.of(app).add(new S3PrivateAccessChecks())`.
 *
 * Works on any app, whether or not it uses `S3PrivateAccess`. It judges the resolved CloudFormation of every stack
 * under the scope it is added to, once all aspects have run and cross-stack references are resolved, and reports
 * each finding on the offending resource: errors as `Annotations` errors (so `cdk synth` fails), warnings with the
 * stable id `cdk-s3-private-access:<rule id>` (acknowledge with `Annotations.of(scope).acknowledgeWarning(id, reason)`).
 */
export class S3PrivateAccessChecks implements IAspect {
  private readonly registered = new WeakSet<IConstruct>();

  constructor(private readonly props: S3PrivateAccessChecksProps = {}) {
    selectRules(props.disabledRules); // fail early on unknown ids
  }

  public visit(node: IConstruct): void {
    // the first node visited in a subtree is the scope the aspect was added to: register one late check there
    if (node.node.scopes.some(s => this.registered.has(s))) return;
    this.registered.add(node);
    node.node.addValidation({
      validate: () => {
        this.report(node);
        return [];
      },
    });
  }

  private report(scope: IConstruct): void {
    const { findings, constructs } = checkScope(scope, this.props);
    for (const f of findings) {
      const target = constructs.get(f.resource.key) ?? scope;
      const message = `${f.level}|${formatFinding(f)}`;
      const seen = REPORTED.get(target) ?? new Set<string>();
      REPORTED.set(target, seen);
      if (seen.has(message)) continue;
      seen.add(message);
      if (f.level === 'error') Annotations.of(target).addError(formatFinding(f));
      else Annotations.of(target).addWarningV2(`cdk-s3-private-access:${f.ruleId}`, formatFinding(f));
    }
  }
}
