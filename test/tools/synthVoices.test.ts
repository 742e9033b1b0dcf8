/**
 * Our synthesised voices and kits (tools/corpus/synthVoices.ts, tools/corpus/fmKit.ts): the fourth holdout set's keep
 * their exact sound as voices are added, and the fifth set's phase-modulated kit puts each drum where its truth lane
 * says (kick low, snare and clap in the middle, hats high).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmKitSound } from '../../tools/corpus/fmKit.js';
import { STEM_RATE_HZ } from '../../tools/corpus/stem.js';
import { malletNote } from '../../tools/corpus/malletVoices.js';
import { lcg } from '../../src/analysis/synth.js';
import { bandShare } from './bandShare.js';
import { renderSynthStem, type BassVoice, type ChordVoice, type SynthKit } from '../../tools/corpus/synthVoices.js';
import { CH_BASS, CH_CHORD, CH_DRUMS, ch, scoreSong, sec, type SongSpec } from '../../tools/corpus/songs.js';

const SPEC: SongSpec = {
  name: 'voices-test', soundfont: '', kit: 0, chordProgram: 0, bassProgram: 32,
  beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 48,
  progression: [ch(0, 'maj'), ch(9, 'min7', 1)], barsPerChord: 1,
  sections: [sec(1, 'backbeat'), sec(1, 'fourFloor'), sec(1, 'swingRide')], seed: 9,
};

function hashOf(voice: BassVoice | ChordVoice | null, kit: SynthKit | null): string {
  const score = scoreSong(SPEC);
  const channel = kit ? CH_DRUMS : voice === 'acid' || voice === 'fmBass' || voice === 'reese' || voice === 'pulse' ? CH_BASS : CH_CHORD;
  const voices = new Map<number, BassVoice | ChordVoice>(voice ? [[channel, voice]] : []);
  const dir = mkdtempSync(join(tmpdir(), 'voices-'));
  try {
    const wav = join(dir, 'stem.wav');
    renderSynthStem(score, score.notes.filter((n) => n.channel === channel), voices, kit, wav, 11);
    return createHash('sha256').update(readFileSync(wav)).digest('hex').slice(0, 16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the fourth holdout set's voices and kits render byte for byte as before the fifth set's were added", () => {
  // Hashes of these three bars rendered by the voices and kits that the fourth set was made with.
  const now = Object.fromEntries([
    ...(['acid', 'fmBass', 'reese', 'fmPiano', 'sawPad', 'pluck'] as const).map((v) => [v, hashOf(v, null)]),
    ...(['modal', 'crushed'] as const).map((k) => [k, hashOf(null, k)]),
  ]);
  assert.deepEqual(now, HOLDOUT4_HASHES);
});


/** Seconds until a sound has given 90 % of its energy. */
function t90(x: Float32Array): number {
  let all = 0;
  for (const v of x) all += v * v;
  let sum = 0;
  for (let i = 0; i < x.length; i++) if ((sum += x[i]! ** 2) >= 0.9 * all) return i / STEM_RATE_HZ;
  return x.length / STEM_RATE_HZ;
}

test('the phase-modulated kit: a sound for every note the grooves play, the kick low, snare and clap in the middle, hats high; the tape cut shorter', () => {
  for (const cut of ['fm', 'fmTape'] as const) {
    const sound = (note: number): Float32Array => {
      const s = fmKitSound(note, cut);
      assert.ok(s && s.level > 0, `${cut} ${note}`);
      return s.sound;
    };
    for (const n of [36, 38, 39, 42, 44, 46, 51]) sound(n);
    assert.equal(fmKitSound(60, cut), null);
    // Measured shares (fm / fmTape): kick 0.85 / 0.77 within 20–150 Hz; snare 0.81 / 0.81 and clap 0.99 / 0.99 above
    // 500 Hz; closed hat 0.80 / 0.80 above 6 kHz (through second-order filters).
    assert.ok(bandShare(sound(36), 20, 150) > 0.7, `${cut} kick`);
    assert.ok(bandShare(sound(38), 500, 20000) > 0.7, `${cut} snare`);
    assert.ok(bandShare(sound(39), 500, 20000) > 0.9, `${cut} clap`);
    assert.ok(bandShare(sound(42), 6000, 20000) > 0.7, `${cut} hat`);
  }
  for (const n of [36, 38, 46, 51]) assert.ok(t90(fmKitSound(n, 'fmTape')!.sound) < t90(fmKitSound(n, 'fm')!.sound), `tape ${n}`);
});

const HOLDOUT4_HASHES = {
  acid: '2a873b4723893301',
  fmBass: '4d02fe6a595e2f57',
  reese: '936cea75f39b36d1',
  fmPiano: 'bdc854883f25e53f',
  sawPad: '8fb5a02620f0e17e',
  pluck: '2e15a724b0deec68',
  modal: '7eb5f4a7af815692',
  crushed: '078587c22e0504e0',
};

