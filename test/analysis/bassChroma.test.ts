import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BassChroma } from '../../src/analysis/bassChroma.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { resolveParams, SampleRing, type HopInput } from '../../src/analysis/hopInput.js';
import { argmax } from '../../src/analysis/evaluation.js';

const SR = 44100;
const PC = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/**
 * Feeds the bass chroma a low-band signal (at its own decimated rate) hop by hop, the drum events given as hops, and
 * returns its strongest pitch class per hop where it produced a frame.
 */
function run(signal: (t: number) => number, durationS: number, snareHops: number[], kickHops: number[]): Array<[number, number]> {
  const cfg = analysisConfigSchema.parse({});
  const p = resolveParams(cfg, SR);
  const bass = new BassChroma(cfg, p);
  const ring = new SampleRing(2 * p.bassFftSize);
  const inp = { hop: -1, silent: false, bassRing: ring } as unknown as HopInput;
  const out: Array<[number, number]> = [];
  let pushed = 0;
  let lastSnare = -1e9;
  let lastKick = -1e9;
  const hops = Math.floor(durationS * p.hopRateHz);
  for (let hop = 0; hop < hops; hop++) {
    const upTo = Math.round(((hop + 1) * p.hopSamples) / p.bassDecimation);
    for (; pushed < upTo; pushed++) ring.push(signal(pushed / p.bassRateHz));
    inp.hop = hop;
    if (snareHops.includes(hop)) lastSnare = hop;
    if (kickHops.includes(hop)) lastKick = hop;
    bass.step(inp, lastKick, 0, lastSnare);
    if (hop % 2 === 0) out.push([hop / p.hopRateHz, argmax(bass.chroma)]);
  }
  return out;
}

const hz = (midi: number): number => 440 * Math.pow(2, (midi - 69) / 12);

test('a snare whose low body booms under a sustained bass note does not take the bass chroma', () => {
  // C2 with partials up to the fourth, re-struck every 0.5 s (a 30 ms gap before each), and on each re-strike a snare
  // whose body is a loud F2 sine dying in 40 ms: without a hold its fundamental outweighs the bass for a window.
  const noteS = 0.5;
  const snareS = [1, 1.5, 2, 2.5];
  const bassNote = (t: number): number => {
    const u = t % noteS;
    if (u > noteS - 0.03) return 0;
    let v = 0;
    for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * hz(36) * h * u) / h;
    return 0.2 * Math.min(1, u / 0.005) * v;
  };
  const body = (t: number): number => {
    let v = 0;
    for (const s of snareS) if (t >= s && t < s + 0.4) v += 1.5 * Math.sin(2 * Math.PI * hz(41) * (t - s)) * Math.exp(-(t - s) / 0.04);
    return v;
  };
  const p = resolveParams(analysisConfigSchema.parse({}), SR);
  // The snare events come a hop or two after the hit, as the detector reports them.
  const snareHops = snareS.map((s) => Math.round(s * p.hopRateHz) + 2);
  const frames = run((t) => bassNote(t) + body(t), 3, snareHops, []);
  // From the first snare's bar on (the re-strike at 0.5 s, with no drum, is another matter).
  const wrong = frames.filter(([t, pc]) => t >= 0.9 && pc !== 0).map(([t, pc]) => `${t.toFixed(2)} s: ${PC[pc]}`);
  assert.deepEqual(wrong, []);
});

test('without a bass line the bass is the chord’s lowest note, even where a note above it is more salient', () => {
  // A minor voiced A2 C3 E3 as a piano plays it low: A2's fundamental weaker than its octave, C3 louder (E3 a bare
  // fundamental: its octave would beat with A2's third partial, 330 against 329.6 Hz, and sway the figures).
  const tone = (t: number, midi: number, partials: number[], gain: number): number =>
    partials.reduce((v, a, i) => v + a * Math.sin(2 * Math.PI * hz(midi) * (i + 1) * t), 0) * gain;
  const chord = (t: number): number => tone(t, 45, [0.5, 1, 0.5], 0.12) + tone(t, 48, [1, 0.6, 0.4], 0.16) + tone(t, 52, [1], 0.08);
  const frames = run(chord, 4, [], []);
  const wrong = frames.filter(([t, pc]) => t >= 0.5 && pc !== 9).map(([t, pc]) => `${t.toFixed(2)} s: ${PC[pc]}`);
  assert.deepEqual(wrong, []);
});

test('a drum machine’s kick, a long low sine at one pitch, does not read as the bass once the kicks have shown its pitch', () => {
  // A bass line of sawtooth-like notes (A1 D2 C2 E1, two seconds each) under a kick on every beat at 120 BPM: a sine
  // at F#1 (46.2 Hz) that dies over a second, four times as loud as the bass, so it outweighs the bass's fundamental
  // long after the kick's hold. The kicks are reported a hop or two late, as the detector reports them.
  const bassMidis = [33, 38, 36, 28];
  const noteAt = (t: number): number => bassMidis[Math.floor(t / 2) % bassMidis.length]!;
  const bass = (t: number): number => {
    const u = t % 2;
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * hz(noteAt(t)) * h * u) / h;
    return 0.1 * Math.min(1, u / 0.005) * v;
  };
  const kick = (t: number): number => {
    const u = t % 0.5;
    return 0.4 * Math.sin(2 * Math.PI * hz(30) * u) * Math.exp(-u / 0.45) * Math.min(1, u / 0.002);
  };
  const p = resolveParams(analysisConfigSchema.parse({}), SR);
  const durationS = 16;
  const kickHops = Array.from({ length: durationS * 2 }, (_, i) => Math.round(i * 0.5 * p.hopRateHz) + 2);
  const frames = run((t) => bass(t) + kick(t), durationS, [], kickHops);
  // After a dozen kicks, and away from the note changes (a new note shows within a window).
  const scored = frames.filter(([t]) => t >= 8 && t % 2 > 0.25);
  const wrong = scored.filter(([t, pc]) => pc !== noteAt(t) % 12);
  assert.ok(wrong.length <= 0.05 * scored.length, `${wrong.length}/${scored.length} wrong: ${wrong.slice(0, 8).map(([t, pc]) => `${t.toFixed(2)} s ${PC[pc]}`).join(', ')}`);
});
