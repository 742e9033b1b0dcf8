/**
 * The tempo tracker on synthetic drum cues (100 hops a second): what counts as rhythmic evidence before a groove is
 * first known (a cymbal, or kicks on every beat), which octave a groove is read at (after an intro that set the
 * slower one, a drumless intro, half-time drums), and how soon a crossfade's new tempo takes over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TempoTracker, type TempoCue } from '../../src/analysis/tempo.js';
import { MeterTracker } from '../../src/analysis/meter.js';
import { octaveNearPrior, periodSearch } from '../../src/analysis/periodicity.js';

const HOP_RATE = 100;
const chroma = new Float32Array(12).fill(0.1);

/** A hit's envelope `ago` hops after it (3 hops of decay); 0 before it. */
const env = (ago: number): number => (ago >= 0 && ago < 3 ? 1 - ago / 3 : 0);

/** Drum hits of one beat: [position in beats, kick, snare, hats] (velocities 0..1). */
type Hit = [number, number, number, number];

/**
 * The cue at hop n of a bar pattern at `bpm`: each envelope is the strongest of its hits' envelopes; `low` (the
 * low band) follows the kicks and bass notes; the onset mixes them as the extractor does. A kick event fires on the
 * first hop of each hit with a kick over 0.5 (bass plucks pass the drum detector's kick tests too).
 */
function cueAt(n: number, bpm: number, bar: Hit[], beatsPerBar: number, bass: number[] = []): TempoCue {
  const hopsPerBeat = (60 * HOP_RATE) / bpm;
  const barHops = beatsPerBar * hopsPerBeat;
  const barStart = Math.floor(n / barHops) * barHops;
  let kick = 0;
  let snare = 0;
  let hats = 0;
  let low = 0;
  let kickEvent = false;
  for (const [pos, k, s, h] of bar) {
    const ago = n - Math.round(barStart + pos * hopsPerBeat);
    const e = env(ago);
    if (ago === 0 && k > 0.5) kickEvent = true;
    kick = Math.max(kick, k * e);
    snare = Math.max(snare, s * e);
    hats = Math.max(hats, h * e);
  }
  for (const pos of bass) low = Math.max(low, env(n - Math.round(barStart + pos * hopsPerBeat)));
  low = Math.max(low, kick);
  const drums = Math.max(kick, snare, hats);
  return { onset: 0.4 * drums + 0.3 * low + 0.3 * snare, kick, snare, hats, low, drums, kickEvent, chroma, bassChroma: chroma, silent: false };
}

const tracker = (): TempoTracker => new TempoTracker({ hopRateHz: HOP_RATE, minBpm: 60, maxBpm: 200, priorBpm: 120, memoryS: 4, latencyS: 0 });

test('a drumless intro whose bass plucks fire the kick envelope (every half bar, no cymbal) gets no beats; the groove with hats does', () => {
  const t = tracker();
  const plucks: Hit[] = [[0, 0.9, 0, 0.02], [2, 0.8, 0.3, 0.02]];
  const groove: Hit[] = [[0, 0.9, 0, 0.6], [1, 0, 0.8, 0.6], [2, 0.8, 0, 0.6], [3, 0, 0.8, 0.6], [0.5, 0, 0, 0.4], [1.5, 0, 0, 0.4], [2.5, 0, 0, 0.4], [3.5, 0, 0, 0.4]];
  const introHops = 12 * HOP_RATE;
  const beatsAt: number[] = [];
  let knownInIntro = 0;
  for (let n = 0; n < introHops + 12 * HOP_RATE; n++) {
    const st = t.step(n < introHops ? cueAt(n, 128, plucks, 4, [0, 2]) : cueAt(n, 128, groove, 4, [0, 2]));
    if (st.beat) beatsAt.push(n / HOP_RATE);
    if (n < introHops && st.known) knownInIntro++;
  }
  const early = beatsAt.filter((s) => s < introHops / HOP_RATE);
  assert.equal(early.length, 0, `beats in the intro at ${early.slice(0, 5).map((s) => s.toFixed(2)).join(', ')} s`);
  assert.equal(knownInIntro, 0, 'the tempo is not known in the intro');
  const late = beatsAt.filter((s) => s >= introHops / HOP_RATE + 6);
  assert.ok(late.length >= 12, `${late.length} beats in the last 6 s of the groove`);
  assert.ok(Math.abs(t.state.bpm / 128 - 1) < 0.02, `${t.state.bpm.toFixed(1)} BPM`);
});

