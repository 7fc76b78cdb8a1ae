import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { CheckOptions, checkTemplates, selectRules } from './engine';
import { StackInfo } from '../model/types';
import { partitionOf, StackTemplate } from '../model/values';
import { ALL_RULES } from '../rules/all';

/** Options of {@link S3PrivateAccessValidator}. */
export interface S3PrivateAccessValidatorProps {
  /**
   * Rule ids to skip. An unknown id is an error.
   * @default - every rule of the catalog runs
   */
  readonly disabledRules?: string[];

  /**
   * Report warnings as errors, so they fail the validation too.
   * @default false
   */
  readonly warningsAsErrors?: boolean;
}

/**
 * The synth-time checks as a CDK policy-validation plugin:
 * `Validations.of(app).addPlugins(new S3PrivateAccessValidator())`.
 *
 * It reads the synthesized templates (and the assembly manifest beside them for each stack's environment), so it
 * judges exactly what will be deployed. The report fails when a finding is an error.
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
    const stacks = context.templatePaths.map(readStackTemplate);
    const findings = checkTemplates(stacks, this.options);
    const byRule = new Map<string, PolicyViolation & { violatingResources: any[] }>();
    const templateOf = new Map(stacks.map((s, i) => [s.info.id, context.templatePaths[i]]));
    for (const f of findings) {
      const rule = ALL_RULES.find(r => r.id === f.ruleId);
      const key = `${f.ruleId}|${f.level}`;
      let violation = byRule.get(key);
      if (!violation) {
        violation = {
          ruleName: f.ruleId,
          description: rule?.description ?? f.message,
          fix: f.fix,
          severity: f.level,
          violatingResources: [],
          ruleMetadata: { symptom: rule?.symptom ?? '' },
        };
        byRule.set(key, violation);
      }
      violation.violatingResources.push({
        resourceLogicalId: f.resource.logicalId,
        constructPath: f.resource.path,
        templatePath: templateOf.get(f.resource.stack.id) ?? '',
        locations: [`Resources/${f.resource.logicalId}: ${f.message}`],
      });
    }
    return { success: !findings.some(f => f.level === 'error'), violations: [...byRule.values()] };
  }
}

/** A template file and its stack's environment from the assembly manifest beside it, when there is one. */
export function readStackTemplate(templatePath: string): StackTemplate {
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const file = path.basename(templatePath);
  let id = file.replace(/\.template\.json$/, '');
  let region: string | undefined;
  let account: string | undefined;
  const manifestPath = path.join(path.dirname(templatePath), 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile !== file) continue;
      id = artifactId;
      const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
      if (env && env[1] !== 'unknown-account') account = env[1];
      if (env && env[2] !== 'unknown-region') region = env[2];
    }
  }
  const info: StackInfo = { id, region, account, partition: partitionOf(region) };
  return { info, template };
}
