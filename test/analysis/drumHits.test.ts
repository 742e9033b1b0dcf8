import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumHits } from '../../src/analysis/drumHits.js';

const HOP_RATE_HZ = 100;

/**
 * Runs DrumHits over `hops` hops with no cymbal ever heard (the hats envelope at 0.05): a drum hit (the envelope at 1)
 * and a merged drum event on each hop of `events`. Returns the first hop with rhythmic evidence, or -1.
 */
function firstEvidence(events: number[], hops = 600): number {
  const hits = new DrumHits(HOP_RATE_HZ);
  const at = new Set(events);
  for (let n = 0; n < hops; n++) {
    const on = at.has(n);
    if (hits.step({ drums: on ? 1 : 0, hats: 0.05, drumEvent: on, silent: false }, n, 0)) return n;
  }
  return -1;
}

test('drum events evenly on every beat are a groove before any cymbal; fewer, uneven or too slow are not', () => {
  // A waltz at 150 BPM (40 hops a beat): kick, snare, snare, kick, …; its hats too quiet to count.
  const beats = (count: number, gapHops: number, from = 100) => Array.from({ length: count }, (_, i) => from + i * gapHops);
  assert.equal(firstEvidence(beats(8, 40)), 260, 'the fifth event completes the pulse');
  assert.equal(firstEvidence(beats(4, 40)), -1, 'four events are not enough');
  assert.equal(firstEvidence([100, 140, 180, 240, 280, 320, 380, 420]), -1, "a bass line's rhythm, not every beat");
  assert.equal(firstEvidence(beats(8, 80)), -1, 'every 0.8 s (75 BPM): the half-bar bass of a drumless intro');
  assert.equal(firstEvidence([100, 140, 183, 220, 260]), 260, 'gaps within 8 % of their mean (the merged events wait up to three hops)');
});