test('kick events on every beat of 128 BPM, no cymbal: a four-on-the-floor intro gets beats within two bars; the same kicks every other beat (64 BPM) get none', () => {
  const barS = (4 * 60) / 128;
  const everyBeat: Hit[] = [[0, 0.9, 0, 0], [1, 0.9, 0, 0], [2, 0.9, 0, 0], [3, 0.9, 0, 0]];
  const halfBar: Hit[] = [[0, 0.9, 0, 0], [2, 0.9, 0, 0]];
  for (const [bar, beats] of [[everyBeat, true], [halfBar, false]] as const) {
    const t = tracker();
    let first = -1;
    for (let n = 0; n < 12 * HOP_RATE && first < 0; n++) if (t.step(cueAt(n, 128, bar, 4, [0, 2])).beat) first = n / HOP_RATE;
    if (beats) assert.ok(first >= 0 && first <= 2 * barS, `first beat at ${first.toFixed(2)} s`);
    else assert.equal(first, -1, `a beat at ${first.toFixed(2)} s`);
  }
});

test('swing at 136 BPM after an intro locked at half its tempo: the drums hitting every beat take the tempo up an octave', () => {
  const t = tracker();
  // Intro: a kick and a hat every other beat of 136 (a steady 68 BPM pulse, long enough to lock its level).
  const half: Hit[] = [[0, 0.9, 0, 0.5], [2, 0.9, 0, 0.5]];
  // Swing: kick on 1 and 3, snare on 2 and 4, ride on every beat and on the swung eighth (two thirds of the beat)
  // of 2 and 4, the bass on 1 and 3: everything but the drum envelope repeats every two beats.
  const swing: Hit[] = [[0, 0.7, 0, 0.6], [1, 0, 0.55, 0.6], [2, 0.6, 0, 0.6], [3, 0, 0.55, 0.6], [1.667, 0, 0, 0.45], [3.667, 0, 0, 0.45]];
  const introHops = 10 * HOP_RATE;
  let lockedBpm = 0;
  for (let n = 0; n < introHops + 16 * HOP_RATE; n++) {
    const st = t.step(n < introHops ? cueAt(n, 136, half, 4, [0, 2]) : cueAt(n, 136, swing, 4, [0, 2]));
    if (n === introHops - 1) lockedBpm = st.bpm;
  }
  assert.ok(Math.abs(lockedBpm / 68 - 1) < 0.02, `the intro reads ${lockedBpm.toFixed(1)} BPM`);
  assert.ok(Math.abs(t.state.bpm / 136 - 1) < 0.02, `the swing reads ${t.state.bpm.toFixed(1)} BPM`);
});

test('the backbeat octave stays below 150 BPM: straight eighth hats over a 100 BPM backbeat read 100, not 200', () => {
  const t = tracker();
  const groove: Hit[] = [[0, 0.9, 0, 0.6], [1, 0, 0.8, 0.6], [2, 0.9, 0, 0.6], [3, 0, 0.8, 0.6], [0.5, 0, 0, 0.6], [1.5, 0, 0, 0.6], [2.5, 0, 0, 0.6], [3.5, 0, 0, 0.6]];
  for (let n = 0; n < 20 * HOP_RATE; n++) t.step(cueAt(n, 100, groove, 4, [0, 2]));
  assert.ok(Math.abs(t.state.bpm / 100 - 1) < 0.02, `${t.state.bpm.toFixed(1)} BPM`);
});