/** Amplitude of x's component at f Hz over 0.25 s from startS (a single-bin DFT, Hann-windowed). */
function levelAt(x: Float32Array, f: number, startS = 0): number {
  const n = Math.round(0.25 * STEM_RATE_HZ);
  const i0 = Math.round(startS * STEM_RATE_HZ);
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    re += w * x[i0 + i]! * Math.cos((2 * Math.PI * f * i) / STEM_RATE_HZ);
    im += w * x[i0 + i]! * Math.sin((2 * Math.PI * f * i) / STEM_RATE_HZ);
  }
  return Math.hypot(re, im) / n;
}

/** The frequency (Hz, steps of 2) in lo … hi times f where x is loudest over its first 0.25 s, and that level. */
function peakIn(x: Float32Array, f: number, lo: number, hi: number): { hz: number; level: number } {
  let best = { hz: f * lo, level: 0 };
  for (let g = f * lo; g <= f * hi; g += 2) {
    const level = levelAt(x, g);
    if (level > best.level) best = { hz: g, level };
  }
  return best;
}

test('struck bars and bells ring at their modes, not at harmonics: a free bar near 2.76 and 5.4 times its note, a '
  + 'xylophone bar at 3 and 5.4–7, a vibraphone bar at 4, a bell a minor third over its note', () => {
  const f = 220;
  // [voice, mode's lowest and highest ratio, a harmonic near it that must stay quiet]
  const cases: Array<['freeBar' | 'tunedBar' | 'vibes' | 'bell', number, number, number]> = [
    ['freeBar', 2.7, 2.8, 2],
    ['freeBar', 5.2, 5.6, 5],
    ['tunedBar', 3, 3, 2],
    ['tunedBar', 5.4, 7, 4],
    ['vibes', 4, 4, 2],
    ['bell', 1.2, 1.2, 3],
  ];
  for (const seed of [3, 4, 5]) {
    for (const [voice, lo, hi, harmonic] of cases) {
      const x = malletNote(voice, f, 1, lcg(seed));
      const atMode = peakIn(x, f, lo, hi).level;
      assert.ok(atMode > 0.03 * levelAt(x, f), `${voice}: mode ${lo}–${hi} at ${atMode}`);
      assert.ok(atMode > 10 * levelAt(x, f * harmonic), `${voice}: a partial at harmonic ${harmonic}`);
    }
  }
  // A xylophone's untuned mode lands elsewhere on each bar (note).
  const untuned = [3, 4, 5, 6].map((seed) => peakIn(malletNote('tunedBar', f, 1, lcg(seed)), f, 5.4, 7).hz);
  assert.ok(Math.max(...untuned) - Math.min(...untuned) > 20, `untuned mode at ${untuned} Hz`);
});

test('a bar\'s higher modes die sooner than its note; a vibraphone swells and fades at its motor\'s rate; a note is '
  + 'damped after its release', () => {
  const f = 220;
  const bar = malletNote('freeBar', f, 1.5, lcg(3));
  const kept = (hz: number): number => levelAt(bar, hz, 0.6) / levelAt(bar, hz, 0);
  const upper = peakIn(bar, f, 2.7, 2.8).hz;
  assert.ok(kept(upper) < 0.8 * kept(f), `kept over 0.6 s: note ${kept(f)}, upper mode ${kept(upper)}`);
  // Tremolo: the 20 ms envelope of a vibraphone note rises again several times; a bar's without it never does.
  const rises = (x: Float32Array): number => {
    const block = Math.round(0.02 * STEM_RATE_HZ);
    let n = 0;
    let prev = Infinity;
    for (let i = Math.round(0.05 * STEM_RATE_HZ); i + block < Math.round(1 * STEM_RATE_HZ); i += block) {
      let e = 0;
      for (let j = i; j < i + block; j++) e += x[j]! * x[j]!;
      if (e > 1.1 * prev) n++;
      prev = e;
    }
    return n;
  };
  assert.ok(rises(malletNote('vibes', f, 1.5, lcg(3))) >= 3, 'vibraphone tremolo');
  assert.equal(rises(malletNote('freeBar', f, 1.5, lcg(3))), 0, 'a free bar decays');
  // The note is damped within 0.3 s of its release.
  const held = malletNote('freeBar', f, 1, lcg(3));
  assert.equal(held.length, Math.round(1.3 * STEM_RATE_HZ));
  let tail = 0;
  for (let i = held.length - 100; i < held.length; i++) tail = Math.max(tail, Math.abs(held[i]!));
  assert.ok(tail < 0.05, `tail ${tail}`);
});
