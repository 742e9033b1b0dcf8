/**
 * The demo track: a deterministic synthesiser that renders about 60 s of house-style music in code, with its exact
 * ground truth (drum onsets, beats, bars with bass and chord pitch classes, sections). It is the default audio when
 * no line-in is found and a fixture for analysis and mapping tests.
 *
 * Written by hand (no library fits: we need sample-exact truth and bit-identical output on every run). All
 * randomness comes from a seeded PRNG, never Math.random, so the same sample rate always gives the same samples.
 *
 * Form: 32 bars of 4/4 at 128 BPM (1.875 s per bar, 60 s in all).
 *   - intro, bars 0–7 (0–15 s): quiet closed hats on every eighth, a soft chord pad, a sustained bass; no kick.
 *   - main, bars 8–31 (15–60 s): four-on-the-floor kick, snare on beats 2 and 4, hats on every eighth,
 *     an off-beat bass line, the chord pad ducked by the kick (sidechain pump).
 * Harmony: an 8-bar progression Am F C G | Dm F C E, one bass pitch class per bar (the chord root).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoTruth } from './types.js';
import { encodeWav } from './wav.js';
import { readCachedDemo, writeCachedDemo } from './demoCache.js';

export interface DemoOptions {
  /** Sample rate of the render (Hz). Default 44100. */
  sampleRate?: number;
}

export interface DemoRender {
  sampleRate: number;
  /** Two channels (left, right). Shared by every caller of the memoised render: treat as read-only. */
  channels: Float32Array[];
  truth: DemoTruth;
}

export const DEMO_DEFAULT_SAMPLE_RATE = 44100;
export const DEMO_BPM = 128;
const BEATS_PER_BAR = 4 as const;
const BARS = 32;
const INTRO_BARS = 8;
/** Peak level after normalisation; below the −1 dBFS promise so 16-bit rounding cannot cross it. */
const PEAK_DBFS = -1.5;
const SEED = 0x1a7e47;

interface ChordSpec {
  name: string;
  /** Pitch classes, root first (0 = C). */
  pcs: number[];
}

const CHORDS: Record<string, ChordSpec> = {
  Am: { name: 'Am', pcs: [9, 0, 4] },
  F: { name: 'F', pcs: [5, 9, 0] },
  C: { name: 'C', pcs: [0, 4, 7] },
  G: { name: 'G', pcs: [7, 11, 2] },
  Dm: { name: 'Dm', pcs: [2, 5, 9] },
  E: { name: 'E', pcs: [4, 8, 11] },
};
const PROGRESSION: ChordSpec[] = ['Am', 'F', 'C', 'G', 'Dm', 'F', 'C', 'E'].map((n) => CHORDS[n]!);

/** Mulberry32: a small, well-distributed 32-bit PRNG (public-domain algorithm); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const midiToHz = (m: number): number => 440 * Math.pow(2, (m - 69) / 12);

/** A single-cycle wavetable of the given harmonic amplitudes, normalised to peak 1, with one guard sample. */
const TABLE_SIZE = 2048;
function wavetable(harmonics: number[]): Float32Array {
  const t = new Float32Array(TABLE_SIZE + 1);
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    let v = 0;
    for (let h = 0; h < harmonics.length; h++) v += harmonics[h]! * Math.sin((2 * Math.PI * (h + 1) * i) / TABLE_SIZE);
    t[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i < TABLE_SIZE; i++) t[i]! /= peak;
  t[TABLE_SIZE] = t[0]!;
  return t;
}

/** Linear-interpolated wavetable read at phase in [0, 1). */
function readTable(table: Float32Array, phase: number): number {
  const x = phase * TABLE_SIZE;
  const i = x | 0;
  const f = x - i;
  return table[i]! + f * (table[i + 1]! - table[i]!);
}

/** RBJ audio-EQ-cookbook biquad coefficients (b0, b1, b2, a1, a2 normalised by a0). */
function biquad(kind: 'highpass' | 'bandpass' | 'lowpass', freqHz: number, q: number, sampleRate: number): number[] {
  const f = Math.min(freqHz, 0.45 * sampleRate);
  const w0 = (2 * Math.PI * f) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  let b: number[];
  if (kind === 'highpass') b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
  else if (kind === 'lowpass') b = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
  else b = [alpha, 0, -alpha];
  return [b[0]! / a0, b[1]! / a0, b[2]! / a0, (-2 * cos) / a0, (1 - alpha) / a0];
}