test('half-time drum & bass at 176 BPM after a drumless intro of half-note bass: the hats\' eighths read 176, though kicks, snares and bass repeat every two beats', () => {
  const t = tracker();
  // Bass plucks on 1 and 3 fire the kick envelope (no cymbal): a steady 88 BPM pulse.
  const plucks: Hit[] = [[0, 0.9, 0, 0.02], [2, 0.8, 0, 0.02]];
  // Kick on 1, snare on 3, a kick on the last sixteenth of 3, hats on every eighth (the on-beat ones accented).
  const halftime: Hit[] = [[0, 0.95, 0, 0.6], [2, 0, 0.95, 0.6], [2.75, 0.7, 0, 0]];
  for (let b = 0; b < 4; b++) {
    if (b !== 0 && b !== 2) halftime.push([b, 0, 0, 0.6]);
    halftime.push([b + 0.5, 0, 0, 0.45]);
  }
  const introHops = 3 * HOP_RATE;
  const late: number[] = [];
  for (let n = 0; n < introHops + 16 * HOP_RATE; n++) {
    const st = t.step(n < introHops ? cueAt(n, 176, plucks, 4, [0, 2]) : cueAt(n, 176, halftime, 4, [0, 2]));
    if (n >= introHops + 5 * HOP_RATE) late.push(st.bpm);
  }
  const off = late.filter((bpm) => Math.abs(bpm / 176 - 1) > 0.02);
  assert.equal(off.length, 0, `${off.length} hops from 5 s after the drums read another tempo (${off[0]?.toFixed(1)} BPM)`);
});

test('half-time drum & bass at 168 BPM whose snare fills the hats envelope (a noisy snare 15 times as loud there as the hats): the hats\' eighths still read 168', () => {
  const t = tracker();
  const plucks: Hit[] = [[0, 0.9, 0, 0.02], [2, 0.8, 0, 0.02]];
  // The hats at 0.07 and 0.05 of the envelope's scale; the snare on 3 at 1 in the hats band as in its own.
  const halftime: Hit[] = [[0, 0.95, 0, 0.07], [2, 0, 1, 1], [2.75, 0.7, 0, 0]];
  for (let b = 0; b < 4; b++) {
    if (b !== 0 && b !== 2) halftime.push([b, 0, 0, 0.07]);
    halftime.push([b + 0.5, 0, 0, 0.05]);
  }
  const introHops = 3 * HOP_RATE;
  const late: number[] = [];
  for (let n = 0; n < introHops + 16 * HOP_RATE; n++) {
    const st = t.step(n < introHops ? cueAt(n, 168, plucks, 4, [0, 2]) : cueAt(n, 168, halftime, 4, [0, 2]));
    if (n >= introHops + 5 * HOP_RATE) late.push(st.bpm);
  }
  const off = late.filter((bpm) => Math.abs(bpm / 168 - 1) > 0.02);
  assert.equal(off.length, 0, `${off.length} hops from 5 s after the drums read another tempo (${off[0]?.toFixed(1)} BPM)`);
});

for (const bpm of [168, 174]) {
  test(`half-time drum & bass at ${bpm} BPM heard from its groove on (a start mid-song), the noisy snare 15 times as loud as the hats in their band: the hats' eighths read ${bpm}`, () => {
    const t = tracker();
    const halftime: Hit[] = [[0, 0.95, 0, 0.07], [2, 0, 1, 1], [2.75, 0.7, 0, 0]];
    for (let b = 0; b < 4; b++) {
      if (b !== 0 && b !== 2) halftime.push([b, 0, 0, 0.07]);
      halftime.push([b + 0.5, 0, 0, 0.05]);
    }
    const late: number[] = [];
    for (let n = 0; n < 20 * HOP_RATE; n++) {
      const st = t.step(cueAt(n, bpm, halftime, 4, [0, 2]));
      if (n >= 8 * HOP_RATE) late.push(st.bpm);
    }
    const off = late.filter((b) => Math.abs(b / bpm - 1) > 0.02);
    assert.equal(off.length, 0, `${off.length} hops from 8 s on read another tempo (${off[0]?.toFixed(1)} BPM)`);
  });
}

