import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The layout of ARCHITECTURE.md, enforced: the import graph of lib/ (read with TypeScript's own parser, type-only
 * imports included) has no arrow between rooms that the layout does not allow, and no cycle.
 */
const LIB = path.join(__dirname, '..', 'lib');

/** The room of a file of lib/. */
function roomOf(file: string): string {
  const rel = path.relative(LIB, file).split(path.sep);
  if (rel.length === 1) {
    if (rel[0] === 'index.ts') return 'index';
    if (rel[0] === 'default-checks-hook.ts') return 'hook';
    return 'construct';
  }
  if (['endpoint', 'network', 'policy', 'private'].includes(rel[0])) return 'construct';
  return rel[0];
}

/** Which rooms each room may import (its own always). */
const ALLOWED: Record<string, readonly string[]> = {
  aws: [],
  model: ['aws'],
  rules: ['model', 'aws'],
  input: ['model', 'aws'],
  checks: ['input', 'rules', 'model', 'aws', 'hook'],
  diagnostics: ['input', 'rules', 'model', 'aws'],
  cli: ['diagnostics'],
  construct: ['aws', 'hook'],
  hook: [],
  index: ['construct', 'checks', 'diagnostics', 'rules'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The lib files a file imports (relative module specifiers, resolved to .ts files). */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    let spec: string | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      spec = node.moduleSpecifier.text;
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      spec = node.argument.literal.text;
    } else if (ts.isCallExpression(node) && node.expression.getText(source) === 'require'
      && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      spec = node.arguments[0].text;
    }
    if (spec?.startsWith('.')) {
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
      if (resolved) out.push(resolved);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const FILES = sourceFiles(LIB);
const GRAPH = new Map(FILES.map(f => [f, importsOf(f)]));
const rel = (f: string) => path.relative(LIB, f);

describe('the architecture of lib/ (ARCHITECTURE.md)', () => {
  test('every file is in a room the layout names', () => {
    expect(FILES.map(f => roomOf(f)).filter(r => ALLOWED[r] === undefined)).toEqual([]);
  });

  test('no import runs against the layout', () => {
    const wrong: string[] = [];
    for (const [file, imports] of GRAPH) {
      const from = roomOf(file);
      for (const target of imports) {
        const to = roomOf(target);
        if (to !== from && !ALLOWED[from].includes(to)) wrong.push(`${rel(file)} (${from}) → ${rel(target)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the import graph has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const walk = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(rel).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of GRAPH.get(file) ?? []) walk(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of FILES) walk(file, []);
    expect(cycles).toEqual([]);
  });

  test('the rooms the test knows are the rooms ARCHITECTURE.md draws', () => {
    const doc = fs.readFileSync(path.join(LIB, '..', 'ARCHITECTURE.md'), 'utf8');
    for (const room of ['aws', 'model', 'rules', 'input', 'checks', 'diagnostics', 'cli']) expect(doc).toContain(`lib/${room}/`);
  });
});
