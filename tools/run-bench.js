#!/usr/bin/env node
// Runs every compiled benchmark (dist/bench/**/*.bench.js) in turn; each prints its figures and a ratio
// against a peer measured in the same run. Extra args filter by substring: `npm run bench -- analysis`.
import { relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compiledFiles, root } from './compiled-files.js';

const chosen = compiledFiles({ folder: 'bench', suffix: '.bench.js', filters: process.argv.slice(2), tool: 'tools/run-bench.js', required: false });
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${relative(root, f)}`);
  const r = spawnSync(process.execPath, [f], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed += 1;
}
if (chosen.length === 0) console.log('no benchmarks found');
process.exit(failed ? 1 : 0);
