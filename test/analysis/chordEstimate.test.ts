/**
 * The chord estimate's 7th decision on hand-made inputs: a seventh that only the triad's own partials put in the
 * spectrum has no evidence of its own, one played as a note has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChordEstimator, ownEvidence } from '../../src/analysis/chordEstimate.js';

/** Semitone levels from E2 (index 0 = MIDI 40), as the chord chroma writes them. */
function levelsOf(notes: Array<[number, number]>): Float64Array {
  const l = new Float64Array(72);
  for (const [midi, v] of notes) l[midi - 40] = Math.max(l[midi - 40]!, v);
  return l;
}

// F major voiced F3 A3 C4 (53, 57, 60) with each note's 3rd partial a twelfth up at 0.45 of its level: A3's puts E5
// (76) there, the major seventh of F.
const F_TRIAD: Array<[number, number]> = [[53, 1], [57, 0.8], [60, 0.8], [72, 0.45], [76, 0.36], [79, 0.36]];
const E = 4;

test('ownEvidence: a 3rd partial explains its note; a played note does not', () => {
  const own = new Float64Array(12);
  ownEvidence(levelsOf(F_TRIAD), own);
  assert.ok(own[E]! < 0.05, `E from A3's 3rd partial only: ${own[E]!.toFixed(3)}`);
  assert.ok(own[5]! > 0.9 && own[9]! > 0.7 && own[0]! > 0.7, 'the triad itself');
  // Fmaj7: E4 (64) played, below any note whose partial could land there.
  ownEvidence(levelsOf([...F_TRIAD, [64, 0.6]]), own);
  assert.ok(own[E]! > 0.5, `played E4: ${own[E]!.toFixed(3)}`);
  ownEvidence(new Float64Array(72), own);
  assert.ok(own.every((v) => v === 0), 'silence has no evidence');
});

test('a seventh the net half-believes is taken with a note of its own and left without one', () => {
  // Net probabilities: F, A, C sure; E at 0.6 (above one half: without levels, Fmaj7).
  const probs = new Float32Array(12);
  probs[5] = 0.95;
  probs[9] = 0.95;
  probs[0] = 0.95;
  probs[E] = 0.6;
  const bass = new Float32Array(12);
  bass[5] = 1;
  const run = (levels?: Float64Array): string => {
    const est = new ChordEstimator(86, 0.2, 6);
    let last = est.stepProbabilities(probs, bass, false, levels);
    for (let i = 0; i < 20; i++) last = est.stepProbabilities(probs, bass, false, levels);
    return `${last.root}${last.quality}`;
  };
  assert.equal(run(), '5maj7');
  assert.equal(run(levelsOf(F_TRIAD)), '5maj');
  assert.equal(run(levelsOf([...F_TRIAD, [64, 0.6]])), '5maj7');
});
