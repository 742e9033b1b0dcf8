/**
 * What the device kit must carry: the compiled files its entry scripts import (followed through relative
 * imports), the npm packages they name, and those packages' runtime dependencies. Read from the compiled
 * JavaScript, where type-only imports are already gone, so the list is what Node will load, not what the
 * TypeScript mentions. Unresolvable bare names are reported rather than thrown: the CPU run of the kit proves
 * the list, and this says what to look at when it does not.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const BUILTINS = new Set(builtinModules);

/** Dependencies a package declares but only its install script uses (never loaded at run time). */
export const INSTALL_ONLY: Readonly<Record<string, readonly string[]>> = {
  // onnxruntime-node's dist requires only onnxruntime-common and its native binding; script/install.js
  // downloads CUDA libraries with these.
  'onnxruntime-node': ['adm-zip', 'global-agent'],
};

/**
 * Module specifiers of static imports, re-exports, literal dynamic imports, and CommonJS packages loaded through
 * `createRequire(import.meta.url)('name')`, `require('name')` or `….resolve('name')`, and scripts started from
 * `new URL('./x.js', import.meta.url)`, in compiled ESM.
 */
export function importSpecifiers(source: string): string[] {
  const out = new Set<string>();
  const patterns = [
    /(?:^|[\n;}])\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"\n]+)['"]/g,
    /(?:^|[\n;}])\s*import\s*['"]([^'"\n]+)['"]/g,
    /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*['"]([^'"\n]+)['"]\s*\)/g,
    /\bcreateRequire\([^)]*\)(?:\.resolve)?\(\s*['"]([^'"\n]+)['"]\s*\)/g,
    // Worker and child scripts beside the module (the generator's worker, the WebGPU probe).
    /\bnew URL\(\s*['"](\.{1,2}\/[^'"\n]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.add(m[1]!);
  return [...out];
}

/** `@scope/name/sub` → `@scope/name`; `rxjs/operators` → `rxjs`; null for relative paths and builtins. */
export function packageName(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return null;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return BUILTINS.has(name) ? null : name;
}

export interface ImportTrace {
  /** Compiled files reached, absolute. */
  files: string[];
  /** Package names imported by those files, sorted. */
  packages: string[];
}

/** Follows relative imports from the entry files; collects the bare package names they import. */
export function traceImports(entries: readonly string[]): ImportTrace {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => resolve(e));
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target) && statSync(target).isFile()) queue.push(target);
        else throw new Error(`${file}: imports ${spec}, which does not exist (is dist/ built?)`);
        continue;
      }
      const name = packageName(spec);
      if (name) packages.add(name);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

export interface PackageEntry {
  name: string;
  /** Folder relative to the project root, e.g. node_modules/rxjs or node_modules/a/node_modules/b. */
  dir: string;
  version: string;
}

/** Node's lookup: node_modules beside the requiring package, then each folder up to the root. */
function findPackage(root: string, fromDir: string, name: string): string | null {
  let d = fromDir;
  for (;;) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (resolve(d) === resolve(root)) return null;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** The packages and their runtime dependencies (dependencies and installed optionalDependencies), deduplicated by folder. */
export function packageClosure(root: string, names: readonly string[]): { packages: PackageEntry[]; unresolved: string[] } {
  const byDir = new Map<string, PackageEntry>();
  const unresolved = new Set<string>();
  const queue: Array<{ name: string; from: string }> = names.map((name) => ({ name, from: root }));
  while (queue.length) {
    const { name, from } = queue.pop()!;
    const dir = findPackage(root, from, name);
    if (!dir) {
      unresolved.add(name);
      continue;
    }
    const rel = relative(resolve(root), resolve(dir));
    if (byDir.has(rel)) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    byDir.set(rel, { name, dir: rel, version: pkg.version ?? '?' });
    const skip = new Set(INSTALL_ONLY[name] ?? []);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (!skip.has(dep)) queue.push({ name: dep, from: dir });
    // Optional dependencies only when installed (platform packages for other systems are absent, not needed).
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) if (!skip.has(dep) && findPackage(root, dir, dep)) queue.push({ name: dep, from: dir });
  }
  return { packages: [...byDir.values()].sort((a, b) => a.dir.localeCompare(b.dir)), unresolved: [...unresolved].sort() };
}

/** The kit's entry scripts, relative to the project root (compiled). */
export const KIT_ENTRIES = ['dist/tools/device/bench.js', 'dist/tools/device/caseRun.js', 'dist/tools/device/buildModel.js', 'dist/tools/device/renderStages.js'];

/** Files inside a carried package that Node never loads at run time (sources maps, typings, docs). */
export function droppedFromPackage(relPath: string): boolean {
  const base = relPath.split('/').pop()!;
  if (/\.(map|d\.ts|d\.mts|d\.cts|md|markdown)$/i.test(base)) return true;
  if (/\.ts$/.test(base) && !/\.d\.ts$/.test(base)) return true;
  return false;
}

/** onnxruntime-node's native files: only Linux x64 (its WebGPU provider is inside libonnxruntime). */
export function droppedOrtBinary(relPath: string): boolean {
  const m = /(?:^|\/)onnxruntime-node\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(relPath);
  return m !== null && !(m[1] === 'linux' && m[2] === 'x64');
}
