/**
 * A four-on-the-floor kick alone (techno and house intros, no hats, ride or cymbal yet) is rhythmic evidence: beats
 * within two bars, on the kicks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { renderPattern } from '../../src/analysis/synth.js';

for (const [bpm, harmony] of [[124, false], [130, true]] as const) {
  test(`${bpm} BPM: a kick on every beat and no other drum${harmony ? ' (a chord and bass on each bar)' : ''}: beats from within two bars, on the beat`, () => {
    const durationS = 10;
    const sig = renderPattern({ bpm, durationS, harmony, kickOnly: [[0, durationS]] });
    const beats = eventTimes(analyseSignal([sig.samples], sig.sampleRate), 'beat');
    const twoBarsS = sig.truth.beats[8]!;
    assert.ok(beats.length > 0 && beats[0]! <= twoBarsS, `first beat at ${beats[0]?.toFixed(2) ?? 'never'} s (two bars: ${twoBarsS.toFixed(2)} s)`);
    const last = sig.truth.beats[sig.truth.beats.length - 1]! + 0.1;
    const f = fMeasure(beats, sig.truth.beats, 0.07, 4, last).f;
    assert.ok(f >= 0.9, `beat F ${f.toFixed(2)} after 4 s`);
  });
}
