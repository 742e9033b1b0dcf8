#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Node 20's runner takes no globs, so the files are listed here. Extra args filter by substring:
//   node tools/run-tests.js analysis    → only test files whose path contains "analysis".
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dir = join(root, 'dist', 'test');
if (!existsSync(dir)) {
  console.error('tools/run-tests.js: dist/test is missing; run `npm run build` first');
  process.exit(2);
}
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
};
walk(dir);
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const chosen = filters.length ? files.filter((f) => filters.some((s) => relative(root, f).includes(s))) : files;
if (chosen.length === 0) {
  console.error(`tools/run-tests.js: no test files match ${filters.join(' ')}`);
  process.exit(2);
}
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
if (chosen.some((f) => relative(root, f).startsWith(join('dist', 'test', 'output')))) {
  const helpers = join(dir, 'output', 'helpers.js');
  if (existsSync(helpers)) (await import(pathToFileURL(helpers).href)).ensurePagesBuilt();
}
// Two test files at a time: most of them wait on Chromium, ffmpeg, Redis or child processes part of the time, so
// two keep two cores busy. Each test takes its own free ports and temporary folders, so files do not meet.
// --test-concurrency=N after the filters overrides it.
const concurrency = Math.max(1, Math.min(2, availableParallelism()));
// A test that waits forever fails after 3 minutes instead of hanging CI.
const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=180000', ...flags, ...chosen], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
