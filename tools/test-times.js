#!/usr/bin/env node
// Runs each compiled test file in its own `node --test` and prints its wall and CPU seconds, then the sums per
// folder. CPU (user+sys of the test process and every child it waited for: Chromium, ffmpeg, redis, workers) is
// the figure to compare on a shared machine, where wall time depends on what else runs.
//   node tools/test-times.js [substring…] [--concurrency=N] [--json=out.json] [--write-timings]
// Filters work as in tools/run-tests.js. --concurrency runs N files side by side as run-tests.js does (their wall
// times then overlap; the last line gives the elapsed time). CPU comes from /usr/bin/time (GNU time) when it is
// there, else from /proc/self/stat (cutime/cstime, only with --concurrency=1); elsewhere it reads "-".
// --write-timings (one file at a time only, on a quiet machine) stores each file's seconds in test/timings.json,
// which tools/run-tests.js orders the files by (tools/test-plan.js); files not run keep their old entry.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { compiledFiles, root } from './compiled-files.js';
import { TIMINGS_FILE, planOrder, readTimings } from './test-plan.js';

const args = process.argv.slice(2);
const jsonArg = args.find((a) => a.startsWith('--json='));
const concurrency = Math.max(1, Number(args.find((a) => a.startsWith('--concurrency='))?.slice('--concurrency='.length) ?? 1));
const filters = args.filter((a) => !a.startsWith('--'));
const writeTimings = args.includes('--write-timings');
if (writeTimings && concurrency !== 1) {
  console.error('tools/test-times.js: --write-timings measures one file at a time; drop --concurrency');
  process.exit(2);
}
const chosen = planOrder(compiledFiles({ folder: 'test', suffix: '.test.js', filters, tool: 'tools/test-times.js' }), { concurrency });

const GNU_TIME = '/usr/bin/time';
const haveTime = existsSync(GNU_TIME);
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

/** One file in its own `node --test`: wall and CPU seconds, and whether it passed. */
function runOne(file) {
  const nodeArgs = ['--test', '--test-concurrency=1', '--test-timeout=180000', file];
  // GNU time writes its line last on stderr, after whatever the test wrote there.
  const [cmd, argv] = haveTime ? [GNU_TIME, ['-f', '\ntest-times %U %S', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const cpu0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /test-times ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      const cpuS = m ? Number(m[1]) + Number(m[2]) : concurrency === 1 ? childCpuSeconds() - cpu0 : Number.NaN;
      resolve({ wallS, cpuS, ok: code === 0, stdout });
    });
  });
}

const rows = [];
const tStart = process.hrtime.bigint();
let next = 0;
async function lane() {
  while (next < chosen.length) {
    const file = chosen[next++];
    const name = relative(join(root, 'dist'), file).replace(/\.js$/, '.ts');
    const { wallS, cpuS, ok, stdout } = await runOne(file);
    rows.push({ file: name, folder: dirname(name), wallS, cpuS, ok });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${wallS.toFixed(1).padStart(6)} s wall ${Number.isNaN(cpuS) ? '     -' : cpuS.toFixed(1).padStart(6)} s cpu  ${name}`);
    if (!ok) process.stdout.write(stdout.split('\n').filter((l) => /not ok|Error|error:|expected|actual|\bat .*test\.js/.test(l)).slice(0, 30).join('\n') + '\n');
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const elapsedS = Number(process.hrtime.bigint() - tStart) / 1e9;
rows.sort((a, b) => a.file.localeCompare(b.file));

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
console.log(`elapsed ${elapsedS.toFixed(1)} s with ${concurrency} file(s) at a time`);
console.log('(wall and CPU include each file\'s node start-up, which tools/run-tests.js also pays per file)');
if (failed.length) console.log(`failed: ${failed.map((r) => r.file).join(', ')}`);
if (writeTimings) {
  const files = readTimings();
  for (const r of rows) if (r.ok) files[r.file] = { wallS: Number(r.wallS.toFixed(2)), cpuS: Number(r.cpuS.toFixed(2)) };
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  const about = 'Seconds per test file, one file at a time on a quiet machine (node tools/test-times.js --write-timings); tools/run-tests.js orders the files by wallS.';
  writeFileSync(TIMINGS_FILE, JSON.stringify({ about, files: sorted }, null, 1) + '\n');
  console.log(`wrote ${relative(root, TIMINGS_FILE)}`);
}
if (jsonArg) writeFileSync(jsonArg.slice('--json='.length), JSON.stringify({ rows, folders: byWall, total, elapsedS, concurrency }, null, 2));
process.exit(failed.length ? 1 : 0);