/** Filters `x` in place with a biquad (direct form I). */
function filterInPlace(x: Float32Array, c: number[]): void {
  const [b0, b1, b2, a1, a2] = c as [number, number, number, number, number];
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    x[i] = y0;
  }
}

/** Equal-power pan: -1 left … +1 right. */
function panGains(pan: number): [number, number] {
  const a = ((pan + 1) * Math.PI) / 4;
  return [Math.cos(a), Math.sin(a)];
}

/** Adds `voice` into the stereo bus at `startSample`, scaled by gain and panned. */
function mixInto(bus: Float32Array[], voice: Float32Array, startSample: number, gain: number, pan: number): void {
  const [gl, gr] = panGains(pan);
  const L = bus[0]!;
  const R = bus[1]!;
  const n = Math.min(voice.length, L.length - startSample);
  for (let i = 0; i < n; i++) {
    const v = voice[i]! * gain;
    L[startSample + i]! += v * gl;
    R[startSample + i]! += v * gr;
  }
}

/** Kick: a sine swept from 160 Hz down to 45 Hz, exponential amplitude decay, and a short filtered click. */
function kickVoice(sr: number, rand: () => number): Float32Array {
  const n = Math.round(0.4 * sr);
  const v = new Float32Array(n);
  let phase = 0;
  const click = new Float32Array(Math.round(0.006 * sr));
  for (let i = 0; i < click.length; i++) click[i] = (rand() * 2 - 1) * Math.exp(-i / (0.0015 * sr));
  filterInPlace(click, biquad('bandpass', 3000, 0.8, sr));
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const f = 45 + 115 * Math.exp(-t / 0.03);
    phase += (2 * Math.PI * f) / sr;
    const attack = Math.min(1, t / 0.001);
    v[i] = Math.sin(phase) * Math.exp(-t / 0.13) * attack + (i < click.length ? 0.4 * click[i]! : 0);
  }
  return v;
}

/** Snare: two decaying body tones (185 and 330 Hz) plus band-limited noise with a longer tail. */
function snareVoice(sr: number, rand: () => number): Float32Array {
  const n = Math.round(0.3 * sr);
  const noise = new Float32Array(n);
  for (let i = 0; i < n; i++) noise[i] = rand() * 2 - 1;
  filterInPlace(noise, biquad('highpass', 1200, 0.7, sr));
  filterInPlace(noise, biquad('lowpass', 9000, 0.7, sr));
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const attack = Math.min(1, t / 0.0008);
    const body = 0.55 * Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.045) + 0.3 * Math.sin(2 * Math.PI * 330 * t) * Math.exp(-t / 0.03);
    v[i] = attack * (body + 0.9 * noise[i]! * Math.exp(-t / 0.07));
  }
  return v;
}

/** Closed hi-hat: high-passed noise (two biquads around 7 kHz) with a fast exponential decay. */
function hatVoice(sr: number, rand: () => number): Float32Array {
  const n = Math.round(0.09 * sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rand() * 2 - 1;
  filterInPlace(v, biquad('highpass', 7000, 0.7, sr));
  filterInPlace(v, biquad('highpass', 7000, 0.7, sr));
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    v[i]! *= Math.min(1, t / 0.0005) * Math.exp(-t / 0.022);
  }
  return v;
}

/** A tonal note from a wavetable with attack/release, optionally two voices detuned by ±cents. */
function toneVoice(
  sr: number,
  table: Float32Array,
  freqHz: number,
  lengthS: number,
  attackS: number,
  releaseS: number,
  decayToS: number | null,
  detuneCents: number,
  startPhase: number,
): Float32Array {
  const n = Math.round((lengthS + releaseS) * sr);
  const v = new Float32Array(n);
  const up = Math.pow(2, detuneCents / 1200);
  const inc1 = (freqHz * up) / sr;
  const inc2 = freqHz / up / sr;
  let p1 = startPhase;
  let p2 = (startPhase + 0.37) % 1;
  const holdN = Math.round(lengthS * sr);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    let env = Math.min(1, t / attackS);
    if (decayToS !== null) env *= 0.55 + 0.45 * Math.exp(-t / decayToS);
    if (i >= holdN) env *= Math.exp(-(i - holdN) / (releaseS * sr * 0.25));
    const s = detuneCents === 0 ? readTable(table, p1) : 0.5 * (readTable(table, p1) + readTable(table, p2));
    v[i] = s * env;
    p1 += inc1;
    if (p1 >= 1) p1 -= 1;
    p2 += inc2;
    if (p2 >= 1) p2 -= 1;
  }
  return v;
}

