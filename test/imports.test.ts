/**
 * Every import in src/ runs with the flow of src/contracts/flow.ts, and no chain of imports (type-only ones
 * included: they couple the modules as much) comes back to where it started. Reads the sources, not the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FLOW, FLOW_EXCLUDED } from '../src/contracts/flow.js';

// dist/test/imports.test.js → the repository root.
const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = relative(SRC, p).split(sep).join('/');
    if (FLOW_EXCLUDED.some((x) => rel.startsWith(x) || `${rel}/`.startsWith(x))) continue;
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative import specifiers of a module: static imports and re-exports, and dynamic import() of a literal. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const re = /(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(re)) {
    const s = m[1] ?? m[2] ?? m[3]!;
    if (s.startsWith('.')) specs.push(s);
  }
  return specs;
}

/** The FLOW name of a file: its top-level folder under src/, or its module name at the top. */
const unitOf = (file: string): string => {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
};

const layerOf = new Map<string, number>();
FLOW.forEach((names, i) => names.forEach((n) => layerOf.set(n, i)));

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const deps = importsOf(readFileSync(file, 'utf8')).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
    g.set(file, deps);
  }
  return g;
}

const rel = (f: string): string => relative(SRC, f).split(sep).join('/');

test('every top-level folder and module of src/ has a place in the flow', () => {
  const units = new Set([...graph().keys()].map(unitOf));
  const missing = [...units].filter((u) => !layerOf.has(u));
  assert.deepEqual(missing, [], `add these to FLOW in src/contracts/flow.ts: ${missing.join(', ')}`);
});

test('imports run with the flow: from a module to its own folder or a lower layer only', () => {
  const bad: string[] = [];
  for (const [file, deps] of graph()) {
    const from = unitOf(file);
    for (const dep of deps) {
      const to = unitOf(dep);
      if (to === from) continue;
      const a = layerOf.get(from);
      const b = layerOf.get(to);
      if (a === undefined || b === undefined || b >= a) bad.push(`${rel(file)} → ${rel(dep)} (${from} → ${to})`);
    }
  }
  assert.deepEqual(bad, [], `backward imports:\n${bad.join('\n')}`);
});

test('no import cycle between modules', () => {
  const g = graph();
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const d of g.get(f) ?? []) {
      if (!g.has(d)) continue;
      const s = state.get(d);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(' → '));
      else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of [...g.keys()].sort()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, [], `cycles:\n${cycles.join('\n')}`);
});

test('the check sees what it must: a backward import and a cycle in sample text are found', () => {
  assert.deepEqual(importsOf(`import type { A } from '../engine.js';\nexport { b } from './b.js';\n// import x from './no.js'\nconst m = await import('./lazy.js');`), [
    '../engine.js',
    './b.js',
    './lazy.js',
  ]);
  assert.deepEqual(importsOf(`import 'rxjs';\nimport { x } from 'node:fs';`), []);
});
