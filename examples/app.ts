// The example app `npx cdk synth` builds (see cdk.json): a Lambda function in isolated subnets that reads and writes
// a bucket through the S3 gateway endpoint, with every check on: the S3PrivateAccess Aspect, its policy-validation
// plugin and cdk-nag pack, and cdk-nag's AwsSolutions pack.
//
// Plant a catalogued fault to see a check fail synth:
//   npx cdk synth -c fault=route-not-associated | source-ip-private | nacl-ephemeral | ecr-layers
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NagPackValidation, S3PrivateAccessChecks, S3PrivateAccessNagPack, S3PrivateAccessValidator } from '../lib';
import { ExampleStack, FAULTS } from './example-stack';

// the CDK CLI passes `failSynthOnValidationErrors: false` to the app, so failed policy validations would print and
// still exit 0: this example wants synth to fail on them
const app = new App({ postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
const fault = app.node.tryGetContext('fault');
if (fault !== undefined && !FAULTS.includes(fault)) {
  throw new Error(`unknown fault '${fault}': choose one of ${FAULTS.join(', ')}`);
}

new ExampleStack(app, 'S3PrivateAccessExample', {
  env: { account: '123456789012', region: 'eu-west-1' },
  fault,
});

Aspects.of(app).add(new S3PrivateAccessChecks());
Validations.of(app).addPlugins(
  new S3PrivateAccessValidator(),
  new S3PrivateAccessNagPack(app),
  new NagPackValidation(app, new AwsSolutionsChecks(app)),
);