/** Renders the track without memoisation (tests use it to check determinism). */
export function synthesiseDemoTrack(sampleRate: number = DEMO_DEFAULT_SAMPLE_RATE): DemoRender {
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
    throw new RangeError(`demo track: sampleRate ${sampleRate} is not an integer between 8000 and 192000 Hz`);
  }
  const sr = sampleRate;
  const rand = mulberry32(SEED);
  const beatS = 60 / DEMO_BPM;
  const barS = beatS * BEATS_PER_BAR;
  const durationS = BARS * barS;
  const n = Math.round(durationS * sr);
  const drums = [new Float32Array(n), new Float32Array(n)];
  const music = [new Float32Array(n), new Float32Array(n)];
  const mainStartS = INTRO_BARS * barS;
  const at = (tS: number): number => Math.round(tS * sr);

  // A few sampled variants per drum so repeats are not machine-identical (as a drummer's samples would not be).
  const kicks = [kickVoice(sr, rand), kickVoice(sr, rand)];
  const snares = [snareVoice(sr, rand), snareVoice(sr, rand), snareVoice(sr, rand)];
  const hats = [hatVoice(sr, rand), hatVoice(sr, rand), hatVoice(sr, rand), hatVoice(sr, rand)];
  const bassTable = wavetable([1, 0.55, 0.3, 0.16, 0.08]);
  const padTable = wavetable([1, 0.45, 0.28, 0.16, 0.1, 0.06, 0.04]);
  // The progression repeats every 8 bars, so most notes are rendered again with the same arguments: rendering each
  // distinct note once keeps the track's synthesis cheap for every process that starts on it (same samples).
  const notes = new Map<string, Float32Array>();
  const tone = (table: Float32Array, freqHz: number, lengthS: number, attackS: number, releaseS: number, decayToS: number | null, detuneCents: number, startPhase: number): Float32Array => {
    const args = [freqHz, lengthS, attackS, releaseS, decayToS, detuneCents, startPhase] as const;
    const key = `${table === bassTable ? 'bass' : 'pad'}:${args.join(',')}`;
    let v = notes.get(key);
    if (!v) notes.set(key, (v = toneVoice(sr, table, ...args)));
    return v;
  };

  const onsets = { kick: [] as number[], snare: [] as number[], hats: [] as number[] };
  const beats: number[] = [];
  const downbeats: number[] = [];
  const bars: DemoTruth['bars'] = [];

  for (let bar = 0; bar < BARS; bar++) {
    const barStart = bar * barS;
    const main = bar >= INTRO_BARS;
    const chord = PROGRESSION[bar % PROGRESSION.length]!;
    const rootPc = chord.pcs[0]!;
    bars.push({ start: barStart, end: barStart + barS, bassPc: rootPc, chordPcs: [...chord.pcs], chord: chord.name });
    downbeats.push(barStart);

    for (let beat = 0; beat < BEATS_PER_BAR; beat++) {
      const tBeat = barStart + beat * beatS;
      beats.push(tBeat);
      if (main) {
        mixInto(drums, kicks[(bar + beat) % kicks.length]!, at(tBeat), 0.95, 0);
        onsets.kick.push(tBeat);
        if (beat === 1 || beat === 3) {
          mixInto(drums, snares[(bar * 2 + beat) % snares.length]!, at(tBeat), 0.55, -0.05);
          onsets.snare.push(tBeat);
        }
      }
      for (let half = 0; half < 2; half++) {
        const tHat = tBeat + half * (beatS / 2);
        // Off-beat hats accented, as in house; the intro keeps them quiet.
        const accent = half === 1 ? 1 : 0.6;
        mixInto(drums, hats[(bar * 8 + beat * 2 + half) % hats.length]!, at(tHat), (main ? 0.32 : 0.16) * accent, 0.3);
        onsets.hats.push(tHat);
      }
    }

    // Bass: one pitch class per bar, in C2–B2 (65–123 Hz), within the C1–C3 range.
    const bassHz = midiToHz(36 + rootPc);
    if (main) {
      for (let beat = 0; beat < BEATS_PER_BAR; beat++) {
        const tNote = barStart + beat * beatS + beatS / 2;
        const note = tone(bassTable, bassHz, beatS * 0.42, 0.004, 0.03, 0.12, 0, 0);
        mixInto(music, note, at(tNote), 0.5, 0);
      }
    } else {
      const note = tone(bassTable, bassHz, barS - 0.05, 0.03, 0.05, null, 0, 0);
      mixInto(music, note, at(barStart), 0.22, 0);
    }

    // Chord pad: the triad in the C4–B4 octave, each note two detuned voices spread across the stereo field.
    chord.pcs.forEach((pc, k) => {
      const hz = midiToHz(60 + pc);
      const voice = tone(padTable, hz, barS - 0.04, main ? 0.02 : 0.12, 0.12, null, 5, (k * 0.29) % 1);
      mixInto(music, voice, at(barStart), main ? 0.16 : 0.12, (k - 1) * 0.45);
    });
  }

  // Sidechain pump in the main section: duck bass and pad under each kick, the classic house breathing.
  const out = [new Float32Array(n), new Float32Array(n)];
  const mainStart = at(mainStartS);
  const beatN = beatS * sr;
  for (let i = 0; i < n; i++) {
    let duck = 1;
    if (i >= mainStart) {
      const sinceBeat = (i - mainStart) % beatN;
      duck = 1 - 0.55 * Math.exp(-sinceBeat / (0.09 * sr));
    }
    for (let c = 0; c < 2; c++) out[c]![i] = drums[c]![i]! + music[c]![i]! * duck;
  }

  // Short fades so a loop wraps without a click.
  const fadeN = Math.round(0.01 * sr);
  for (let i = 0; i < fadeN; i++) {
    const g = i / fadeN;
    for (let c = 0; c < 2; c++) out[c]![n - 1 - i]! *= g;
  }

  let peak = 0;
  for (const ch of out) for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(ch[i]!));
  const scale = Math.pow(10, PEAK_DBFS / 20) / peak;
  for (const ch of out) for (let i = 0; i < n; i++) ch[i]! *= scale;

  const truth: DemoTruth = {
    sampleRate: sr,
    durationS,
    bpm: DEMO_BPM,
    beatsPerBar: BEATS_PER_BAR,
    onsets,
    beats,
    downbeats,
    bars,
    sections: [
      { start: 0, name: 'intro' },
      { start: mainStartS, name: 'main' },
    ],
  };
  return { sampleRate: sr, channels: out, truth };
}

