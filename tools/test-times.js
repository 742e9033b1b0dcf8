#!/usr/bin/env node
// Runs each compiled test file on its own and prints its wall and CPU seconds, then the sums per folder.
// CPU (user+sys of the test process and every child it waited for: Chromium, ffmpeg, redis, workers) is the
// figure to compare on a shared machine, where wall time depends on what else runs.
//   node tools/test-times.js [substring…] [--json=out.json]
// Filters work as in tools/run-tests.js. CPU comes from /proc/self/stat (cutime/cstime), so it is Linux-only;
// elsewhere the CPU column reads "-".
import { readdirSync, statSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dir = join(root, 'dist', 'test');
if (!existsSync(dir)) {
  console.error('tools/test-times.js: dist/test is missing; run `npm run build` first');
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
const args = process.argv.slice(2);
const jsonArg = args.find((a) => a.startsWith('--json='));
const filters = args.filter((a) => !a.startsWith('--'));
const chosen = filters.length ? files.filter((f) => filters.some((s) => relative(root, f).includes(s))) : files;
if (chosen.length === 0) {
  console.error(`tools/test-times.js: no test files match ${filters.join(' ')}`);
  process.exit(2);
}

const ticksPerSecond = 100; // USER_HZ: fixed at 100 for /proc on every Linux architecture node runs on
/** CPU seconds of this process's reaped children (fields 16 and 17 of /proc/self/stat), or NaN off Linux. */
const childCpuSeconds = () => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond; // fields 16, 17 counted from 1
  } catch {
    return Number.NaN;
  }
};

const rows = [];
for (const file of chosen) {
  const name = relative(join(root, 'dist'), file).replace(/\.js$/, '.ts');
  const cpu0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=180000', file], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuS = childCpuSeconds() - cpu0;
  const ok = r.status === 0;
  rows.push({ file: name, folder: dirname(name), wallS, cpuS, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${wallS.toFixed(1).padStart(6)} s wall ${Number.isNaN(cpuS) ? '     -' : cpuS.toFixed(1).padStart(6)} s cpu  ${name}`);
  if (!ok) process.stdout.write((r.stdout ?? '').split('\n').filter((l) => /not ok|Error|error:|expected|actual/.test(l)).slice(0, 20).join('\n') + '\n');
}

const folders = new Map();
for (const r of rows) {
  const f = folders.get(r.folder) ?? { folder: r.folder, files: 0, wallS: 0, cpuS: 0 };
  f.files += 1;
  f.wallS += r.wallS;
  f.cpuS += r.cpuS;
  folders.set(r.folder, f);
}
const byWall = [...folders.values()].sort((a, b) => b.wallS - a.wallS);
console.log('\nfolder                 files   wall s    cpu s');
for (const f of byWall) {
  console.log(`${f.folder.padEnd(22)} ${String(f.files).padStart(5)} ${f.wallS.toFixed(1).padStart(8)} ${f.cpuS.toFixed(1).padStart(8)}`);
}
const total = rows.reduce((a, r) => ({ wallS: a.wallS + r.wallS, cpuS: a.cpuS + r.cpuS }), { wallS: 0, cpuS: 0 });
const failed = rows.filter((r) => !r.ok);
console.log(`${'total'.padEnd(22)} ${String(rows.length).padStart(5)} ${total.wallS.toFixed(1).padStart(8)} ${total.cpuS.toFixed(1).padStart(8)}`);
console.log('(wall and CPU include each file\'s node start-up, which the one-process run in tools/run-tests.js also pays per file)');
if (failed.length) console.log(`failed: ${failed.map((r) => r.file).join(', ')}`);
if (jsonArg) writeFileSync(jsonArg.slice('--json='.length), JSON.stringify({ rows, folders: byWall, total }, null, 2));
process.exit(failed.length ? 1 : 0);
