import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { failSynthWhereUnreported, judgedByCliAt, judgedReport } from './enforce';

/**
 * Runs any cdk-nag 3 pack (e.g. `AwsSolutionsChecks`) as a policy-validation plugin over a given scope.
 *
 * cdk-nag 3 packs read the construct tree from the validation context, which aws-cdk-lib 2.257 does not provide:
 * added directly with `Validations.of(app).addPlugins(new AwsSolutionsChecks(app))` they report a plugin failure in
 * `cdk.out/policy-validation-report.json` and check nothing, while `cdk synth` still succeeds. Wrap them instead:
 * `Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)))`. On every version the
 * wrapper also makes the pack's errors fail `cdk synth` where the CDK CLI would not (Stages, aws-cdk-lib 2.257), and
 * keeps its warnings from failing it.
 */
export class NagPackValidation implements IPolicyValidationPlugin {
  /** The wrapped pack's name. */
  public readonly name: string;

  /**
   * @param scope the app (or stack) to check
   * @param pack the cdk-nag pack to run
   */
  constructor(private readonly scope: IConstruct, private readonly pack: NagPack) {
    this.name = pack.name;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const tree = (context as { appConstruct?: IConstruct }).appConstruct ?? this.scope;
    const report = judgedReport(this.pack.validateScope(tree), false);
    failSynthWhereUnreported(this.name, tree.node.root, report, r => judgedByCliAt(tree.node.root, r.constructPath));
    return report;
  }
}