for (const bpm of [123, 174]) {
  test(`${bpm} BPM: a drumless intro of half-note bass, then quiet off-beat hats over it: the hats set the beat (at half the tempo they would be the second and fourth sixteenths)`, () => {
    const t = tracker();
    const plucks: Hit[] = [[0, 0.9, 0, 0.02], [2, 0.8, 0, 0.02]];
    // Hats at 0.2 of the envelope's scale (a bit-crushed kit's), under the drum envelope's hit level.
    const offbeat: Hit[] = [[0, 0.9, 0, 0], [2, 0.8, 0, 0], [0.5, 0, 0, 0.2], [1.5, 0, 0, 0.2], [2.5, 0, 0, 0.2], [3.5, 0, 0, 0.2]];
    const introHops = 6 * HOP_RATE;
    const late: number[] = [];
    for (let n = 0; n < introHops + 12 * HOP_RATE; n++) {
      const st = t.step(n < introHops ? cueAt(n, bpm, plucks, 4, [0, 2]) : cueAt(n, bpm, offbeat, 4, [0, 2]));
      if (n >= introHops + 4 * HOP_RATE) late.push(st.bpm);
    }
    const off = late.filter((b) => Math.abs(b / bpm - 1) > 0.02);
    assert.equal(off.length, 0, `${off.length} hops from 4 s after the hats read another tempo (${off[0]?.toFixed(1)} BPM)`);
  });
}

test('sixteenth hats over a 100 BPM backbeat read 100, not 200 (the hats\' octave goes up only to drum & bass tempi)', () => {
  const t = tracker();
  const groove: Hit[] = [[0, 0.9, 0, 0.6], [1, 0, 0.8, 0.6], [2, 0.9, 0, 0.6], [3, 0, 0.8, 0.6]];
  for (let b = 0; b < 4; b++) for (const s of [0.25, 0.5, 0.75]) groove.push([b + s, 0, 0, 0.45]);
  for (let n = 0; n < 20 * HOP_RATE; n++) t.step(cueAt(n, 100, groove, 4, [0, 2]));
  assert.ok(Math.abs(t.state.bpm / 100 - 1) < 0.02, `${t.state.bpm.toFixed(1)} BPM`);
});

test('a drumless intro of half-note bass at 136 BPM reads 136, the octave nearest the prior, and the swing after it stays there', () => {
  const t = tracker();
  const plucks: Hit[] = [[0, 0.9, 0, 0.02], [2, 0.8, 0, 0.02]];
  const swing: Hit[] = [[0, 0.7, 0, 0.6], [1, 0, 0.55, 0.6], [2, 0.6, 0, 0.6], [3, 0, 0.55, 0.6], [1.667, 0, 0, 0.45], [3.667, 0, 0, 0.45]];
  const introHops = 10 * HOP_RATE;
  const off: number[] = [];
  for (let n = 0; n < introHops + 12 * HOP_RATE; n++) {
    const st = t.step(n < introHops ? cueAt(n, 136, plucks, 4, [0, 2]) : cueAt(n, 136, swing, 4, [0, 2]));
    if (n >= 3 * HOP_RATE && Math.abs(st.bpm / 136 - 1) > 0.02) off.push(n);
  }
  assert.equal(off.length, 0, `${off.length} hops from 3 s read another tempo, from ${((off[0] ?? 0) / HOP_RATE).toFixed(2)} s`);
});

