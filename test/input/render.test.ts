import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExampleStack } from '../../examples/example-stack';
import { NetworkStack } from '../../examples/pipeline-stage';
import { S3PrivateAccessChecks } from '../../lib';
import * as render from '../../lib/input/render';
import { renderTemplate } from '../../lib/input/render';
import * as written from '../../lib/input/written-stacks';
import { CORPUS } from '../corpus/all';
import { cleanUp, tempDir } from '../diagnostics/fixtures';
import { exampleApp } from '../helpers/example';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
const ENV = { account: '123456789012', region: 'eu-west-1' };

let dirs: string[] = [];
afterEach(() => {
  cleanUp(dirs);
  dirs = [];
});

/**
 * How the Aspect judges: the templates as written (where it can), or rendered in the validation phase with the
 * renders lent to synthesis, or rendered there and rendered again by synthesis.
 */
type AspectPath = 'written' | 'lent' | 'rendered';

/**
 * Every template file an app writes and the annotations in its manifest, by stack, with the checks on one path;
 * for an app whose synthesis fails (a Stage with a fault), the failure's message.
 */
function templatesWritten(build: (outdir: string) => App, via: AspectPath): Record<string, string> {
  const outdir = tempDir();
  dirs.push(outdir);
  const app = build(outdir);
  Aspects.of(app).add(new S3PrivateAccessChecks());
  const spies: jest.SpyInstance[] = via === 'written' ? [] : [jest.spyOn(written, 'judgeableWhenWritten').mockReturnValue(false)];
  if (via === 'rendered') spies.push(jest.spyOn(render, 'renderTemplate').mockImplementation(stack => (stack as any)._toCloudFormation()));
  try {
    const assembly = app.synth();
    dirs.push(assembly.directory);
    return Object.fromEntries(assembly.stacksRecursively.flatMap(s => [
      [s.hierarchicalId, fs.readFileSync(s.templateFullPath, 'utf8')],
      // the findings, on the same constructs at the same level
      [`${s.hierarchicalId} messages`, s.messages.map(m => `${m.level} ${m.id} ${m.entry.data}`).sort().join('\n')],
      // and where the artifact keeps them, entry for entry, for readers other than the cloud assembly's own
      [`${s.hierarchicalId} metadata`, JSON.stringify(artifactMetadata(s.assembly.directory, s.manifest))],
    ]));
  } catch (e) {
    return { failure: (e as Error).message };
  } finally {
    spies.forEach(spy => spy.mockRestore());
  }
}

/**
 * A stack artifact's metadata: its inline `metadata` and its `additionalMetadataFile`, each as written, without the
 * stack traces (creation traces and annotations' traces name the test's lines and the checks' call sites).
 */
function artifactMetadata(directory: string, manifest: any): unknown {
  const file = manifest.additionalMetadataFile;
  const withoutTraces = (metadata?: Record<string, any[]>) => metadata && Object.fromEntries(Object.entries(metadata).map(([p, entries]) =>
    [p, entries.map(e => e.type === 'aws:cdk:creationStack' ? e.type : `${e.type} ${JSON.stringify(e.data)}`)]));
  return {
    inline: withoutTraces(manifest.metadata),
    file: withoutTraces(file ? JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) : undefined),
  };
}

const APPS: Array<[string, (outdir: string) => App]> = [
  ['the example app', outdir => {
    const app = new App({ outdir, context: { ...CONTEXT, 'aws:cdk:enable-path-metadata': true } });
    new ExampleStack(app, 'S3PrivateAccessExample', { env: ENV });
    return app;
  }],
  ...CORPUS.flatMap(app => [undefined, ...Object.keys(app.faults)].map((fault): [string, (outdir: string) => App] => [
    `corpus app ${app.name} ${fault ?? '(clean)'}`,
    () => app.build(fault),
  ])),
  ['a parent stack with a nested stack', outdir => {
    const app = new App({ outdir, context: { ...CONTEXT, 'aws:cdk:enable-path-metadata': true } });
    new NetworkStack(app, 'Parent', { env: ENV, routeFault: false, checks: false });
    return app;
  }],
];

describe('the Aspect judges the templates synthesis writes, or lends its renders to synthesis', () => {
  test.each(APPS)('GIVEN %s THEN synthesis writes the same templates and findings on every path of the Aspect', (_name, build) => {
    const rendered = templatesWritten(build, 'rendered');
    expect(templatesWritten(build, 'lent')).toEqual(rendered);
    expect(templatesWritten(build, 'written')).toEqual(rendered);
  });

  test('GIVEN a lent render THEN the stack\'s next render returns it, and the one after renders again', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new s3.Bucket(stack, 'Data');
    const spy = jest.spyOn(Stack.prototype as any, '_toCloudFormation');

    const lent = renderTemplate(stack, true);
    expect(spy).toHaveBeenCalledTimes(1);
    expect((stack as any)._toCloudFormation()).toBe(lent);
    expect(spy).toHaveBeenCalledTimes(1);
    expect((stack as any)._toCloudFormation()).not.toBe(lent);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(Object.prototype.hasOwnProperty.call(stack, '_toCloudFormation')).toBe(false);
    spy.mockRestore();
  });

  test('GIVEN a stack that holds nested stacks THEN its render is not lent (their template URLs come at synthesis)', () => {
    const app = new App({ context: CONTEXT });
    const parent = new NetworkStack(app, 'Parent', { env: ENV, routeFault: false, checks: false });
    renderTemplate(parent, true);
    expect(Object.prototype.hasOwnProperty.call(parent, '_toCloudFormation')).toBe(false);
  });

  test('GIVEN the Aspect THEN each stack is rendered once per synthesis', () => {
    const { app } = exampleApp();
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const spy = jest.spyOn(Stack.prototype as any, '_toCloudFormation');
    app.synth();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
