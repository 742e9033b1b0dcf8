/**
 * The target lines under the corpus table: a song meets a target by its printed figure, a column that does not
 * apply (NaN) leaves the song out of that count, and the misses are named with their figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetLines } from '../../tools/corpus/table.js';
import type { SongScore } from '../../tools/corpus/score.js';

const song = (over: Partial<SongScore>): SongScore => {
  const s = {} as Record<keyof SongScore, number>;
  for (const k of ['kickF', 'snareF', 'falsePerMin', 'chordTopK', 'chordEstimate', 'bassTop1', 'beatF', 'downbeatF', 'tempoShare', 'dropFound', 'dropEvents', 'introBeatsPerMin', 'ambientBeats', 'latencyMs'] as const) s[k] = NaN;
  return { ...s, ...over } as SongScore;
};

test('targets count the songs a column applies to, by the printed figure, and name the misses', () => {
  const lines = targetLines(
    ['a', 'b', 'c'],
    [song({ kickF: 0.949, falsePerMin: 2.04, latencyMs: 30.04 }), song({ kickF: 0.9449, falsePerMin: 2.07, latencyMs: 30.07 }), song({ ambientBeats: 1 })],
  );
  const line = (h: string): string => lines.find((l) => l.startsWith(h))!;
  // 0.949 prints as 0.95 and meets ≥ 0.95; 0.9449 prints as 0.94 and misses; c has no drums and is not counted.
  assert.equal(line('kickF'), 'kickF  ≥ 0.95: 1/2  misses: b 0.94');
  assert.equal(line('fls/m'), 'fls/m  ≤ 2: 1/2  misses: b 2.1');
  assert.equal(line('latMs'), 'latMs  ≤ 30: 1/2  misses: b 30.1');
  assert.equal(line('ambB'), 'ambB   ≤ 0: 0/1  misses: c 1.0');
  assert.equal(line('chrdK'), 'chrdK  ≥ 0.9: 0/0');
  assert.equal(lines.length, 11);
});
