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

/** A template file and its stack's environment from the assembly manifest beside it, when there is one. */
export function readStackTemplate(templatePath: string): TemplateFile {
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const file = path.basename(templatePath);
  let info = stackInfoOf(file.replace(/\.template\.json$/, ''), undefined);
  const manifestPath = path.join(path.dirname(templatePath), 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile !== file) continue;
      info = stackInfoOf(artifactId, artifact.environment);
    }
  }
  return { stack: { info, template }, file: templatePath };
}

/** Each template followed by the templates of its nested stacks, depth first. */
export function withNestedTemplates(files: readonly TemplateFile[]): TemplateFile[] {
  return files.flatMap(f => [f, ...nestedTemplatesOf(f)]);
}

/**
 * The templates of the nested stacks a template holds, found beside it (by the `aws:asset:path` metadata of each
 * `AWS::CloudFormation::Stack` resource, or by its TemplateURL's asset hash in the assets manifest), recursively.
 * A nested stack gets its parent's environment and the parameter values the parent passes.
 */
export function nestedTemplatesOf(parent: TemplateFile, seen = new Set<string>()): TemplateFile[] {
  const dir = path.dirname(parent.file);
  const out: TemplateFile[] = [];
  for (const resource of Object.values<any>(parent.stack.template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = nestedTemplateFile(dir, resource);
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
    out.push(nested, ...nestedTemplatesOf(nested, seen));
  }
  return out;
}

function nestedTemplateFile(dir: string, resource: any): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string' && assetPath.endsWith('.json')) return path.join(dir, assetPath);
  const hash = /([0-9a-f]{64})\.json/.exec(JSON.stringify(resource.Properties?.TemplateURL ?? ''))?.[1];
  return hash ? assetSources(dir).get(hash) : undefined;
}

/** File-asset hash → source file, from the assets manifests (`*.assets.json`) in an assembly directory. */
function assetSources(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(dir).filter(n => n.endsWith('.assets.json'))) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      for (const [hash, asset] of Object.entries<any>(manifest.files ?? {})) {
        if (typeof asset?.source?.path === 'string') out.set(hash, path.join(dir, asset.source.path));
      }
    } catch {
      // an unreadable assets manifest names no nested template
    }
  }
  return out;
}

/**
 * Whether the CDK CLI judges a stack artifact's template in a plain `cdk synth`: a top-level stack, or a stack of a
 * Stage's nested assembly marked `validateOnSynth` (CDK Pipelines' stages). A nested assembly is a folder that the
 * manifest one folder up lists as a `cdk:cloud-assembly`.
 */
export function judgedByCliFile(templatePath: string, artifactId: string): boolean {
  const dir = path.dirname(path.resolve(templatePath));
  const parentManifest = path.join(path.dirname(dir), 'manifest.json');
  let nested = false;
  try {
    const manifest = JSON.parse(fs.readFileSync(parentManifest, 'utf8'));
    nested = Object.values<any>(manifest.artifacts ?? {}).some(a =>
      a?.type === 'cdk:cloud-assembly' && a.properties?.directoryName === path.basename(dir));
  } catch {
    nested = false;
  }
  return !nested || validatedOnSynth(dir, artifactId);
}

/** Whether the stack artifact `artifactId` of the assembly in `directory` has `validateOnSynth` set. */
export function validatedOnSynth(directory: string, artifactId: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
    return manifest.artifacts?.[artifactId]?.properties?.validateOnSynth === true;
  } catch {
    return false;
  }
}
