/**
 * Where the user's code created each construct, from the construct creation traces a cloud assembly carries: the
 * `aws:cdk:creationStack` metadata of each stack artifact (in its `<stack>.metadata.json` and inline in the
 * manifest), keyed by construct path. aws-cdk-lib records them unless the context
 * `aws:cdk:disable-creation-stack-traces` is set. Nested stacks' constructs are in their parent's metadata.
 *
 * Internal: not exported from the package's index.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A line of source code. */
export interface SourceSite {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/**
 * A finder of creation sites, reading each assembly directory once: the site of the construct at `constructPath`
 * (or of its nearest ancestor that has one) among the stacks of the directory holding `templateFile`.
 */
export function creationSites(): (templateFile: string, constructPath: string) => SourceSite | undefined {
  const byDirectory = new Map<string, Map<string, SourceSite>>();
  return (templateFile, constructPath) => {
    const directory = path.dirname(path.resolve(templateFile));
    let sites = byDirectory.get(directory);
    if (!sites) {
      sites = sitesOf(directory);
      byDirectory.set(directory, sites);
    }
    for (let p = constructPath.replace(/^\//, ''); p !== ''; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
      const site = sites.get(p);
      if (site) return site;
    }
    return undefined;
  };
}

/** Construct path (no leading slash) → the user's line that created it, for every stack of an assembly directory. */
function sitesOf(directory: string): Map<string, SourceSite> {
  const out = new Map<string, SourceSite>();
  const manifest = readJson(path.join(directory, 'manifest.json'));
  for (const artifact of Object.values<any>(manifest?.artifacts ?? {})) {
    if (artifact?.type !== 'aws:cloudformation:stack') continue;
    // both, as the cloud assembly's readers merge them
    const file = typeof artifact.additionalMetadataFile === 'string' ? readJson(path.join(directory, artifact.additionalMetadataFile)) : undefined;
    for (const [constructPath, entries] of [...Object.entries<any>(file ?? {}), ...Object.entries<any>(artifact.metadata ?? {})]) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (entry?.type !== 'aws:cdk:creationStack' || !Array.isArray(entry.data)) continue;
        const site = userFrame(entry.data);
        if (site) out.set(constructPath.replace(/^\//, ''), site);
      }
    }
  }
  return out;
}

/**
 * The first frame of a creation trace that is the user's code: a file outside node_modules (aws-cdk-lib writes its
 * own frames as summaries such as `...new Function2 in aws-cdk-lib...`, without a file).
 */
export function userFrame(frames: readonly unknown[]): SourceSite | undefined {
  for (const frame of frames) {
    if (typeof frame !== 'string') continue;
    const match = /\(?((?:file:\/\/)?[^\s()]+?):(\d+)(?::(\d+))?\)?$/.exec(frame.trim());
    if (!match) continue;
    const file = match[1].replace(/^file:\/\//, '');
    if (!path.isAbsolute(file) || file.split(/[\\/]/).includes('node_modules')) continue;
    return { file, line: Number(match[2]), column: match[3] ? Number(match[3]) : undefined };
  }
  return undefined;
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
