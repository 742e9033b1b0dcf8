#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Node 20's runner takes no globs, so the files are listed here. Extra args filter by substring:
//   node tools/run-tests.js analysis    → only test files whose path contains "analysis".
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { compiledFiles, root } from './compiled-files.js';
import { groupFiles, planOrder, sourceName, usesChromium } from './test-plan.js';
import { bundleCli, bundleIsFresh } from './bundle-cli.js';

const dir = join(root, 'dist', 'test');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const chosen = compiledFiles({ folder: 'test', suffix: '.test.js', filters, tool: 'tools/run-tests.js' });
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));

// What several test files read is checked (and rebuilt when stale) once here, before they run side by side: two
// files must not both rebuild the page bundles or the default model while the other reads them.
process.chdir(root);
const setup = join(root, 'dist', 'src', 'setup.js');
if (existsSync(setup)) {
  try {
    await (await import(pathToFileURL(setup).href)).runSetup({ root });
  } catch (e) {
    console.warn(`tools/run-tests.js: the default model could not be prepared (${e instanceof Error ? e.message : e}); its tests will say why`);
  }
}
// The command-line tests start bin/latentvj.js, which runs the bundle only while it is newer than the compile.
if (existsSync(join(root, 'dist', 'src', 'cli.js')) && !bundleIsFresh()) {
  try {
    await bundleCli();
  } catch (e) {
    console.warn(`tools/run-tests.js: the CLI could not be bundled (${e instanceof Error ? e.message : e}); commands start from dist/src`);
  }
}
// The tests start ffmpeg about 150 times (a render segment each, a join, the probes). A distribution's ffmpeg is
// linked to some 200 shared libraries and binds them all at start: about 0.1 s of CPU each time, a third of what
// the render and queue tests spend in ffmpeg. The static build that @ffmpeg-installer ships inside its package (the
// commands' own fallback, src/ffmpeg.ts) starts in milliseconds, so the tests run it unless LATENTVJ_FFMPEG names
// another. The codec test (test/render/render-codecs.test.ts) still resolves ffmpeg as a user's command does.
if (!process.env.LATENTVJ_FFMPEG) {
  const ffmpegModule = join(root, 'dist', 'src', 'ffmpeg.js');
  const npmFfmpeg = existsSync(ffmpegModule) ? (await import(pathToFileURL(ffmpegModule).href)).findNpmFfmpeg() : null;
  if (npmFfmpeg) {
    process.env.LATENTVJ_FFMPEG = npmFfmpeg;
    console.log(`# tools/run-tests.js: the tests run ffmpeg from the npm package (${relative(root, npmFfmpeg)})`);
  }
}
let sharedChromium = null;
if (chosen.some((f) => relative(root, f).startsWith(join('dist', 'test', 'output')))) {
  const helpers = join(dir, 'output', 'chromium.js');
  if (existsSync(helpers)) {
    const h = await import(pathToFileURL(helpers).href);
    h.ensurePagesBuilt();
    // The page tests connect to one browser served from here (test/output/chromium.ts: launchChromium) instead of
    // each launching its own; one that cannot connect launches its own as before.
    if (chosen.some(usesChromium)) {
      try {
        sharedChromium = await h.serveSharedChromium();
        if (sharedChromium) process.env[h.SHARED_CHROMIUM_ENV] = sharedChromium.wsEndpoint;
      } catch (e) {
        console.warn(`tools/run-tests.js: no shared Chromium (${e instanceof Error ? e.message : e}); each page test launches its own`);
      }
    }
  }
}
// Three test files at a time on two cores: most of them wait on Chromium, ffmpeg, Redis or child processes part of
// the time, so a third keeps both cores busy. Each test takes its own free ports and temporary folders, so files
// do not meet. The order (tools/test-plan.js) starts the longest first and lets one Chromium file run at a time;
// node's own `--test` sorts the files it is given, so they go through its run() API instead, with the report node
// prints itself (TAP when the output is not a terminal, as CI reads it; spec on a terminal).
// --test-concurrency=N after the filters overrides the count; other --flags go to `node --test` unchanged.
const concurrencyFlag = flags.find((f) => f.startsWith('--test-concurrency='));
const concurrency = concurrencyFlag ? Math.max(1, Number(concurrencyFlag.split('=')[1]) || 1) : Math.max(1, Math.min(3, availableParallelism() + 1));
const isolate = flags.includes('--isolate');
const otherFlags = flags.filter((f) => f !== concurrencyFlag && f !== '--isolate');
// A test that waits forever fails after 3 minutes instead of hanging CI.
const TIMEOUT_MS = 180_000;
if (otherFlags.length) {
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, `--test-timeout=${TIMEOUT_MS}`, ...otherFlags, ...chosen], { stdio: 'inherit', cwd: root });
  await sharedChromium?.close();
  process.exit(r.status ?? 1);
}
const { run } = await import('node:test');
const { spec, tap } = await import('node:test/reporters');
// Short files of a folder share a process (tools/test-plan.js: groupFiles): a module per group imports them in
// order, and node's report names the group's module, whose first lines list its files. --isolate gives every file
// a process of its own, to tell whether a failure comes from sharing one.
// A folder per run, so two runs in one checkout do not rewrite each other's groups; those of runs that are gone
// are removed.
const groupsRoot = join(root, 'dist', 'test-groups');
const groupDir = join(groupsRoot, String(process.pid));
for (const name of existsSync(groupsRoot) ? readdirSync(groupsRoot) : []) {
  const pid = Number(name);
  let alive = false;
  try {
    alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
  } catch (e) {
    alive = e?.code === 'EPERM';
  }
  if (!alive) rmSync(join(groupsRoot, name), { recursive: true, force: true });
}
const { groups, singles } = isolate ? { groups: [], singles: chosen } : groupFiles(chosen);
const lengths = new Map();
const groupFilesWritten = groups.map((g, i) => {
  mkdirSync(groupDir, { recursive: true });
  const file = join(groupDir, `${relative(join(root, 'test'), join(root, g.folder)).replaceAll('/', '-') || 'top'}.${i + 1}.test.js`);
  const names = g.members.map((m) => sourceName(m));
  writeFileSync(file, `// ${names.join('\n// ')}\n${g.members.map((m) => `import ${JSON.stringify(pathToFileURL(m).href)};`).join('\n')}\n`);
  lengths.set(file, g.lengthS);
  return file;
});
if (groups.length) console.log(`# tools/run-tests.js: ${chosen.length} test files in ${singles.length + groups.length} processes (${groups.length} groups of short files: dist/test-groups/)`);
const files = [...singles, ...groupFilesWritten];
const stream = run({ files: planOrder(files, { concurrency, lengths }), concurrency, timeout: TIMEOUT_MS });
stream.on('test:fail', (e) => {
  if (!e.todo) process.exitCode = 1;
});
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
stream.on('end', () => {
  rmSync(groupDir, { recursive: true, force: true });
  void sharedChromium?.close();
});
