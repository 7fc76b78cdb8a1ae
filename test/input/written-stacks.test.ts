import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, DefaultStackSynthesizer, ISynthesisSession, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ExampleStack } from '../../examples/example-stack';
import { NetworkStack } from '../../examples/pipeline-stage';
import { S3PrivateAccessChecks } from '../../lib';
import * as render from '../../lib/input/render';
import { stackTemplateOf } from '../../lib/input/scope';
import * as written from '../../lib/input/written-stacks';
import { exampleApp } from '../helpers/example';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
const ENV = { account: '123456789012', region: 'eu-west-1' };

afterEach(() => jest.restoreAllMocks());

describe('the Aspect judges the templates synthesis writes', () => {
  test('GIVEN stacks of the assembly being synthesized THEN it renders none itself and reads each written template once', () => {
    const { app, stack } = exampleApp('route-not-associated');
    const second = new ExampleStack(app, 'Second', { env: ENV });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const renders = jest.spyOn(render, 'renderTemplate');
    const reads = jest.spyOn(written, 'writtenTemplate');

    app.synth();

    expect(renders).not.toHaveBeenCalled();
    expect(reads.mock.calls.map(([w]) => w.stack)).toEqual([stack, second]);
    // the findings are in the assembly, on the constructs, as errors
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^\\[S3PA-RouteNotAssociated\\]')).map(m => m.id))
      .toContain('/S3PrivateAccessExample/Worker/Resource');
    Annotations.fromStack(second).hasNoError('*', Match.anyValue());
  });

  test('GIVEN path metadata (as the CDK CLI turns it on) THEN the paths the written template names are those of its resources\' constructs', () => {
    const { app, stack } = exampleApp('route-not-associated');
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const paths = jest.spyOn(written, 'writtenPaths');

    app.synth();

    expect(paths).toHaveBeenCalledTimes(1);
    const template = paths.mock.calls[0][0];
    expect(paths.mock.results[0].value).toEqual(stackTemplateOf(stack, template, new Map()).paths);
  });

  test('GIVEN no path metadata THEN the logical ids are resolved instead, and the findings land on the same constructs', () => {
    const app = new App({ context: CONTEXT });
    const stack = new ExampleStack(app, 'S3PrivateAccessExample', { env: ENV, fault: 'route-not-associated' });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const paths = jest.spyOn(written, 'writtenPaths');

    app.synth();

    expect(paths).toHaveReturnedWith(undefined);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^\\[S3PA-RouteNotAssociated\\]')).map(m => m.id))
      .toContain('/S3PrivateAccessExample/Worker/Resource');
  });

  test('GIVEN a stack that holds a nested stack THEN the Aspect renders in the validation phase instead', () => {
    const app = new App({ context: CONTEXT });
    new NetworkStack(app, 'Parent', { env: ENV, routeFault: true, checks: false });
    Aspects.of(app).add(new S3PrivateAccessChecks());
    const reads = jest.spyOn(written, 'writtenTemplate');
    const renders = jest.spyOn(render, 'renderTemplate');

    const assembly = app.synth();

    expect(reads).not.toHaveBeenCalled();
    expect(renders).toHaveBeenCalled();
    expect(assembly.getStackArtifact('Parent').messages.map(m => m.level)).toContain('error');
  });

  test('GIVEN a synthesizer that adds no stack artifact THEN an error finding fails synth, naming the stack and the way out', () => {
    class TemplateOnly extends DefaultStackSynthesizer {
      public synthesize(session: ISynthesisSession): void {
        this.synthesizeTemplate(session);
      }
    }
    const app = new App({ context: CONTEXT });
    new ExampleStack(app, 'S3PrivateAccessExample', { env: ENV, fault: 'route-not-associated', synthesizer: new TemplateOnly() });
    Aspects.of(app).add(new S3PrivateAccessChecks());

    expect(() => app.synth()).toThrow(/the synthesizer of S3PrivateAccessExample added no stack artifact, so the checks cannot report on it; use S3PrivateAccessValidator instead:\n {2}\[S3PrivateAccessExample\/Worker\/Resource\] \[S3PA-RouteNotAssociated\]/);
  });

  test('GIVEN a clean stack with a synthesizer that adds no artifact THEN synth passes', () => {
    class TemplateOnly extends DefaultStackSynthesizer {
      public synthesize(session: ISynthesisSession): void {
        this.synthesizeTemplate(session);
      }
    }
    const app = new App({ context: CONTEXT });
    new Stack(app, 'Plain', { env: ENV, synthesizer: new TemplateOnly() });
    Aspects.of(app).add(new S3PrivateAccessChecks());

    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN the synthesis THEN each synthesizer and the assembly builder have their own methods back', () => {
    const { app, stack } = exampleApp();
    Aspects.of(app).add(new S3PrivateAccessChecks());

    app.synth();

    expect(Object.prototype.hasOwnProperty.call(stack.synthesizer, 'synthesize')).toBe(false);
  });
});

