#!/usr/bin/env node
// Builds the browser pages (/output, /monitor, /latents) into dist/page: type-checks src/output/page with its own
// tsconfig (DOM libs), then bundles each page with esbuild (GLSL from shaders/ inlined as text) and copies
// the HTML. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(new URL('.', import.meta.url).pathname, '..');
const pageDir = join(root, 'src', 'output', 'page');
const outDir = join(root, 'dist', 'page');
const pages = ['output', 'monitor', 'latents'];

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '-p', join(pageDir, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
if (check.status !== 0) {
  console.error('tools/build-pages.js: type errors in src/output/page (see above)');
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: Object.fromEntries(pages.map((p) => [p, join(pageDir, `${p}.ts`)])),
  outdir: outDir,
  bundle: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  loader: { '.glsl': 'text' },
  sourcemap: true,
  minify: false,
  logLevel: 'warning',
});
for (const p of pages) copyFileSync(join(pageDir, `${p}.html`), join(outDir, `${p}.html`));
