import * as fs from 'fs';
import * as path from 'path';
import { ISynthesisSession, Stack, StackSynthesizer, Stage } from 'aws-cdk-lib';
import { lendable } from './render';

/**
 * A stack as its synthesizer wrote it: the template file and the stack artifact it added to the cloud assembly (the
 * manifest entry the assembly is built from, once every stack is written).
 */
export interface WrittenStack {
  readonly stack: Stack;
  /**
   * The stack artifact the synthesizer added; {@link addArtifactMessages} replaces it when it adds the artifact again,
   * so the next check given the same written stack (an app-wide and a stack-wide Aspect) starts from it.
   */
  artifact: any;
  readonly session: ISynthesisSession;
}

/** What a stack's wrapped synthesizer calls once the stack is written. */
type Listener = (written: WrittenStack) => void;

/** The listeners of each watched stack, for the synthesis in progress. */
const LISTENERS = new WeakMap<Stack, Listener[]>();

/**
 * Whether each stack can be judged from what its synthesizer writes, within the synthesis of `assembly`: a top-level
 * stack of that very assembly (not a Stage's below it, already synthesized), without nested stacks (their templates
 * are written as the parent's assets), whose synthesizer is one of aws-cdk-lib's (`StackSynthesizer`: it adds the
 * stack's artifact to the assembly once the template is written).
 */
export function judgeableWhenWritten(assembly: Stage, stacks: readonly Stack[]): boolean {
  return stacks.length > 0 && stacks.every(s => Stage.of(s) === assembly && lendable(s)
    && s.synthesizer instanceof StackSynthesizer && typeof (s.synthesizer as any).synthesize === 'function');
}

/**
 * Calls `onWritten` once every stack has been written by its synthesizer, in the synthesis in progress (call it from
 * the validation phase), from inside the last stack's synthesizer: after its template file and artifact are written,
 * before the assembly's manifest is built. So findings reported then can still go into the manifest
 * ({@link addArtifactMessages}). Each synthesizer is wrapped for one call only; its own method is back after it.
 */
export function whenWritten(stacks: readonly Stack[], onWritten: (written: WrittenStack[]) => void): void {
  const written = new Map<Stack, WrittenStack>();
  for (const stack of stacks) {
    watch(stack, w => {
      written.set(stack, w);
      if (written.size === stacks.length) onWritten(stacks.map(s => written.get(s)!));
    });
  }
}

/** Wraps the stack's synthesizer (once per synthesis) to capture the artifact it adds and tell the listeners. */
function watch(stack: Stack, listener: Listener): void {
  const listeners = LISTENERS.get(stack);
  if (listeners) {
    listeners.push(listener);
    return;
  }
  const all = [listener];
  LISTENERS.set(stack, all);
  const synthesizer = stack.synthesizer as { synthesize(session: ISynthesisSession): void };
  const own = Object.prototype.hasOwnProperty.call(synthesizer, 'synthesize') ? synthesizer.synthesize : undefined;
  const original = synthesizer.synthesize;
  synthesizer.synthesize = function (session: ISynthesisSession): void {
    restore(synthesizer, 'synthesize', own);
    LISTENERS.delete(stack);
    let artifact: any;
    const builder = session.assembly as { addArtifact(id: string, manifest: any): void };
    const ownAdd = Object.prototype.hasOwnProperty.call(builder, 'addArtifact') ? builder.addArtifact : undefined;
    const add = builder.addArtifact;
    builder.addArtifact = function (id: string, manifest: any): void {
      if (id === stack.artifactId) artifact = manifest;
      return add.call(this, id, manifest);
    };
    try {
      original.call(synthesizer, session);
    } finally {
      restore(builder, 'addArtifact', ownAdd);
    }
    for (const l of all) l({ stack, artifact, session });
  };
}

/** Puts an object's own method back, or removes the wrapper so its prototype's shows again. */
function restore(target: any, key: string, own: unknown): void {
  if (own !== undefined) target[key] = own;
  else delete target[key];
}

/** The template file a written stack's artifact names, parsed. */
export function writtenTemplate(written: WrittenStack): any {
  const file = written.artifact?.properties?.templateFile ?? written.stack.templateFile;
  return JSON.parse(fs.readFileSync(path.join(written.session.assembly.outdir, file), 'utf8'));
}

/**
 * The construct path of each resource of a written stack's template, from the `aws:cdk:path` metadata synthesis puts
 * on each resource when path metadata is on (the CDK CLI turns it on); undefined when some resource has none, so the
 * caller resolves the logical ids itself. (The stack's metadata file names them too, but parsing it, creation traces
 * and all, costs more memory than resolving them.)
 */
export function writtenPaths(template: any): Record<string, string> | undefined {
  const paths: Record<string, string> = {};
  for (const [logicalId, resource] of Object.entries<any>(template?.Resources ?? {})) {
    const constructPath = resource?.Metadata?.['aws:cdk:path'];
    if (typeof constructPath !== 'string') return undefined;
    paths[logicalId] = constructPath;
  }
  return paths;
}

/**
 * Adds metadata entries (annotations: `{ type, data, trace }` by construct path) to a written stack's artifact, where
 * its synthesizer put the stack's metadata: merged into the artifact's `additionalMetadataFile` (aws-cdk-lib's way),
 * or into its inline `metadata` where it has that instead; a stack that had no metadata gets the file and the
 * artifact is added again naming it. So the artifact carries the messages it would carry had the annotations been
 * made before the stack was written. False when the synthesizer added no artifact for the stack.
 */
export function addArtifactMessages(written: WrittenStack, entries: ReadonlyMap<string, readonly any[]>): boolean {
  if (entries.size === 0) return true;
  const artifact = written.artifact;
  if (!artifact) return false;
  const outdir = written.session.assembly.outdir;
  if (artifact.metadata !== undefined && artifact.additionalMetadataFile === undefined) {
    readd(written, { ...artifact, metadata: merged(artifact.metadata, entries) });
    return true;
  }
  const file: string = artifact.additionalMetadataFile ?? `${written.stack.artifactId}.metadata.json`;
  const full = path.join(outdir, file);
  const existing = artifact.additionalMetadataFile !== undefined ? JSON.parse(fs.readFileSync(full, 'utf8')) : {};
  fs.writeFileSync(full, JSON.stringify(merged(existing, entries), undefined, 2), 'utf-8');
  if (artifact.additionalMetadataFile === undefined) readd(written, { ...artifact, additionalMetadataFile: file });
  return true;
}

/** Metadata by construct path with the entries appended to each path's list. */
function merged(metadata: Record<string, any[]>, entries: ReadonlyMap<string, readonly any[]>): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const [p, list] of Object.entries(metadata)) out[p] = [...list];
  for (const [p, list] of entries) out[p] = [...out[p] ?? [], ...list];
  return out;
}

/** Adds the stack's artifact to the assembly again (the builder keeps the last one added under an id). */
function readd(written: WrittenStack, artifact: any): void {
  written.session.assembly.addArtifact(written.stack.artifactId, artifact);
  written.artifact = artifact;
}
