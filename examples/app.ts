// The example app `npx cdk synth` builds (see cdk.json): a Lambda function in isolated subnets that reads and writes
// a bucket through the S3 gateway endpoint, with every check on: the S3PrivateAccess Aspect, its policy-validation
// plugin and cdk-nag pack, and cdk-nag's AwsSolutions pack.
//
// Plant a catalogued fault to see a check fail synth:
//   npx cdk synth -c fault=route-not-associated | source-ip-private | nacl-ephemeral | ecr-layers
// Run one front end only (default all):
//   npx cdk synth -c fault=ecr-layers -c frontend=aspect | validator | nag
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NagPackValidation, S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../lib';
import { ExampleStack, FAULTS } from './example-stack';

const FRONT_ENDS = ['aspect', 'validator', 'nag', 'all'];

const app = new App();
const fault = app.node.tryGetContext('fault');
if (fault !== undefined && !FAULTS.includes(fault)) {
  throw new Error(`unknown fault '${fault}': choose one of ${FAULTS.join(', ')}`);
}
const frontEnd: string = app.node.tryGetContext('frontend') ?? 'all';
if (!FRONT_ENDS.includes(frontEnd)) throw new Error(`unknown frontend '${frontEnd}': choose one of ${FRONT_ENDS.join(', ')}`);
const on = (name: string) => frontEnd === name || frontEnd === 'all';

new ExampleStack(app, 'S3PrivateAccessExample', {
  env: { account: '123456789012', region: 'eu-west-1' },
  fault,
  // with one front end chosen, the construct's own checks (the Aspect on its stack) stand aside too
  checks: on('aspect'),
});

if (on('aspect')) Aspects.of(app).add(new S3PrivateAccessChecks());
if (on('validator')) Validations.of(app).addPlugins(new S3PrivateAccessValidator());
if (on('nag')) Validations.of(app).addPlugins(new S3PrivateAccessNagPack(app));
if (frontEnd === 'all') Validations.of(app).addPlugins(new NagPackValidation(app, new AwsSolutionsChecks(app)));