const cache = new Map<number, DemoRender>();

/**
 * The demo track at `sampleRate` (default 44100), rendered once per rate and memoised in this process and on disk
 * (see demoCache.ts). Do not mutate the result.
 */
export function renderDemoTrack(opts: DemoOptions = {}): DemoRender {
  const sr = opts.sampleRate ?? DEMO_DEFAULT_SAMPLE_RATE;
  let r = cache.get(sr);
  if (!r) {
    r = readCachedDemo(sr) ?? undefined;
    if (!r) {
      r = synthesiseDemoTrack(sr);
      writeCachedDemo(r);
    }
    cache.set(sr, r);
  }
  return r;
}

/** Writes `demo.wav` (16-bit PCM stereo) and `demo.truth.json` into `dir`; returns both paths. */
export function writeDemoTrack(dir: string, opts: DemoOptions = {}): { wavPath: string; truthPath: string } {
  const r = renderDemoTrack(opts);
  mkdirSync(dir, { recursive: true });
  const wavPath = join(dir, 'demo.wav');
  const truthPath = join(dir, 'demo.truth.json');
  writeFileSync(wavPath, encodeWav({ sampleRate: r.sampleRate, channels: r.channels }, 'pcm16'));
  writeFileSync(truthPath, JSON.stringify(r.truth, null, 2) + '\n');
  return { wavPath, truthPath };
}
