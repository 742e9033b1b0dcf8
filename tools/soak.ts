/**
 * Soak: runs `latentvj live` (demo track, no window) as a child process for a set duration with one display
 * client on /frames, and prints what a long show needs to hold: RSS growth (whole run and last half), the longest
 * gap between frames at the display and how many gaps exceed 100 / 500 ms, the gap while a large mapping is saved
 * and hot-reloaded mid-run, and CPU use with no display connected (inference should idle) next to with one.
 *
 *   npm run soak -- --seconds 1200        (default 1200 = 20 minutes; --seconds 60 for a quick look)
 *
 * Figures only: nothing here passes or fails on timing (tests never assert wall-clock durations).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const seconds = arg('--seconds', 1200);
const idleSeconds = Math.min(20, Math.max(5, seconds / 10));

const tmp = mkdtempSync(join(tmpdir(), 'latentvj-soak-'));
const mapping = join(tmp, 'soak.yaml');
copyFileSync(join(root, 'mappings', 'default.yaml'), mapping);
const original = readFileSync(mapping, 'utf8');

const child = spawn(process.execPath, [join(root, 'bin', 'latentvj.js'), 'live', '--audio', 'demo', '--no-window', '--port', '0', '--no-osc', '--mapping', mapping], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
const base = await new Promise<string>((resolve, reject) => {
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderr += s;
    const m = /serving on (http:\/\/[^\s]+?)\s/.exec(stderr);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`live exited (${code}) before serving:\n${stderr}`)));
});

const procStat = (): { cpuS: number; rssMb: number } => {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 Hz on Linux)
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return { cpuS: ticks / 100, rssMb: Number(rss?.[1] ?? 0) / 1024 };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Phase 1: nobody watching.
await sleep(3000); // start-up settles
const idle0 = procStat();
await sleep(idleSeconds * 1000);
const idle1 = procStat();

// Phase 2: one display for `seconds`.
const ws = new WebSocket(`${base.replace('http', 'ws')}/frames`);
const arrivals: number[] = [];
ws.on('message', (_d, binary) => {
  if (binary) arrivals.push(performance.now());
});
await new Promise((r) => ws.once('open', r));
const start = performance.now();
const shown0 = procStat();
const rss: Array<{ t: number; mb: number }> = [];
let reloadAt = -1;
const sampler = setInterval(() => rss.push({ t: (performance.now() - start) / 1000, mb: procStat().rssMb }), 2000);
await sleep((seconds * 1000) / 2);
// A large mapping saved mid-show (valid, ~1.5 MB of comment): the picture should keep its rate.
reloadAt = performance.now();
writeFileSync(mapping, original + `# ${'x'.repeat(98)}\n`.repeat(15_000));
await sleep(5000);
writeFileSync(mapping, original);
await sleep(Math.max(0, (seconds * 1000) / 2 - 5000));
clearInterval(sampler);
const shown1 = procStat();
ws.close();
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));
rmSync(tmp, { recursive: true, force: true });

const gaps = arrivals.slice(1).map((t, i) => ({ at: arrivals[i]!, ms: t - arrivals[i]! }));
const longest = gaps.reduce((a, g) => Math.max(a, g.ms), 0);
const nearReload = gaps.filter((g) => g.at >= reloadAt - 1000 && g.at <= reloadAt + 6000).reduce((a, g) => Math.max(a, g.ms), 0);
const first = rss[0]?.mb ?? 0;
const last = rss.at(-1)?.mb ?? 0;
const mid = rss[Math.floor(rss.length / 2)]?.mb ?? 0;
const pct = (a: { cpuS: number }, b: { cpuS: number }, s: number) => ((100 * (b.cpuS - a.cpuS)) / s).toFixed(0);
console.log(`soak: ${seconds} s with one display (plus ${idleSeconds} s with none), load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(`  frames at the display: ${arrivals.length} (${(arrivals.length / seconds).toFixed(1)} fps)`);
console.log(`  longest gap between frames: ${longest.toFixed(0)} ms; gaps over 100 ms: ${gaps.filter((g) => g.ms > 100).length}, over 500 ms: ${gaps.filter((g) => g.ms > 500).length}`);
console.log(`  longest gap around the 1.5 MB mapping save and reload: ${nearReload.toFixed(0)} ms`);
console.log(`  RSS: ${first.toFixed(1)} MB → ${last.toFixed(1)} MB (growth ${(last - first).toFixed(1)} MB; last half ${(last - mid).toFixed(1)} MB)`);
console.log(`  engine CPU: ${pct(idle0, idle1, idleSeconds)} % with no display, ${pct(shown0, shown1, seconds)} % with one display`);
