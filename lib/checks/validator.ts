import * as fs from 'fs';
import * as path from 'path';
import {
  IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { failSynthWhereUnreported } from './enforce';
import { CheckOptions, checkTemplates, selectRules } from './engine';
import { StackInfo } from '../model/types';
import { partitionOf, StackTemplate } from '../model/values';
import { ALL_RULES } from '../rules/all';

const RULES = new Map(ALL_RULES.map(r => [r.id, r]));

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
    const templateOf = new Map(stacks.map((s, i) => [s.info.id, context.templatePaths[i]]));
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
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    failSynthWhereUnreported(this.name, root, report, r => inNestedAssembly(r.templatePath));
    return report;
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

/** True when the template is in a Stage's nested cloud assembly: the manifest one folder up lists its folder. */
function inNestedAssembly(templatePath: string | undefined): boolean {
  if (!templatePath) return false;
  const dir = path.dirname(path.resolve(templatePath));
  const parentManifest = path.join(path.dirname(dir), 'manifest.json');
  if (!fs.existsSync(parentManifest)) return false;
  try {
    const manifest = JSON.parse(fs.readFileSync(parentManifest, 'utf8'));
    return Object.values<any>(manifest.artifacts ?? {}).some(a =>
      a?.type === 'cdk:cloud-assembly' && a.properties?.directoryName === path.basename(dir));
  } catch {
    return false;
  }
}
