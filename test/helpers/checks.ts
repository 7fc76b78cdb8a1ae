import { App, Stack, StackProps } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { templatesOfScope } from '../../lib/input/scope';
import { buildModel, Model } from '../../lib/model/model';
import { Finding, Rule } from '../../lib/rules/rule';
import { runRules } from '../../lib/rules/run';

/** A stack with a concrete environment (eu-west-1), in a new app. */
export function envStack(id = 'Stack', props: StackProps = {}): Stack {
  const app = new App();
  return new Stack(app, id, { env: { account: '111111111111', region: 'eu-west-1' }, ...props });
}

/** An environment-agnostic stack, in a new app. */
export function agnosticStack(id = 'Stack'): Stack {
  return new Stack(new App(), id);
}

/** The model of every stack under the scope's root, built exactly as the checks build it. */
export function modelOf(scope: IConstruct): Model {
  return buildModel(templatesOfScope(scope.node.root).stacks);
}

/** The findings of one rule over the app that holds `scope`. */
export function findingsOf(scope: IConstruct, rule: Rule): Finding[] {
  return runRules(modelOf(scope), [rule]);
}

/** Findings reduced to what tests assert on: level, construct path, message. */
export function summary(findings: Finding[]): Array<{ level: string; path: string; message: string }> {
  return findings.map(f => ({ level: f.level, path: f.resource.path, message: f.message }));
}
