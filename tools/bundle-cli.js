#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli.js and what it imports, zod, yaml and commander included) into
// dist/bundle/ with esbuild, one chunk per command so a command still loads only its own code. Node resolves and
// compiles ~150 files for one `latentvj render`; the bundle is a handful, which takes about a quarter off every
// command's start-up (bin/latentvj.js uses it while it is newer than the last compile, else dist/src/cli.js).
// Run by `npm run build`, and by tools/run-tests.js when it is stale.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

// Packages that load native addons, find files beside their own sources (bullmq's Lua scripts, the ffmpeg
// installer's platform package, PFFFT's .wasm), or are only needed by tests stay outside, resolved by node as before.
const EXTERNAL = ['@echogarden/pffft-wasm', '@echogarden/pffft-wasm/*', 'onnxruntime-node', '@julusian/midi', 'naudiodon', 'electron', 'bullmq', 'ioredis', '@ffmpeg-installer/*', 'playwright-core', 'bufferutil', 'utf-8-validate'];

export function bundlePaths(at = root) {
  return { entry: join(at, 'dist', 'bundle', 'cli.js'), compiled: join(at, 'dist', '.tsbuildinfo'), dir: join(at, 'dist', 'bundle') };
}

/** True when the bundle exists and no compile wrote dist/ after it. */
export function bundleIsFresh(at = root) {
  const p = bundlePaths(at);
  if (!existsSync(p.entry)) return false;
  return !existsSync(p.compiled) || statSync(p.entry).mtimeMs >= statSync(p.compiled).mtimeMs;
}

export async function bundleCli(at = root) {
  const p = bundlePaths(at);
  const staging = `${p.dir}.tmp-${process.pid}`;
  // Modules find their worker scripts, pages and package root through import.meta.url; in a chunk that URL would be
  // the chunk's. Each module's own URL is put back: its compiled file's place, relative to the chunk it lands in
  // (all chunks sit in one folder), so `new URL('./worker.js', import.meta.url)` still finds dist/src/…/worker.js.
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
        const fromChunk = relative(p.dir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`), loader: 'js' };
      });
    },
  };
  await build({
    entryPoints: { cli: join(at, 'dist', 'src', 'cli.js') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [ownUrl],
    // CommonJS packages inside the bundle call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  rmSync(p.dir, { recursive: true, force: true });
  renameSync(staging, p.dir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    console.error('tools/bundle-cli.js: dist/src/cli.js is missing; compile first (npx tsc -b)');
    process.exit(1);
  }
  await bundleCli();
}