test('octave nearest the prior (120 BPM): 68 BPM goes up to 136, 88 stays, 180 goes down to 90, 140 stays', () => {
  const search = periodSearch(30, 100, HOP_RATE, 120);
  const bpmOf = (bpm: number): number => (60 * HOP_RATE) / octaveNearPrior((60 * HOP_RATE) / bpm, search);
  assert.ok(Math.abs(bpmOf(68) - 136) < 1e-6, `${bpmOf(68)}`);
  assert.ok(Math.abs(bpmOf(88) - 88) < 1e-6, `${bpmOf(88)}`);
  assert.ok(Math.abs(bpmOf(180) - 90) < 1e-6, `${bpmOf(180)}`);
  assert.ok(Math.abs(bpmOf(140) - 140) < 1e-6, `${bpmOf(140)}`);
});

test('6/8 with a quiet kit\'s hats (their envelope a fourteenth of the kick\'s): the beat divides in three, two beats a bar', () => {
  const t = tracker();
  // A dotted-quarter beat at 92: kick and a cymbal on beat 1, snare on beat 2, hats on the other eighths barely heard.
  const bar: Hit[] = [[0, 1, 0, 0.3], [1, 0, 0.9, 0.07]];
  for (const b of [0, 1]) for (const e of [1 / 3, 2 / 3]) bar.push([b + e, 0, 0, 0.07]);
  for (let n = 0; n < 30 * HOP_RATE; n++) t.step(cueAt(n, 92, bar, 2, [0]));
  assert.ok(Math.abs(t.state.bpm / 92 - 1) < 0.02, `${t.state.bpm.toFixed(1)} BPM`);
  assert.equal(t.state.beatsPerBar, 2);
});

test('after the octave changes, the bar is placed afresh: downbeats on the chord changes of the faster beats within two bars, the meter kept', () => {
  const t = tracker();
  const half: Hit[] = [[0, 0.9, 0, 0.5], [2, 0.9, 0, 0.5]];
  const swing: Hit[] = [[0, 0.7, 0, 0.6], [1, 0, 0.55, 0.6], [2, 0.6, 0, 0.6], [3, 0, 0.55, 0.6], [1.667, 0, 0, 0.45], [3.667, 0, 0, 0.45]];
  const barHops = (4 * 60 * HOP_RATE) / 136;
  const introHops = 10 * HOP_RATE;
  const downbeats: number[] = [];
  const bars: number[] = [];
  let switchedAt = -1;
  const otherMeter: number[] = [];
  for (let n = 0; n < introHops + 26 * HOP_RATE; n++) {
    const cue = n < introHops ? cueAt(n, 136, half, 4, [0, 2]) : cueAt(n, 136, swing, 4, [0, 2]);
    // A chord a bar (its pitch class walks by fifths), in the chord and the bass chroma alike; in the intro they
    // change half a bar later, and the slots of the slower beats remember them there.
    const bar = Math.floor((n < introHops ? n + barHops / 2 : n) / barHops);
    const c = new Float32Array(12).fill(0.02);
    c[(bar * 7) % 12] = 1;
    cue.chroma = c;
    cue.bassChroma = c;
    const st = t.step(cue);
    if (switchedAt < 0 && Math.abs(st.bpm / 136 - 1) < 0.02) switchedAt = n;
    if (st.downbeat) downbeats.push(n);
    if (switchedAt >= 0 && st.beatsPerBar !== 4) otherMeter.push(n - switchedAt);
    if (n >= introHops && n - Math.floor(n / barHops) * barHops < 1) bars.push(n);
  }
  assert.ok(switchedAt > introHops, `136 BPM from hop ${switchedAt}`);
  const from = switchedAt + 2 * barHops;
  const late = downbeats.filter((n) => n >= from);
  const off = late.filter((n) => !bars.some((b) => Math.abs(b - n) <= 7));
  assert.ok(late.length >= 4, `${late.length} downbeats after ${(from / HOP_RATE).toFixed(1)} s`);
  assert.equal(off.length, 0, `downbeats off the bars at ${off.map((n) => (n / HOP_RATE).toFixed(2)).join(', ')} s`);
  // The first beats after the meter scores were dropped make any bar length stand out: none is taken from them.
  assert.equal(otherMeter.length, 0, `${otherMeter.length} hops read another meter, from ${((otherMeter[0] ?? 0) / HOP_RATE).toFixed(2)} s`);
});

