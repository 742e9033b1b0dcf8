#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Node 20's runner takes no globs, so the files are listed here. Extra args filter by substring:
//   node tools/run-tests.js analysis    → only test files whose path contains "analysis".
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

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
// A test that waits forever fails after 3 minutes instead of hanging CI.
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=180000', ...flags, ...chosen], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
