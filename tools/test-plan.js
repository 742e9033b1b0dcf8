// The order in which tools/run-tests.js hands the test files to node's runner. The runner starts them in the order
// given, as slots free up, so the order is the schedule: the longest files first (a long file started last would
// run alone at the end), and the Chromium files spaced so that one runs at a time (they take turns through a lock,
// test/helpers/exclusive.ts, and a file waiting for it would hold a slot doing nothing).
//
// The lengths come from test/timings.json (seconds per file, measured one file at a time by
// `node tools/test-times.js --write-timings`); a file not in it counts as its folder's median, or 1 s.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { root } from './compiled-files.js';

export const TIMINGS_FILE = join(root, 'test', 'timings.json');

/** The source name of a compiled test file: dist/test/a/b.test.js → test/a/b.test.ts. */
export const sourceName = (file) => relative(join(root, 'dist'), file).replace(/\.js$/, '.ts');

/** Whether a compiled test file drives Chromium (and so takes the Chromium lock). */
export const usesChromium = (file) => readFileSync(file, 'utf8').includes('launchChromium(');

export function readTimings(file = TIMINGS_FILE) {
  if (!existsSync(file)) return {};
  try {
    const t = JSON.parse(readFileSync(file, 'utf8'));
    return t && typeof t === 'object' && t.files && typeof t.files === 'object' ? t.files : {};
  } catch {
    return {};
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 1;
}

/**
 * List scheduling, simulated: each slot, as it frees up, takes the longest file left that may start then (a Chromium
 * file only when no other runs, and ahead of others while the Chromium files left add up to more). Returns the files
 * in the order they start in the simulation.
 */
export function planOrder(files, { concurrency, timings = readTimings(), chromium = usesChromium, lengths = new Map() }) {
  const byFolder = new Map();
  for (const [name, t] of Object.entries(timings)) {
    if (!(t?.wallS > 0)) continue;
    const list = byFolder.get(dirname(name)) ?? [];
    list.push(t.wallS);
    byFolder.set(dirname(name), list);
  }
  const jobs = files.map((file, index) => {
    const name = sourceName(file);
    const known = lengths.get(file) ?? timings[name]?.wallS;
    const lengthS = known > 0 ? known : median(byFolder.get(dirname(name)) ?? [1]);
    return { file, index, lengthS, chromium: chromium(file) };
  });
  const left = [...jobs].sort((a, b) => b.lengthS - a.lengthS || a.index - b.index);
  const slots = Array.from({ length: Math.max(1, concurrency) }, () => ({ freeAtS: 0, job: null }));
  const order = [];
  while (left.length) {
    const slot = slots.reduce((a, b) => (b.freeAtS < a.freeAtS ? b : a));
    const nowS = slot.freeAtS;
    const chromiumBusyUntilS = Math.max(0, ...slots.filter((s) => s !== slot && s.job?.chromium && s.freeAtS > nowS).map((s) => s.freeAtS));
    // The Chromium files run one after another, so together they are one long job: while their sum left is longer
    // than the longest other file, a free slot starts the next of them.
    const chromiumLeftS = left.reduce((a, j) => a + (j.chromium ? j.lengthS : 0), 0);
    const other = left.findIndex((j) => !j.chromium);
    const nextChromium = chromiumBusyUntilS === 0 ? left.findIndex((j) => j.chromium) : -1;
    const i = nextChromium >= 0 && (other < 0 || chromiumLeftS >= left[other].lengthS) ? nextChromium : other;
    if (i < 0) {
      // Only Chromium files are left and one is running: this slot starts the next when that one ends.
      slot.freeAtS = chromiumBusyUntilS;
      slot.job = null;
      continue;
    }
    const [job] = left.splice(i, 1);
    slot.job = job;
    slot.freeAtS = nowS + job.lengthS;
    order.push(job.file);
  }
  return order;
}

/**
 * Whether a compiled test file must have a process of its own: it registers hooks or process handlers at its top
 * level (in a shared process they would apply to the other files' tests too), or says so with a
 * `// test-plan: own process` line.
 */
export const needsOwnProcess = (file) => {
  const text = readFileSync(file, 'utf8');
  return /^(before|after|beforeEach|afterEach)\(|^process\.(on|once|chdir|exit)\(|^\/\/ test-plan: own process/m.test(text);
};

/**
 * Short test files of one folder share a process, a few seconds of them at a time. Each file a process of its own
 * costs node's start, the test runner's and some 150 modules' loading again (0.3–0.4 s of CPU a file, a fifth of
 * the suite's CPU over 144 files); sharing keeps each file's tests in order, one after another. Files that drive
 * Chromium, run longer than `shortS` or need their own process stay alone. Returns the groups (two or more files,
 * in path order, with their summed length) and the files that run alone.
 */
export function groupFiles(files, { timings = readTimings(), chromium = usesChromium, ownProcess = needsOwnProcess, shortS = 3, groupS = 6 } = {}) {
  const singles = [];
  const byFolder = new Map();
  for (const file of files) {
    const name = sourceName(file);
    const lengthS = timings[name]?.wallS;
    if (!(lengthS > 0 && lengthS < shortS) || chromium(file) || ownProcess(file)) {
      singles.push(file);
      continue;
    }
    const list = byFolder.get(dirname(name)) ?? [];
    list.push({ file, lengthS });
    byFolder.set(dirname(name), list);
  }
  const groups = [];
  for (const [folder, list] of byFolder) {
    // Equal shares rather than greedy packing, so no folder ends with a lone straggler.
    const totalS = list.reduce((a, f) => a + f.lengthS, 0);
    const count = Math.max(1, Math.round(totalS / groupS));
    const shareS = totalS / count;
    let current = { folder, members: [], lengthS: 0 };
    let closed = 0;
    for (const f of list) {
      if (current.members.length && current.lengthS + f.lengthS / 2 > shareS && closed < count - 1) {
        groups.push(current);
        closed++;
        current = { folder, members: [], lengthS: 0 };
      }
      current.members.push(f.file);
      current.lengthS += f.lengthS;
    }
    groups.push(current);
  }
  return { groups: groups.filter((g) => g.members.length > 1), singles: [...singles, ...groups.filter((g) => g.members.length === 1).map((g) => g.members[0])] };
}
