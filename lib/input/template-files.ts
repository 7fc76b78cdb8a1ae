/**
 * Synthesized template files as the model reads them: a stack's template with its environment from the assembly
 * manifest beside it, and the templates of its nested stacks (`*.nested.template.json`), judged with the parameter
 * values their parent passes.
 *
 * Internal: not exported from the package's index.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stackInfoOf } from './environment';
import { StackTemplate } from '../model/values';

/** A stack's template and the file it was read from. */
export interface TemplateFile {
  readonly stack: StackTemplate;
  readonly file: string;
}

/**
 * The JSON files of an assembly, each read and parsed once: the manifest beside the templates (megabytes in a large
 * app: it carries every resource's metadata) is consulted for every template, which read afresh each time made
 * validation quadratic in the number of stacks. One per validation: the files change with every synthesis.
 */
export class AssemblyFiles {
  private readonly parsed = new Map<string, any>();
  private readonly stacksByTemplate = new Map<string, Map<string, [string, any]>>();

  /** The parsed file; undefined when it does not exist or does not parse. */
  public tryRead(file: string): any {
    const key = path.resolve(file);
    if (!this.parsed.has(key)) {
      let value: any;
      try {
        value = JSON.parse(fs.readFileSync(key, 'utf8'));
      } catch {
        value = undefined;
      }
      this.parsed.set(key, value);
    }
    return this.parsed.get(key);
  }

  /** The stack artifact (id and artifact) whose template is `templateFile`, in the manifest `manifestPath`. */
  public stackOfTemplate(manifestPath: string, templateFile: string): [string, any] | undefined {
    const key = path.resolve(manifestPath);
    let byTemplate = this.stacksByTemplate.get(key);
    if (!byTemplate) {
      byTemplate = new Map();
      for (const [artifactId, artifact] of Object.entries<any>(this.tryRead(key)?.artifacts ?? {})) {
        // the last artifact naming the file wins, as before
        if (artifact?.type === 'aws:cloudformation:stack') byTemplate.set(artifact.properties?.templateFile, [artifactId, artifact]);
      }
      this.stacksByTemplate.set(key, byTemplate);
    }
    return byTemplate.get(templateFile);
  }
}

/** A template file and its stack's environment from the assembly manifest beside it, when there is one. */
export function readStackTemplate(templatePath: string, files: AssemblyFiles = new AssemblyFiles()): TemplateFile {
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const file = path.basename(templatePath);
  const artifact = files.stackOfTemplate(path.join(path.dirname(templatePath), 'manifest.json'), file);
  const info = artifact
    ? stackInfoOf(artifact[0], artifact[1].environment)
    : stackInfoOf(file.replace(/\.template\.json$/, ''), undefined);
  return { stack: { info, template }, file: templatePath };
}

/** Each template followed by the templates of its nested stacks, depth first. */
export function withNestedTemplates(files: readonly TemplateFile[], assembly: AssemblyFiles = new AssemblyFiles()): TemplateFile[] {
  return files.flatMap(f => [f, ...nestedTemplatesOf(f, new Set(), assembly)]);
}

/**
 * The templates of the nested stacks a template holds, found beside it (by the `aws:asset:path` metadata of each
 * `AWS::CloudFormation::Stack` resource, or by its TemplateURL's asset hash in the assets manifest), recursively.
 * A nested stack gets its parent's environment and the parameter values the parent passes.
 */
export function nestedTemplatesOf(parent: TemplateFile, seen = new Set<string>(), assembly: AssemblyFiles = new AssemblyFiles()): TemplateFile[] {
  const dir = path.dirname(parent.file);
  const out: TemplateFile[] = [];
  for (const resource of Object.values<any>(parent.stack.template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = nestedTemplateFile(dir, resource, assembly);
    if (!file || seen.has(path.resolve(file)) || !fs.existsSync(file)) continue;
    seen.add(path.resolve(file));
    let template: any;
    try {
      template = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read nested stack template '${file}' (${(e as Error).message}): synthesize the app again`);
    }
    const id = path.basename(file).replace(/\.nested\.template\.json$|\.json$/, '');
    const stack: StackTemplate = {
      info: { ...parent.stack.info, id, prefixListLookups: undefined },
      template: template ?? {},
      parent: { stackId: parent.stack.info.id, parameters: resource.Properties?.Parameters ?? {} },
    };
    const nested = { stack, file };
    out.push(nested, ...nestedTemplatesOf(nested, seen, assembly));
  }
  return out;
}

function nestedTemplateFile(dir: string, resource: any, assembly: AssemblyFiles): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string' && assetPath.endsWith('.json')) return path.join(dir, assetPath);
  const hash = /([0-9a-f]{64})\.json/.exec(JSON.stringify(resource.Properties?.TemplateURL ?? ''))?.[1];
  return hash ? assetSources(dir, assembly).get(hash) : undefined;
}

/** File-asset hash → source file, from the assets manifests (`*.assets.json`) in an assembly directory. */
function assetSources(dir: string, assembly: AssemblyFiles): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(dir).filter(n => n.endsWith('.assets.json'))) {
    // an unreadable assets manifest names no nested template
    const manifest = assembly.tryRead(path.join(dir, name));
    for (const [hash, asset] of Object.entries<any>(manifest?.files ?? {})) {
      if (typeof asset?.source?.path === 'string') out.set(hash, path.join(dir, asset.source.path));
    }
  }
  return out;
}

/**
 * Whether the CDK CLI judges a stack artifact's template in a plain `cdk synth`: a top-level stack, or a stack of a
 * Stage's nested assembly marked `validateOnSynth` (CDK Pipelines' stages). A nested assembly is a folder that the
 * manifest one folder up lists as a `cdk:cloud-assembly`.
 */
export function judgedByCliFile(templatePath: string, artifactId: string, assembly: AssemblyFiles = new AssemblyFiles()): boolean {
  const dir = path.dirname(path.resolve(templatePath));
  const manifest = assembly.tryRead(path.join(path.dirname(dir), 'manifest.json'));
  const nested = Object.values<any>(manifest?.artifacts ?? {}).some(a =>
    a?.type === 'cdk:cloud-assembly' && a.properties?.directoryName === path.basename(dir));
  return !nested || validatedOnSynth(dir, artifactId, assembly);
}

/** Whether the stack artifact `artifactId` of the assembly in `directory` has `validateOnSynth` set. */
export function validatedOnSynth(directory: string, artifactId: string, assembly: AssemblyFiles = new AssemblyFiles()): boolean {
  const manifest = assembly.tryRead(path.join(directory, 'manifest.json'));
  return manifest?.artifacts?.[artifactId]?.properties?.validateOnSynth === true;
}
