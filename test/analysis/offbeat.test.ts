import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { lcg, renderPattern } from '../../src/analysis/synth.js';
import { TempoTracker } from '../../src/analysis/tempo.js';
import { DrumPulse } from '../../src/analysis/drumPulse.js';
import { periodSearch } from '../../src/analysis/periodicity.js';

/** Beat F over [from, to) of the song (detections and truth both cut there). */
function beatF(beats: number[], truth: number[], from: number, to: number): number {
  const cut = (xs: number[]): number[] => xs.filter((t) => t >= from && t < to);
  return fMeasure(cut(beats), cut(truth), 0.07, from).f;
}

for (const bpm of [128, 174]) {
  test(`${bpm} BPM: 8 bars of off-beat hats alone, then the drums: the intro's beats fall between the hats, and stay on the beat when the kick enters`, () => {
    const barS = (4 * 60) / bpm;
    const introS = 0.25 + 8 * barS;
    const sig = renderPattern({ bpm, durationS: introS + 4 * barS, offbeatHats: [[0, introS]] });
    const beats = eventTimes(analyseSignal([sig.samples], sig.sampleRate), 'beat');
    // From 5 s: the tempo has settled on the hats by then.
    const intro = beatF(beats, sig.truth.beats, 5, introS - 0.1);
    assert.ok(intro >= 0.9, `intro beat F ${intro.toFixed(2)}`);
    const drums = beatF(beats, sig.truth.beats, introS - 0.1, sig.truth.beats[sig.truth.beats.length - 1]! + 0.1);
    assert.ok(drums >= 0.95, `beat F ${drums.toFixed(2)} from the kick's entry`);
  });
}

test('off-beat hats under a chord and bass struck on each bar: the beats fall on the bar, between the hats', () => {
  const bpm = 120;
  const introS = 0.25 + 8 * 2;
  const sig = renderPattern({ bpm, durationS: introS + 2, harmony: true, offbeatHats: [[0, introS]] });
  const beats = eventTimes(analyseSignal([sig.samples], sig.sampleRate), 'beat');
  const intro = beatF(beats, sig.truth.beats, 5, introS - 0.1);
  assert.ok(intro >= 0.9, `intro beat F ${intro.toFixed(2)}`);
});

test('off-beat hats under a loud chord stab on each bar (drum envelope periodic, onset envelope dominated by the stab): beats known and on the beat', () => {
  // Tracker cues at 100 hops/s, 47 hops a beat (127.7 BPM). The stab on beat 1 of each bar fills the onset envelope
  // and reads as a kick; the hats, half a beat later on every beat, barely show in the onset envelope (under its
  // noise) but are the drum envelope's steady pulse.
  const tracker = new TempoTracker({ hopRateHz: 100, minBpm: 60, maxBpm: 200, priorBpm: 120, memoryS: 4, latencyS: 0 });
  const rnd = lcg(9);
  const period = 47;
  const truth: number[] = [];
  const found: number[] = [];
  let known = 0;
  for (let n = 0; n < 3000; n++) {
    const beat = Math.floor(n / period);
    const inBeat = n % period;
    const chroma = new Float32Array(12);
    for (const pc of [0, 4, 7]) chroma[(pc + 5 * Math.floor(beat / 4)) % 12] = 1;
    const sinceHat = (inBeat - Math.round(period / 2) + period) % period;
    const hat = sinceHat < 2 ? 0.45 * (1 - sinceHat / 2) : 0;
    const stab = beat % 4 === 0 && inBeat < 3 ? 1 - inBeat / 3 : 0;
    const onset = Math.max(stab, (0.1 * hat) / 0.45) + 0.05 * rnd();
    const snare = 0.2 * rnd();
    const st = tracker.step({ onset, kick: stab, snare, chroma, bassChroma: chroma, silent: false, drums: Math.max(hat, stab, snare) });
    if (inBeat === 0) truth.push(n / 100);
    if (st.beat) found.push(n / 100);
    if (n >= 1000 && st.known) known++;
  }
  assert.ok(known / 2000 >= 0.95, `tempo known in ${((100 * known) / 2000).toFixed(0)} % of hops after 10 s`);
  const f = fMeasure(found, truth, 0.07, 10);
  assert.ok(f.f >= 0.95, `beat F ${f.f.toFixed(2)} after 10 s`);
});

