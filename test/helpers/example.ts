import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ExampleStack } from '../../examples/example-stack';

/** The example app's stack, with the lookups answered from the committed cdk.context.json, and an optional fault. */
export function exampleApp(fault?: string): { app: App; stack: ExampleStack } {
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
  // path metadata, as the CDK CLI turns it on, so template-based front ends name construct paths
  const app = new App({ context: { ...context, 'aws:cdk:enable-path-metadata': true } });
  const stack = new ExampleStack(app, 'S3PrivateAccessExample', {
    env: { account: '123456789012', region: 'eu-west-1' },
    fault,
  });
  return { app, stack };
}
