/**
 * The beat's division (meter.ts): a 6/8 whose quiet eighths stand only about 1.5 times over the reverb at the beat's
 * half is compound, and stays so while that ratio wobbles; a simple meter's faint thirds (a swung ride, a waltz's
 * reverb) are not, however far over the half they stand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterTracker } from '../../src/analysis/meter.js';

const HOP_RATE = 100;
/** 48 hops a beat: two hops per profile bin, so the beat's thirds and half fall on whole bins. */
const HOPS_PER_BEAT = 48;
const chroma = new Float32Array(12).fill(0.1);

/**
 * Plays `beats` beats of a drum envelope: 1 on the beat, `thirds` at a third and two thirds of it, `half` at its
 * half (two hops each), 0 elsewhere; returns whether the beat divided in three after each beat.
 */
function play(meter: MeterTracker, beats: number, thirds: number, half: number): boolean[] {
  const seen: boolean[] = [];
  for (let b = 0; b < beats; b++) {
    for (let h = 0; h < HOPS_PER_BEAT; h++) {
      const slot = Math.floor(h / 2) * 2;
      const onset = slot === 0 ? 1 : slot === 16 || slot === 32 ? thirds : slot === 24 ? half : 0;
      meter.profile(onset, h / HOPS_PER_BEAT);
      meter.accumulate({ kick: 0, snare: 0, chroma, bassChroma: chroma }, HOPS_PER_BEAT);
    }
    meter.closeBeat(b);
    seen.push(meter.isCompound);
  }
  return seen;
}

test('quiet 6/8 eighths 1.5 times over the reverb at the half: compound, two beats a bar', () => {
  const meter = new MeterTracker(HOP_RATE);
  const seen = play(meter, 80, 0.09, 0.06);
  assert.ok(seen.slice(-20).every(Boolean), `compound over the last 20 beats: ${seen.slice(-20).map((c) => (c ? 'Y' : 'n')).join('')}`);
  assert.ok(meter.beatsPerBar === 2 || meter.beatsPerBar === 3, `${meter.beatsPerBar} beats a bar`);
});

test('once compound, the division holds while the half wobbles up to nearly the thirds', () => {
  const meter = new MeterTracker(HOP_RATE);
  play(meter, 80, 0.09, 0.06);
  const seen = play(meter, 60, 0.09, 0.08);
  assert.ok(seen.every(Boolean), `compound after the half rose: ${seen.map((c) => (c ? 'Y' : 'n')).join('')}`);
});

test('faint thirds of a simple meter (a fiftieth of the beat), even ten times over the half, are no compound division', () => {
  const meter = new MeterTracker(HOP_RATE);
  const seen = play(meter, 80, 0.02, 0.002);
  assert.deepEqual(seen.filter(Boolean), [], 'never compound');
  assert.equal(meter.beatsPerBar, 4);
});
