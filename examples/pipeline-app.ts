// A CDK Pipelines app: the pipeline stack deploys WorkloadStage, whose stacks CDK synthesizes into a nested cloud
// assembly. The checks judge the Stage's stacks too, and an error there fails the `npx cdk synth` the pipeline runs.
//
//   -c frontend=aspect | validator | nag | construct | all   which check runs (default all; `construct`: only the
//                                                            checks S3PrivateAccess turns on for its own stack)
//   -c fault=route-not-associated                             the Stage's function has no route to S3
//   -c warning=custom-dns                                     a warning only, which must not fail synth
//   -c stage=plain                                            the Stage without CDK Pipelines (no validateOnSynthesis)
import { App, Aspects, Stack, Validations } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../lib';
import { WorkloadStage } from './pipeline-stage';

const FRONT_ENDS = ['aspect', 'validator', 'nag', 'construct', 'all'];
const env = { account: '123456789012', region: 'eu-west-1' };

const app = new App();
const frontEnd: string = app.node.tryGetContext('frontend') ?? 'all';
if (!FRONT_ENDS.includes(frontEnd)) throw new Error(`unknown frontend '${frontEnd}': choose one of ${FRONT_ENDS.join(', ')}`);
const on = (name: string) => frontEnd === name || frontEnd === 'all';

if (on('aspect')) Aspects.of(app).add(new S3PrivateAccessChecks());
if (on('validator')) Validations.of(app).addPlugins(new S3PrivateAccessValidator());
if (on('nag')) Validations.of(app).addPlugins(new S3PrivateAccessNagPack(app));

const stage = new WorkloadStage(app, 'Prod', {
  env,
  routeFault: app.node.tryGetContext('fault') === 'route-not-associated',
  customDns: app.node.tryGetContext('warning') === 'custom-dns',
  checks: on('construct'),
});
if (app.node.tryGetContext('stage') !== 'plain') {
  const pipelineStack = new Stack(app, 'Pipeline', { env });
  const pipeline = new pipelines.CodePipeline(pipelineStack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.gitHub('example-org/example-app', 'main'),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  pipeline.addStage(stage);
}