test('meter scores dropped: the first beats after (a chord struck on beat 4 of the first bar) do not switch a 4/4 bar to 3', () => {
  const meter = new MeterTracker(HOP_RATE);
  const hopsPerBeat = 50;
  let chord = 0;
  let beat = 0;
  const play = (beats: number, changesAt: (b: number) => boolean, seen: number[]): void => {
    for (let i = 0; i < beats; i++, beat++) {
      if (changesAt(i)) chord++;
      const c = new Float32Array(12).fill(0.02);
      c[(chord * 7) % 12] = 1;
      for (let h = 0; h < hopsPerBeat; h++) meter.accumulate({ kick: 0, snare: 0, chroma: c, bassChroma: c }, hopsPerBeat);
      meter.closeBeat(beat);
      seen.push(meter.beatsPerBar);
    }
  };
  const before: number[] = [];
  play(40, (b) => b % 4 === 0, before);
  assert.equal(before[before.length - 1], 4);
  meter.forgetDownbeat(true);
  const after: number[] = [];
  play(24, (b) => b % 4 === 0 || b === 3, after);
  assert.deepEqual(after.filter((n) => n !== 4), [], `meters after the drop: ${after.join(' ')}`);
});

test('a DJ crossfade from 124 to 130 BPM over 8 s (cue envelopes mixed with equal-power gains): 130 holds from 2.5 s after the middle of the fade', () => {
  const t = tracker();
  const groove: Hit[] = [[0, 0.9, 0, 0], [1, 0.9, 0.8, 0], [2, 0.9, 0, 0], [3, 0.9, 0.8, 0], [0.5, 0, 0, 0.6], [1.5, 0, 0, 0.6], [2.5, 0, 0, 0.6], [3.5, 0, 0, 0.6]];
  const fadeFrom = 16 * HOP_RATE;
  const fadeHops = 8 * HOP_RATE;
  let holdsFrom = -1;
  for (let n = 0; n < 40 * HOP_RATE; n++) {
    const f = Math.min(1, Math.max(0, (n - fadeFrom) / fadeHops));
    const a = cueAt(n, 124, groove, 4, [0, 2]);
    // The new track starts 7 hops off the old one's bar.
    const b = n >= fadeFrom ? cueAt(n - fadeFrom - 7, 130, groove, 4, [0, 2]) : null;
    const mix = (x: number, y: number | undefined): number => Math.max(Math.cos((f * Math.PI) / 2) * x, Math.sin((f * Math.PI) / 2) * (y ?? 0));
    const kick = mix(a.kick, b?.kick);
    const snare = mix(a.snare, b?.snare);
    const hats = mix(a.hats!, b?.hats);
    const low = mix(a.low!, b?.low);
    const drums = Math.max(kick, snare, hats);
    const st = t.step({ onset: 0.4 * drums + 0.3 * low + 0.3 * snare, kick, snare, hats, low, drums, chroma, bassChroma: chroma, silent: false });
    if (Math.abs(st.bpm / 130 - 1) > 0.02) holdsFrom = -1;
    else if (holdsFrom < 0) holdsFrom = n;
  }
  const afterMiddleS = (holdsFrom - fadeFrom - fadeHops / 2) / HOP_RATE;
  assert.ok(holdsFrom > 0 && afterMiddleS <= 2.5, `130 BPM holds from ${afterMiddleS.toFixed(2)} s after the middle`);
});
