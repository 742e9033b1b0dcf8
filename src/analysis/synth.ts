/**
 * Signals with known truth for testing and evaluating the analysis (not used at run time): drum patterns at a
 * given tempo, chords and bass lines, and the awkward inputs (silence, DC, noise, clipping). Deterministic: all
 * noise comes from a seeded generator. The drum voices differ on purpose from the demo track's (other sweeps,
 * decays, filters and body tones), so a detector tuned on one is checked on the other; their spectra stay where
 * real drums put them (kick below 150 Hz plus a beater click, snare wires 1–8 kHz, hats above 6 kHz).
 */
import { Biquad } from './filters.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface PatternTruth {
  bpm: number;
  kick: number[];
  snare: number[];
  hats: number[];
  beats: number[];
  downbeats: number[];
  /** Bars with the chord's pitch classes and the bass pitch class (when harmony was rendered). */
  bars: Array<{ start: number; end: number; chordPcs: number[]; bassPc: number }>;
}

export interface PatternSignal {
  sampleRate: number;
  samples: Float32Array;
  truth: PatternTruth;
}

export interface PatternOptions {
  bpm: number;
  durationS: number;
  sampleRate?: number;
  /** Peak level of the result in dBFS (default −1). */
  peakDb?: number;
  /** Add a sustained chord pad and a bass line (one chord per bar). */
  harmony?: boolean;
  /** Start of the first beat, s. */
  offsetS?: number;
  seed?: number;
}

function addAt(dst: Float32Array, src: Float32Array, at: number, gain: number): void {
  const n = Math.min(src.length, dst.length - at);
  for (let i = 0; i < n; i++) dst[at + i]! += gain * src[i]!;
}

/** Band-passed noise: `order` high-pass and low-pass biquads. */
function bandNoise(n: number, rnd: () => number, loHz: number, hiHz: number, sr: number): Float32Array {
  const hp1 = Biquad.highpass(loHz, 0.707, sr);
  const hp2 = Biquad.highpass(loHz, 0.707, sr);
  const lp = Biquad.lowpass(hiHz, 0.707, sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lp.process(hp2.process(hp1.process(rnd() * 2 - 1)));
  return v;
}

/** A kick: a sine swept 140 → 50 Hz with a beater click (3 ms of noise around 2–5 kHz). */
function kick(sr: number, rnd: () => number): Float32Array {
  const n = Math.round(0.35 * sr);
  const v = new Float32Array(n);
  const click = bandNoise(Math.round(0.01 * sr), rnd, 2000, 5000, sr);
  let ph = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    ph += (2 * Math.PI * (50 + 90 * Math.exp(-t / 0.04))) / sr;
    const c = i < click.length ? click[i]! * Math.exp(-t / 0.002) : 0;
    v[i] = Math.sin(ph) * Math.exp(-t / 0.16) * Math.min(1, t / 0.002) + 0.5 * c;
  }
  return v;
}

/** A snare: a 200 Hz body and wires (noise 1–8 kHz) with a longer decay. */
function snare(sr: number, rnd: () => number): Float32Array {
  const n = Math.round(0.25 * sr);
  const noise = bandNoise(n, rnd, 1000, 8000, sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    v[i] = (0.5 * Math.sin(2 * Math.PI * 200 * t) * Math.exp(-t / 0.04) + 1.2 * noise[i]! * Math.exp(-t / 0.06)) * Math.min(1, t / 0.001);
  }
  return v;
}

/** A closed hat: noise above 6 kHz, 15 ms decay. */
function hat(sr: number, rnd: () => number): Float32Array {
  const n = Math.round(0.06 * sr);
  const v = bandNoise(n, rnd, 6000, 16000, sr);
  for (let i = 0; i < n; i++) v[i]! *= 0.8 * Math.exp(-i / (0.015 * sr));
  return v;
}

const CHORDS: Array<{ pcs: number[]; bass: number }> = [
  { pcs: [0, 4, 7], bass: 0 }, // C
  { pcs: [9, 0, 4], bass: 9 }, // Am
  { pcs: [5, 9, 0], bass: 5 }, // F
  { pcs: [7, 11, 2], bass: 7 }, // G
];

function tone(sr: number, hz: number, lengthS: number, harmonics: number[], attackS: number): Float32Array {
  const n = Math.round(lengthS * sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    let s = 0;
    for (let h = 0; h < harmonics.length; h++) s += harmonics[h]! * Math.sin(2 * Math.PI * hz * (h + 1) * t);
    const env = Math.min(1, t / attackS) * Math.min(1, (lengthS - t) / 0.02);
    v[i] = s * env;
  }
  return v;
}

/** Kick on beats 1 and 3, snare on 2 and 4, closed hats on every eighth; optional pad and bass. */
export function renderPattern(opts: PatternOptions): PatternSignal {
  const sr = opts.sampleRate ?? 44100;
  const n = Math.round(opts.durationS * sr);
  const out = new Float32Array(n);
  const rnd = lcg(opts.seed ?? 7);
  const beatS = 60 / opts.bpm;
  const offset = opts.offsetS ?? 0.25;
  const K = kick(sr, rnd);
  const S = snare(sr, rnd);
  const H = hat(sr, rnd);
  const truth: PatternTruth = { bpm: opts.bpm, kick: [], snare: [], hats: [], beats: [], downbeats: [], bars: [] };
  for (let b = 0; offset + b * beatS < opts.durationS - 0.05; b++) {
    const t = offset + b * beatS;
    const at = Math.round(t * sr);
    truth.beats.push(t);
    if (b % 4 === 0) truth.downbeats.push(t);
    if (b % 2 === 0) {
      addAt(out, K, at, 0.9);
      truth.kick.push(t);
    } else {
      addAt(out, S, at, 0.5);
      truth.snare.push(t);
    }
    for (let h = 0; h < 2; h++) {
      const th = t + (h * beatS) / 2;
      if (th >= opts.durationS - 0.05) break;
      addAt(out, H, Math.round(th * sr), h === 1 ? 0.35 : 0.25);
      truth.hats.push(th);
    }
  }
  if (opts.harmony) {
    const barS = 4 * beatS;
    for (let bar = 0; offset + bar * barS < opts.durationS - 0.1; bar++) {
      const start = offset + bar * barS;
      const end = Math.min(opts.durationS, start + barS);
      const c = CHORDS[bar % CHORDS.length]!;
      truth.bars.push({ start, end, chordPcs: [...c.pcs], bassPc: c.bass });
      const at = Math.round(start * sr);
      for (const pc of c.pcs) addAt(out, tone(sr, 261.63 * Math.pow(2, pc / 12), end - start, [1, 0.4, 0.2, 0.1], 0.01), at, 0.1);
      // Bass: the root in C2–B2, one sustained note per bar.
      addAt(out, tone(sr, 65.41 * Math.pow(2, c.bass / 12), end - start, [1, 0.5, 0.25], 0.005), at, 0.35);
    }
  }
  scaleToPeak(out, opts.peakDb ?? -1);
  return { sampleRate: sr, samples: out, truth };
}

/** Scales in place so that the peak is at `peakDb` dBFS (silence stays silence). */
export function scaleToPeak(x: Float32Array, peakDb: number): void {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (peak === 0) return;
  const g = Math.pow(10, peakDb / 20) / peak;
  for (let i = 0; i < x.length; i++) x[i]! *= g;
}

export function whiteNoise(n: number, amplitude: number, seed = 3): Float32Array {
  const rnd = lcg(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * (rnd() * 2 - 1);
  return x;
}