describe('addArtifactMessages', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3pa-written-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const ERROR = { type: 'aws:cdk:error', data: '[S3PA-X] message' };
  function writtenStack(artifact: any) {
    const stack = new Stack(new App(), 'Bare');
    const addArtifact = jest.fn();
    return { w: { stack, artifact, session: { outdir, assembly: { outdir, addArtifact } } } as any as written.WrittenStack, addArtifact };
  }

  test('GIVEN an artifact with a metadata file THEN the entries are appended to the file', () => {
    fs.writeFileSync(path.join(outdir, 'Bare.metadata.json'), JSON.stringify({ '/Bare/Fn': [{ type: 'aws:cdk:logicalId', data: 'Fn' }] }));
    const { w, addArtifact } = writtenStack({ type: 'aws:cloudformation:stack', additionalMetadataFile: 'Bare.metadata.json' });

    expect(written.addArtifactMessages(w, new Map([['/Bare/Fn', [ERROR]], ['/Bare/Other', [ERROR]]]))).toBe(true);

    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'Bare.metadata.json'), 'utf8'))).toEqual({
      '/Bare/Fn': [{ type: 'aws:cdk:logicalId', data: 'Fn' }, ERROR],
      '/Bare/Other': [ERROR],
    });
    expect(addArtifact).not.toHaveBeenCalled();
  });

  test('GIVEN an artifact with inline metadata THEN it is added again with the entries inline', () => {
    const { w, addArtifact } = writtenStack({ type: 'aws:cloudformation:stack', metadata: { '/Bare/Fn': [{ type: 'aws:cdk:logicalId', data: 'Fn' }] } });

    written.addArtifactMessages(w, new Map([['/Bare/Fn', [ERROR]]]));

    expect(addArtifact).toHaveBeenCalledWith('Bare', {
      type: 'aws:cloudformation:stack',
      metadata: { '/Bare/Fn': [{ type: 'aws:cdk:logicalId', data: 'Fn' }, ERROR] },
    });
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('GIVEN an artifact without metadata THEN it gets a metadata file, as its synthesizer writes one, and names it', () => {
    const { w, addArtifact } = writtenStack({ type: 'aws:cloudformation:stack', properties: { templateFile: 'Bare.template.json' } });

    written.addArtifactMessages(w, new Map([['/Bare/Fn', [ERROR]]]));

    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'Bare.metadata.json'), 'utf8'))).toEqual({ '/Bare/Fn': [ERROR] });
    expect(addArtifact).toHaveBeenCalledWith('Bare', {
      type: 'aws:cloudformation:stack', properties: { templateFile: 'Bare.template.json' }, additionalMetadataFile: 'Bare.metadata.json',
    });
  });

  test('GIVEN no entries THEN nothing changes; GIVEN no artifact THEN it says so', () => {
    const { w, addArtifact } = writtenStack(undefined);
    expect(written.addArtifactMessages(w, new Map())).toBe(true);
    expect(written.addArtifactMessages(w, new Map([['/Bare/Fn', [ERROR]]]))).toBe(false);
    expect(addArtifact).not.toHaveBeenCalled();
  });
});
