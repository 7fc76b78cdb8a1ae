/**
 * Reads the synthesized templates that the diagnostics judge: every `aws:cloudformation:stack` artifact of a cloud
 * assembly (nested assemblies of stages included) with its nested stacks, or plain CloudFormation template files.
 *
 * Internal: not exported from the package's index.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stackInfoOf } from './environment';
import { nestedTemplatesOf, readStackTemplate, TemplateFile } from './template-files';
import { StackTemplate } from '../model/values';

/** Templates to check, with the file each stack was read from. */
export interface TemplateSet {
  readonly stacks: StackTemplate[];
  /** Stack id → template file. */
  readonly files: Map<string, string>;
}

/** Reads a cloud assembly directory, or template files (JSON), or a mix; directories must be assemblies. */
export function readInputs(inputs: readonly string[]): TemplateSet {
  const stacks: StackTemplate[] = [];
  const files = new Map<string, string>();
  for (const input of inputs) {
    if (!fs.existsSync(input)) {
      throw new Error(`'${input}' does not exist: pass a cloud assembly directory (run \`cdk synth\` first, default cdk.out) or template files`);
    }
    const set = fs.statSync(input).isDirectory() ? readAssembly(input) : readTemplateFile(input);
    for (const s of set.stacks) {
      const id = uniqueId(s.info.id, files);
      const stack = id === s.info.id ? s : { ...s, info: { ...s.info, id } };
      stacks.push(stack);
      files.set(id, set.files.get(s.info.id)!);
    }
  }
  return { stacks, files };
}

/** Every stack of a cloud assembly directory (with `manifest.json`), nested assemblies included. */
export function readAssembly(directory: string): TemplateSet {
  const manifestPath = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`'${directory}' is not a cloud assembly (no manifest.json): pass the output directory of \`cdk synth\` `
      + '(default cdk.out), or template files');
  }
  const out: TemplateSet = { stacks: [], files: new Map() };
  collect(directory, out, new Set());
  if (out.stacks.length === 0) {
    throw new Error(`cloud assembly '${directory}' holds no CloudFormation stacks: synthesize an app that defines at least one stack`);
  }
  return out;
}

function collect(directory: string, out: TemplateSet, seen: Set<string>): void {
  const real = fs.realpathSync(directory);
  if (seen.has(real)) return;
  seen.add(real);
  const manifest = readJson(path.join(directory, 'manifest.json'));
  for (const [artifactId, artifact] of Object.entries<any>(manifest?.artifacts ?? {})) {
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      collect(path.join(directory, artifact.properties.directoryName), out, seen);
      continue;
    }
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof artifact.properties?.templateFile !== 'string') continue;
    const file = path.join(directory, artifact.properties.templateFile);
    if (!fs.existsSync(file)) {
      throw new Error(`cloud assembly '${directory}' names template '${artifact.properties.templateFile}' for stack ${artifactId}, `
        + 'but the file is missing: synthesize the app again (cdk synth) into an empty directory');
    }
    // a stack without resources (outputs only, integ-tests' DeployAssert) is valid and has nothing to judge
    const template = readTemplateJson(file, { resourcesOptional: true });
    const id = uniqueId(artifactId, out.files);
    const stack = { info: stackInfoOf(id, artifact.environment), template, paths: pathsOf(directory, artifact, template) };
    add(out, { stack, file });
    for (const nested of nestedTemplatesOf({ stack, file })) add(out, nested);
  }
}

function add(out: TemplateSet, f: TemplateFile): void {
  const id = uniqueId(f.stack.info.id, out.files);
  out.stacks.push(id === f.stack.info.id ? f.stack : { ...f.stack, info: { ...f.stack.info, id } });
  out.files.set(id, f.file);
}

/** A plain template file (JSON); its environment comes from a manifest beside it when there is one. */
export function readTemplateFile(file: string): TemplateSet {
  readTemplateJson(file, { resourcesOptional: false });
  const { stack } = readStackTemplate(file);
  const id = stack.info.id === path.basename(file) ? path.basename(file).replace(/\.(json|template)$/i, '') : stack.info.id;
  const top = { stack: id === stack.info.id ? stack : { ...stack, info: { ...stack.info, id } }, file };
  const out: TemplateSet = { stacks: [], files: new Map() };
  for (const f of [top, ...nestedTemplatesOf(top)]) add(out, f);
  return out;
}

/**
 * Reads and validates a template: a JSON object, with a `Resources` section unless `resourcesOptional` (a stack
 * artifact of an assembly may have none).
 */
function readTemplateJson(file: string, options: { resourcesOptional: boolean }): any {
  const text = fs.readFileSync(file, 'utf8');
  if (/\.ya?ml$/i.test(file) || !/^\s*\{/.test(text)) {
    throw new Error(`YAML templates are not supported: convert with \`cfn-flip\` (cfn-flip ${file} > ${file.replace(/\.ya?ml$/i, '')}.json)`);
  }
  let template: any;
  try {
    template = JSON.parse(text);
  } catch (e) {
    throw new Error(`template '${file}' is not valid JSON (${(e as Error).message}): pass a synthesized CloudFormation template`);
  }
  if (!template || typeof template !== 'object' || Array.isArray(template)) {
    throw new Error(`'${file}' is not a CloudFormation template (not a JSON object): pass a synthesized template`);
  }
  if (template.Resources === undefined && options.resourcesOptional) return { ...template, Resources: {} };
  if (!template.Resources || typeof template.Resources !== 'object') {
    throw new Error(`'${file}' is not a CloudFormation template (no Resources section): pass a synthesized template`);
  }
  return template;
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read '${file}' (${(e as Error).message}): synthesize the app again`);
  }
}

/**
 * Construct paths by logical id from the stack's `aws:cdk:logicalId` metadata (in the manifest, or in the stack's
 * additional metadata file), for resources whose template carries no `aws:cdk:path`.
 */
function pathsOf(directory: string, artifact: any, template: any): Record<string, string> | undefined {
  let metadata: Record<string, any[]> | undefined = artifact.metadata;
  if (!metadata && typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(directory, artifact.additionalMetadataFile);
    metadata = fs.existsSync(file) ? readJson(file) : undefined;
  }
  if (!metadata) return undefined;
  const out: Record<string, string> = {};
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      if (entry?.type !== 'aws:cdk:logicalId' || typeof entry.data !== 'string') continue;
      const resource = template.Resources?.[entry.data];
      if (resource && !resource.Metadata?.['aws:cdk:path']) out[entry.data] = constructPath.replace(/^\//, '');
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function uniqueId(id: string, taken: Map<string, string>): string {
  if (!taken.has(id)) return id;
  let n = 2;
  while (taken.has(`${id}-${n}`)) n++;
  return `${id}-${n}`;
}
