import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { failSynthWhereUnreported } from './enforce';
import { AssemblyFiles, judgedByCliFile, readStackTemplate, withNestedTemplates } from '../input/template-files';
import { ALL_RULES } from '../rules/all';
import { CheckOptions } from '../rules/options';
import { checkTemplates, selectRules } from '../rules/run';

const RULES = new Map(ALL_RULES.map(r => [r.id, r]));

/** Options of {@link S3PrivateAccessValidator}. */
export interface S3PrivateAccessValidatorProps extends CheckOptions {}

/**
 * The synth-time checks as a CDK policy-validation plugin:
 * `Validations.of(app).addPlugins(new S3PrivateAccessValidator())`.
 *
 * It reads the synthesized templates (and the assembly manifest beside them for each stack's environment), nested
 * stacks' templates included, so it judges exactly what will be deployed. The report fails when a finding is an
 * error; on every aws-cdk-lib version that fails `cdk synth`, also for the stacks of a Stage (see the README).
 */
export class S3PrivateAccessValidator implements IPolicyValidationPlugin {
  /** The plugin's name in CDK's validation report. */
  public readonly name = 'cdk-s3-private-access';
  /** The ids of the rules this plugin runs. */
  public readonly ruleIds?: string[];
  private readonly options: CheckOptions;

  constructor(props: S3PrivateAccessValidatorProps = {}) {
    this.options = props;
    this.ruleIds = selectRules(props.disabledRules).map(r => r.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // each manifest read once for all templates (not once per template: quadratic in the number of stacks)
    const assembly = new AssemblyFiles();
    const files = withNestedTemplates(context.templatePaths.map(p => readStackTemplate(p, assembly)), assembly);
    const stacks = files.map(f => f.stack);
    const findings = checkTemplates(stacks, this.options);
    const templateOf = new Map(files.map(f => [f.stack.info.id, f.file]));
    // one violation per finding: the CDK CLI prints a violation's description, so it is the finding's own message
    const violations: PolicyViolation[] = findings.map(f => ({
      ruleName: f.ruleId,
      description: `${f.message} (logical id ${f.resource.logicalId})`,
      fix: f.fix,
      severity: f.level,
      violatingResources: [{
        resourceLogicalId: f.resource.logicalId,
        templatePath: templateOf.get(f.resource.stack.id) ?? '',
        locations: [`Resources/${f.resource.logicalId}`],
        constructPath: f.resource.path,
      } as PolicyViolatingResource],
      ruleMetadata: { symptom: RULES.get(f.ruleId)?.symptom ?? '' },
    }));
    const report = { success: !findings.some(f => f.level === 'error'), violations };
    // a nested stack's template is judged by the CLI when its parent's is
    const judged = new Map<string, boolean>();
    const judgedById = new Map<string, boolean>();
    for (const f of files) {
      const parent = f.stack.parent && judgedById.get(f.stack.parent.stackId);
      const value = parent ?? judgedByCliFile(f.file, f.stack.info.id, assembly);
      judgedById.set(f.stack.info.id, value);
      judged.set(f.file, value);
    }
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    failSynthWhereUnreported(this.name, root, report, r => judged.get(r.templatePath ?? '') ?? true);
    return report;
  }
}
