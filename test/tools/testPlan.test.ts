/**
 * The order tools/run-tests.js gives node's runner (tools/test-plan.js), replayed with the planned lengths: the
 * Chromium files never overlap, the longest files start first, and every file is there once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

interface Group {
  folder: string;
  members: string[];
  lengthS: number;
}
interface Plan {
  planOrder(files: string[], o: { concurrency: number; timings: Record<string, { wallS: number }>; chromium: (f: string) => boolean; lengths?: Map<string, number> }): string[];
  groupFiles(
    files: string[],
    o: { timings: Record<string, { wallS: number }>; chromium: (f: string) => boolean; ownProcess: (f: string) => boolean; shortS?: number; groupS?: number },
  ): { groups: Group[]; singles: string[] };
  needsOwnProcess(file: string): boolean;
}
const plan = async (): Promise<Plan> => (await import(join(PACKAGE_ROOT, 'tools', 'test-plan.js'))) as Plan;

const file = (name: string): string => join(PACKAGE_ROOT, 'dist', 'test', `${name}.test.js`);
const lengths: Record<string, number> = { 'q/a': 20, 'q/b': 18, 'r/c': 3, 'r/d': 2, 'o/p1': 8, 'o/p2': 7, 'o/p3': 6, 's/e': 1 };
const timings = Object.fromEntries(Object.entries(lengths).map(([n, s]) => [`test/${n}.test.ts`, { wallS: s }]));
const isPage = (f: string): boolean => f.includes('/o/');

/** Runs the order on `concurrency` slots as node's runner does (each file starts when a slot frees, in order). */
function replay(order: string[], concurrency: number, lengthOf: (f: string) => number): Array<{ f: string; startS: number; endS: number }> {
  const free = Array<number>(concurrency).fill(0);
  return order.map((f) => {
    const k = free.indexOf(Math.min(...free));
    const startS = free[k]!;
    free[k] = startS + lengthOf(f);
    return { f, startS, endS: free[k]! };
  });
}

test('test plan: every file once, the longest first, Chromium files one at a time when replayed', async () => {
  const { planOrder } = await plan();
  const files = Object.keys(lengths).map(file);
  const lengthOf = (f: string): number => lengths[Object.keys(lengths).find((n) => f === file(n))!]!;
  for (const concurrency of [1, 2, 3]) {
    const order = planOrder(files, { concurrency, timings, chromium: isPage });
    assert.deepEqual([...order].sort(), [...files].sort());
    const runs = replay(order, concurrency, lengthOf);
    const pages = runs.filter((r) => isPage(r.f));
    for (let i = 1; i < pages.length; i++) assert.ok(pages[i]!.startS >= pages[i - 1]!.endS, `${concurrency} slots: ${pages[i]!.f} starts before ${pages[i - 1]!.f} ends`);
    if (concurrency > 1) assert.equal(order.filter((f) => !isPage(f))[0], file('q/a'));
  }
  // Three slots: the two long files and the chain of pages start together; the short ones fill in after.
  const three = planOrder(files, { concurrency: 3, timings, chromium: isPage });
  assert.deepEqual(new Set(three.slice(0, 3)), new Set([file('q/a'), file('q/b'), file('o/p1')]));
  // 65 s of work on three slots cannot end before 21.7 s.
  assert.equal(Math.max(...replay(three, 3, lengthOf).map((r) => r.endS)), 22);
});

test('test plan: a file with no timing counts as its folder’s median, or 1 s', async () => {
  const { planOrder } = await plan();
  // q/new counts as 20 s (the q folder's median of 18 and 20, the upper one), r/new as 3 s, z/unknown as 1 s; ties
  // keep the given order.
  const files = [file('s/e'), file('r/new'), file('z/unknown'), file('q/a'), file('q/new')];
  const order = planOrder(files, { concurrency: 1, timings, chromium: () => false });
  assert.deepEqual(order, [file('q/a'), file('q/new'), file('r/new'), file('s/e'), file('z/unknown')]);
});

test('test groups: short files of a folder share a process in path order, in groups of about equal length; others run alone', async () => {
  const { groupFiles } = await plan();
  const short: Record<string, number> = { 'a/1': 1, 'a/2': 2, 'a/3': 1.5, 'a/4': 2.5, 'a/5': 1, 'a/6': 2, 'b/1': 0.5, 'b/2': 0.5, 'c/1': 1, 'o/page': 1, 'a/hooks': 1, 'a/long': 9 };
  const t = Object.fromEntries(Object.entries(short).map(([n, s]) => [`test/${n}.test.ts`, { wallS: s }]));
  const files = [...Object.keys(short), 'a/new'].map(file);
  const { groups, singles } = groupFiles(files, { timings: t, chromium: isPage, ownProcess: (f) => f.includes('hooks'), shortS: 3, groupS: 5 });
  // Every file once; alone: the long one, the page, the one with hooks, the one without a timing, c's only file.
  assert.deepEqual([...groups.flatMap((g) => g.members), ...singles].sort(), [...files].sort());
  assert.deepEqual([...singles].sort(), ['a/hooks', 'a/long', 'a/new', 'c/1', 'o/page'].map(file).sort());
  // a's 10 s of short files in two groups of 5 s (the nearest count to 10 / 5), in path order; b's two together.
  const a = groups.filter((g) => g.folder === 'test/a');
  assert.deepEqual(a.map((g) => g.members), [['a/1', 'a/2', 'a/3'].map(file), ['a/4', 'a/5', 'a/6'].map(file)]);
  assert.deepEqual(a.map((g) => g.lengthS), [4.5, 5.5]);
  assert.deepEqual(groups.find((g) => g.folder === 'test/b')?.members, ['b/1', 'b/2'].map(file));
});

test('test groups: the plan orders a group by its summed length', async () => {
  const { planOrder } = await plan();
  const group = join(PACKAGE_ROOT, 'dist', 'test-groups', 'a.1.test.js');
  const order = planOrder([file('s/e'), group, file('r/c')], { concurrency: 1, timings, chromium: () => false, lengths: new Map([[group, 5]]) });
  assert.deepEqual(order, [group, file('r/c'), file('s/e')]);
});

test('test groups: a file with top-level hooks or process handlers, or that asks, gets a process of its own', async () => {
  const { needsOwnProcess } = await plan();
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-plan-'));
  try {
    const cases: Array<[string, boolean]> = [
      ["import { test } from 'node:test';\ntest('x', () => {});\n", false],
      ["import { test, after } from 'node:test';\nafter(() => {});\n", true],
      ["import { test, beforeEach } from 'node:test';\nbeforeEach(() => {});\n", true],
      ["process.on('SIGINT', () => {});\n", true],
      ['// test-plan: own process\n', true],
      ["test('y', (t) => { t.after(() => {}); });\n", false],
    ];
    cases.forEach(([text, own], i) => {
      const f = join(dir, `${i}.test.js`);
      writeFileSync(f, text);
      assert.equal(needsOwnProcess(f), own, text);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
