#!/usr/bin/env node
// Runs every compiled benchmark (dist/bench/**/*.bench.js) in turn; each prints its figures and a ratio
// against a peer measured in the same run. Extra args filter by substring: `npm run bench -- analysis`.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(new URL('.', import.meta.url).pathname, '..');
const dir = join(root, 'dist', 'bench');
const files = [];
const walk = (d) => {
  if (!existsSync(d)) return;
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.bench.js')) files.push(p);
  }
};
walk(dir);
const filters = process.argv.slice(2);
const chosen = filters.length ? files.filter((f) => filters.some((s) => relative(root, f).includes(s))) : files;
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${relative(root, f)}`);
  const r = spawnSync(process.execPath, [f], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed += 1;
}
if (chosen.length === 0) console.log('no benchmarks found');
process.exit(failed ? 1 : 0);