test('a groove without a kick (hats on every beat, a snare on 2 and 4) is no off-beat pulse: the beats stay on its hits', () => {
  // Tracker cues at 100 hops/s, 50 hops a beat (120 BPM).
  const tracker = new TempoTracker({ hopRateHz: 100, minBpm: 60, maxBpm: 200, priorBpm: 120, memoryS: 4, latencyS: 0 });
  const truth: number[] = [];
  const found: number[] = [];
  const chroma = new Float32Array(12);
  chroma[0] = 1;
  for (let n = 0; n < 3000; n++) {
    const beat = Math.floor(n / 50);
    const inBeat = n % 50;
    const hit = inBeat < 3 ? 1 - inBeat / 3 : 0;
    const snare = beat % 2 === 1 ? hit : 0;
    const drums = Math.max(snare, 0.4 * hit);
    const st = tracker.step({ onset: drums, kick: 0, snare, chroma, bassChroma: chroma, silent: false, drums });
    if (inBeat === 0) truth.push(n / 100);
    if (st.beat) found.push(n / 100);
  }
  const f = fMeasure(found, truth, 0.07, 10);
  assert.ok(f.f >= 0.95, `beat F ${f.f.toFixed(2)} after 10 s`);
});

test('90 BPM off-beat hats under a chord and bass on each bar, read at double speed: its beats stay on the eighths (a pulse that hits every other beat is no off-beat pulse)', () => {
  const introS = 0.25 + 8 * (240 / 90);
  const sig = renderPattern({ bpm: 90, durationS: introS, harmony: true, offbeatHats: [[0, introS]] });
  const beats = eventTimes(analyseSignal([sig.samples], sig.sampleRate), 'beat').filter((t) => t >= 5);
  // The eighths: the beats and the hats between them.
  const eighths = [...sig.truth.beats, ...sig.truth.hats];
  const onEighth = beats.filter((t) => eighths.some((e) => Math.abs(e - t) <= 0.07)).length;
  assert.ok(beats.length >= 20, `${beats.length} beats from 5 s`);
  assert.ok(onEighth >= 0.9 * beats.length, `${onEighth} of ${beats.length} beats on an eighth`);
});

test('drum pulse: a single weak kick half a beat from the pulse (the last one leaving the window), none on it: the beat is between the pulse hits', () => {
  // 100 hops/s, 47 hops a beat: hats (drum envelope 0.6) on the pulse, a faint snare-band leak half a beat later on
  // every beat (so the pulse is no lone one-hit-a-beat pattern), and one kick of 0.35 half a beat after the pulse,
  // six beats back: too weak alone to out-vote the pulse by ANCHOR_MIN, but the only kick there is.
  const period = 47;
  const search = periodSearch(30, 100, 100, 120);
  const withKick = new DrumPulse(403, Math.exp(-1 / 400), search);
  const without = new DrumPulse(403, Math.exp(-1 / 400), search);
  const hops = 10 * period + 5;
  for (let n = 0; n < hops; n++) {
    const inBeat = n % period;
    const hat = inBeat === 0 ? 0.6 : 0;
    const snare = inBeat === 23 ? 0.2 : 0;
    const kick = n === 4 * period + 23 ? 0.35 : 0;
    withKick.push({ drums: Math.max(hat, snare, kick), kick, snare });
    without.push({ drums: Math.max(hat, snare), kick: 0, snare });
  }
  const sinceHit = (hops - 1) % period;
  assert.equal(withKick.beatOffset(sinceHit, period), 0.5);
  assert.equal(without.beatOffset(sinceHit, period), 0);
});
