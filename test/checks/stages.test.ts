import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { WorkloadStage, WorkloadStageProps } from '../../examples/pipeline-stage';
import { S3PrivateAccessChecks } from '../../lib';
import { stderrOf } from '../helpers/stderr';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
const ENV = { account: '123456789012', region: 'eu-west-1' };
const ROUTE = /\[Prod\/Network\/Workers\/Reader\/Resource\] \[S3PA-RouteNotAssociated\] .*\(logical id Reader[0-9A-F]+\)\. Fix: associate the route table/;

/** An app with a plain Stage (not CDK Pipelines) holding the network stack and the nested workers stack. */
function stageApp(props: WorkloadStageProps): { app: App; stage: WorkloadStage } {
  const app = new App({ context: CONTEXT });
  return { app, stage: new WorkloadStage(app, 'Prod', { env: ENV, ...props }) };
}

/** The error annotations of the Stage's network stack, from the Stage's own assembly. */
function stageErrors(stage: Stage): string[] {
  const network = stage.node.findChild('Network') as Stack;
  return stage.synth().getStackArtifact(network.artifactId).messages
    .filter(m => m.level === 'error').map(m => `${m.id} ${String(m.entry.data)}`);
}

describe('checks in a Stage', () => {
  test('GIVEN the app-level Aspect and a fault in a Stage\'s nested stack THEN app synth fails with the rule, the path and the fix', () => {
    const { app } = stageApp({ routeFault: true, checks: false });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    expect(() => app.synth()).toThrow(ROUTE);
  });

  test('GIVEN the clean twin THEN app synth succeeds', () => {
    const { app } = stageApp({ checks: false });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN only a warning in a Stage THEN synth succeeds and the app-level Aspect prints the warning', () => {
    const { app } = stageApp({ customDns: true, checks: false });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const printed = stderrOf(() => app.synth());
    expect(printed).toMatch(/\[Prod\/Network\/Dhcp\] \[S3PA-CustomDns\] .*Fix: /);
  });

  test('GIVEN warningsAsErrors THEN the Stage\'s warning fails synth', () => {
    const { app } = stageApp({ customDns: true, checks: false });
    Aspects.of(app).add(new S3PrivateAccessChecks({ warningsAsErrors: true }));
    expect(() => app.synth()).toThrow(/\[S3PA-CustomDns\]/);
  });

  test('GIVEN the construct\'s own checks in a Stage THEN the Stage\'s stack is annotated and the app synth fails too', () => {
    const { app, stage } = stageApp({ routeFault: true });
    expect(stageErrors(stage)).toContainEqual(expect.stringMatching(
      /^\/Prod\/Network\/Workers\/Reader\/Resource \[S3PA-RouteNotAssociated\] .* \(cdk-s3-private-access::S3PA-RouteNotAssociated\)$/));
    expect(() => app.synth()).toThrow(ROUTE);
  });

  test('GIVEN the Aspect added to the Stage THEN its stacks are annotated and the app synth fails too', () => {
    const { app, stage } = stageApp({ routeFault: true, checks: false });
    Aspects.of(stage).add(new S3PrivateAccessChecks());
    expect(stageErrors(stage)).toContainEqual(expect.stringMatching(/^\/Prod\/Network\/Workers\/Reader\/Resource \[S3PA-RouteNotAssociated\]/));
    expect(() => app.synth()).toThrow(ROUTE);
  });

  test('GIVEN a Stage synthesized with validateOnSynthesis (CDK Pipelines) THEN its annotations are left to the CDK CLI', () => {
    const { app, stage } = stageApp({ routeFault: true });
    stage.synth({ validateOnSynthesis: true });
    expect(() => app.synth()).not.toThrow();
    expect(stageErrors(stage)).toContainEqual(expect.stringMatching(/S3PA-RouteNotAssociated/));
  });

  test('GIVEN a Stage inside a Stage THEN the outer Stage\'s Aspect fails the app synth on the inner one\'s error', () => {
    const app = new App({ context: CONTEXT });
    const outer = new Stage(app, 'Outer', { env: ENV });
    new WorkloadStage(outer, 'Prod', { routeFault: true, checks: false });
    Aspects.of(outer).add(new S3PrivateAccessChecks());
    expect(() => app.synth()).toThrow(/\[Outer\/Prod\/Network\/Workers\/Reader\/Resource\] \[S3PA-RouteNotAssociated\]/);
  });
});
