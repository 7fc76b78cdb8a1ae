import * as fs from 'fs';
import * as path from 'path';
import { checkTemplateSet } from './check';
import { explainTemplates } from './explain';
import { explanationMermaid, explanationText, reportText } from './render';
import { sarifOf } from './sarif';
import { CheckAssemblyOptions, CheckReport, ExplainPathOptions, PathExplanation } from './types';
import { readAssembly } from '../input/assembly';

/**
 * The synth-time checks over a synthesized cloud assembly (`cdk.out`), as the `s3-private-access` CLI runs them:
 * every rule of the catalog (`checkAssembly`), and the path of one request from a workload to a bucket, hop by hop
 * (`explainPath`).
 *
 * @example
 * const report = S3PrivateAccessDiagnostics.checkAssembly('cdk.out');
 * const sarif = S3PrivateAccessDiagnostics.toSarif(report); // for code scanning: one result per finding
 */
export class S3PrivateAccessDiagnostics {
  /**
   * Runs every rule of the catalog over the stacks of a cloud assembly directory (nested assemblies of stages
   * included).
   *
   * @param directory the output directory of `cdk synth` (it holds `manifest.json`)
   * @param options rules to disable, warnings as errors
   */
  public static checkAssembly(directory: string, options: CheckAssemblyOptions = {}): CheckReport {
    return checkTemplateSet(readAssembly(directory), options);
  }

  /**
   * Explains the path of one request from a workload to a bucket: DNS, subnet, route table, the route chosen for S3,
   * the endpoint, security-group egress, network ACL out and back in, endpoint policy, bucket policy, identity policy
   * and KMS, each hop with a verdict and its evidence. Throws when the workload or the bucket is not found (the
   * message lists the candidates).
   *
   * @param directory the output directory of `cdk synth` (it holds `manifest.json`)
   * @param options the workload, the bucket, the action
   */
  public static explainPath(directory: string, options: ExplainPathOptions): PathExplanation {
    return explainTemplates(readAssembly(directory).stacks, options);
  }

  /**
   * A report as a SARIF 2.1.0 log (JSON): the catalog's rules, one result per finding located in its template file
   * and at its logical id.
   *
   * @param report a report of {@link S3PrivateAccessDiagnostics.checkAssembly}
   */
  public static toSarif(report: CheckReport): string {
    return sarifOf(report, S3PrivateAccessDiagnostics.version());
  }

  /**
   * A report as text: findings grouped by stack, with their fix, and a summary line.
   *
   * @param report a report of {@link S3PrivateAccessDiagnostics.checkAssembly}
   */
  public static toText(report: CheckReport): string {
    return reportText(report);
  }

  /**
   * An explanation as text: each hop with its verdict and evidence, then the first failure and its fix.
   *
   * @param explanation an explanation of {@link S3PrivateAccessDiagnostics.explainPath}
   */
  public static explanationToText(explanation: PathExplanation): string {
    return explanationText(explanation);
  }

  /**
   * An explanation as a Mermaid `flowchart LR`: one node per hop, failing hops styled with `classDef fail`.
   *
   * @param explanation an explanation of {@link S3PrivateAccessDiagnostics.explainPath}
   */
  public static explanationToMermaid(explanation: PathExplanation): string {
    return explanationMermaid(explanation);
  }

  /** The version of this library, as SARIF logs name it. */
  public static version(): string {
    try {
      return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0';
    } catch {
      return '0.0.0';
    }
  }

  private constructor() {}
}
