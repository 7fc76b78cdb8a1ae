import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import type { NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { cdkNag, LazyNagPack } from './cdk-nag-loader';
import { failSynthWhereUnreported, judgedByCliAt, judgedReport } from './enforce';
import { checkScope } from './engine';
import { CheckOptions } from '../rules/options';
import { Finding, Rule } from '../rules/rule';
import { selectRules } from '../rules/run';

/** Options of {@link S3PrivateAccessNagPack}. */
export interface S3PrivateAccessNagPackProps extends NagPackProps, CheckOptions {}

/**
 * The synth-time checks as a cdk-nag 3 pack: `Validations.of(app).addPlugins(new S3PrivateAccessNagPack(app))`.
 *
 * Findings appear in cdk-nag's reports beside other packs' and obey `Validations.of(scope).acknowledge({ id, reason })`.
 * Rule ids are the catalog's (`S3PA-RouteNotAssociated`); a warning that a value could not be judged has the id
 * `S3PA-<Rule>[cannot-judge]`, and a rule's weaker warning form `S3PA-<Rule>[warning]`. Warnings never fail
 * synth (unless `warningsAsErrors`); errors fail it on every aws-cdk-lib version, also in Stages (see the README).
 *
 * cdk-nag is an optional peer dependency of this library, loaded when the pack is first constructed: install
 * `cdk-nag@^3` to use the pack.
 */
export class S3PrivateAccessNagPack extends LazyNagPack {
  /** The pack's name in cdk-nag reports. */
  public readonly name = 'S3PrivateAccess';
  private readonly disabled: string[];
  private readonly rules: Rule[];
  private readonly cache = new WeakMap<IConstruct, Map<string, Finding[]>>();
  private readonly scope?: IConstruct;
  private readonly warningsAsErrors: boolean;

  /**
   * @param scope the app (or stack) to check: `validate()` falls back to it where aws-cdk-lib does not put the
   * construct tree on the validation context (aws-cdk-lib 2.257 does not)
   * @param props options
   */
  constructor(scope?: IConstruct, props: S3PrivateAccessNagPackProps = {}) {
    super(scope, props);
    this.scope = scope;
    this.packName = 'S3PA';
    this.disabled = props.disabledRules ?? [];
    this.rules = selectRules(this.disabled);
    this.warningsAsErrors = props.warningsAsErrors ?? false;
  }

  /**
   * Entry point of CDK's validation framework. Uses the construct tree on the context when aws-cdk-lib provides it,
   * else the scope given to the constructor, so the pack never silently checks nothing.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as { appConstruct?: IConstruct }).appConstruct ?? this.scope;
    if (!app) {
      throw new Error('no construct tree to check: create S3PrivateAccessNagPack with the app, ' +
        '`new S3PrivateAccessNagPack(app)`');
    }
    const report = this.validateScope(app);
    failSynthWhereUnreported(this.name, app.node.root, report, r => judgedByCliAt(app.node.root, r.constructPath));
    return report;
  }

  /** cdk-nag's report, failing on errors only: a warning never fails synth unless `warningsAsErrors` is set. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return judgedReport(super.validateScope(scope), this.warningsAsErrors);
  }

  protected checkResource(node: CfnResource): void {
    const { NagMessageLevel, NagRuleCompliance } = cdkNag();
    const findings = this.findingsOf(node);
    for (const rule of this.rules) {
      const mine = findings.filter(f => f.ruleId === rule.id);
      const suffix = rule.id.replace(/^S3PA-/, '');
      const failing = mine.filter(f => f.level === rule.level && !f.cannotJudge);
      this.applyRule({
        ruleSuffixOverride: suffix,
        info: failing.length ? failing.map(f => `${f.message}. Fix: ${f.fix}`).join(' | ') : rule.description,
        explanation: `${rule.symptom} ${rule.description}`,
        level: rule.level === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => (failing.length ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT),
      });
      const weaker = mine.filter(f => !failing.includes(f));
      if (weaker.length === 0) continue;
      this.applyRule({
        ruleSuffixOverride: suffix,
        info: weaker.map(f => `${f.message}. Fix: ${f.fix}`).join(' | '),
        explanation: `${rule.symptom} ${rule.description}`,
        level: NagMessageLevel.WARN,
        node,
        rule: () => [...new Set(weaker.map(f => (f.cannotJudge ? 'cannot-judge' : 'warning')))],
      });
    }
  }

  /** The findings on this resource; the model is built once per app per validation. */
  private findingsOf(node: CfnResource): Finding[] {
    const root = node.node.root;
    let byResource = this.cache.get(root);
    if (!byResource) {
      byResource = new Map();
      const { findings } = checkScope(root, { disabledRules: this.disabled });
      for (const f of findings) {
        const list = byResource.get(f.resource.key) ?? [];
        list.push(f);
        byResource.set(f.resource.key, list);
      }
      this.cache.set(root, byResource);
    }
    const stack = Stack.of(node);
    return byResource.get(`${stack.artifactId}/${stack.resolve(node.logicalId)}`) ?? [];
  }
}
