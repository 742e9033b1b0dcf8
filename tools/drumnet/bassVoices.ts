/**
 * Synthesised basses for the drum net's training songs only (tools/drumnet/trainSongs.ts): the click-less, fast low
 * attacks that a learned kick detector takes for kicks when it has only heard soundfont basses. Four families, every
 * parameter drawn per song:
 *  - 'sub': a sine or triangle sub-bass whose pitch starts a little above the note and falls onto it;
 *  - 'long': an 808-style tone, a driven sine with such a drop that rings out without sustain;
 *  - 'pluck': a saw or square through a low-pass whose cutoff falls fast after each strike (a synth stab);
 *  - 'organ': a few harmonics of random weights, a fast attack and a short decay (a wavetable stab).
 * The score's bass notes (tools/corpus/songs.ts: the chord root on the bar and mid-bar) are re-struck in a rhythm of
 * their own: on the off-beat eighths, every eighth, every quarter, a 3-3-2 sixteenth figure, or as written, so that
 * most strikes fall where no kick is. None of these is a voice of the evaluation sets (tools/corpus/synthVoices.ts
 * belongs to the fourth holdout set) or of the demo track.
 */
import { lcg, type MidiNote } from '../../src/analysis/synth.js';
import { secondsOfQuarter, stemBuffer, STEM_RATE_HZ, writeStem } from '../corpus/stem.js';
import type { Score } from '../corpus/songs.js';

const SR = STEM_RATE_HZ;

export type TrainBassFamily = 'sub' | 'long' | 'pluck' | 'organ';
export type TrainBassRhythm = 'asWritten' | 'offbeats' | 'eighths' | 'quarters' | 'tresillo';

export interface TrainBass {
  family: TrainBassFamily;
  /** 'sub': share of triangle in the sine; 'pluck': 0 saw, 1 square. */
  shape: number;
  /** Relative weights of harmonics 1… ('organ'). */
  harmonics: number[];
  /** The pitch starts dropSemitones above the note and falls onto it with time constant dropS. */
  dropSemitones: number;
  dropS: number;
  attackS: number;
  /** Decay time constant towards `sustain` (0..1) while held; release time constant after. */
  decayS: number;
  sustain: number;
  releaseS: number;
  /** 'pluck': the low-pass cutoff falls from peakHz to baseHz with time constant filterDecayS. */
  cutoffPeakHz: number;
  cutoffBaseHz: number;
  filterDecayS: number;
  /** tanh drive (1: clean). */
  drive: number;
  /** Octaves above the score's bass note (E1–D#2). */
  octave: number;
  rhythm: TrainBassRhythm;
  /** Share of the step between strikes a strike is held. */
  gate: number;
  /** Gain of the bass stem in the mix (the drums' is 1). */
  mixGain: number;
}

export const MAX_DROP_SEMITONES = 2;
const RHYTHMS: TrainBassRhythm[] = ['offbeats', 'offbeats', 'offbeats', 'eighths', 'quarters', 'tresillo', 'tresillo', 'asWritten'];

/** A two-pole low-pass whose cutoff may move every sample (trapezoidal state-variable form: stable at any cutoff). */
class SweptLowpass {
  private s1 = 0;
  private s2 = 0;
  constructor(private readonly damping: number) {}
  process(x: number, cutoffHz: number): number {
    const g = Math.tan((Math.PI * Math.min(cutoffHz, 0.45 * SR)) / SR);
    const a1 = 1 / (1 + g * (g + this.damping));
    const v3 = x - this.s2;
    const v1 = a1 * this.s1 + g * a1 * v3;
    const v2 = this.s2 + g * v1;
    this.s1 = 2 * v1 - this.s1;
    this.s2 = 2 * v2 - this.s2;
    return v2;
  }
}

/** A bass voice drawn from `seed` (deterministic). */
export function randomTrainBass(seed: number): TrainBass {
  const rnd = lcg(seed);
  const u = (a: number, b: number): number => a + (b - a) * rnd();
  const logU = (a: number, b: number): number => a * (b / a) ** rnd();
  const families: TrainBassFamily[] = ['sub', 'long', 'pluck', 'organ'];
  const family = families[Math.floor(rnd() * families.length)]!;
  const nHarm = 2 + Math.floor(rnd() * 5);
  const base: TrainBass = {
    family,
    shape: rnd(),
    harmonics: Array.from({ length: nHarm }, (_, k) => (k === 0 ? 1 : u(0.1, 0.8) / (k + 1) ** 0.5)),
    dropSemitones: 0,
    dropS: logU(0.005, 0.04),
    attackS: logU(0.001, 0.006),
    decayS: logU(0.08, 0.4),
    sustain: u(0, 0.6),
    releaseS: logU(0.02, 0.1),
    cutoffPeakHz: logU(600, 4000),
    cutoffBaseHz: logU(120, 400),
    filterDecayS: logU(0.015, 0.15),
    drive: rnd() < 0.5 ? 1 : u(1, 3),
    octave: rnd() < 0.5 ? 0 : 1,
    rhythm: RHYTHMS[Math.floor(rnd() * RHYTHMS.length)]!,
    gate: u(0.25, 0.9),
    mixGain: u(0.45, 0.95),
  };
  // Pitch drops stay within MAX_DROP_SEMITONES: a sine that falls an octave onto 40–60 Hz is a click-less kick (with
  // drops of up to 7 and 12 semitones here, the net lost the corpus's 'boom' machine kicks: tb-dnb-saw-boom kick F
  // 0.99 → 0.73, groove-dnb-boom-fluid 0.96 → 0.67, without the click gate).
  if (family === 'sub') return { ...base, dropSemitones: rnd() < 0.3 ? 0 : u(0.3, MAX_DROP_SEMITONES), octave: 0 };
  if (family === 'long') return { ...base, dropSemitones: u(0, MAX_DROP_SEMITONES), dropS: logU(0.015, 0.06), decayS: logU(0.3, 1.2), sustain: 0, drive: u(1, 3.5), octave: 0, gate: u(0.6, 1) };
  if (family === 'pluck') return { ...base, dropSemitones: rnd() < 0.7 ? 0 : u(0.5, MAX_DROP_SEMITONES), sustain: u(0, 0.4) };
  return { ...base, dropSemitones: rnd() < 0.8 ? 0 : u(0.5, MAX_DROP_SEMITONES), decayS: logU(0.05, 0.25), sustain: u(0, 0.35) };
}

/** Strike offsets (quarters from the note's start) and the step after each, for a note of `lengthQ` quarters. */
export function strikes(rhythm: TrainBassRhythm, lengthQ: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const every = (from: number, step: number): void => {
    for (let q = from; q < lengthQ - 0.05; q += step) out.push([q, step]);
  };
  if (rhythm === 'asWritten') out.push([0, lengthQ + 0.1]);
  else if (rhythm === 'offbeats') every(0.5, 1);
  else if (rhythm === 'eighths') every(0, 0.5);
  else if (rhythm === 'quarters') every(0, 1);
  else for (let bar = 0; bar < lengthQ - 0.05; bar += 2) for (const q of [0, 0.75, 1.5]) if (bar + q < lengthQ - 0.05) out.push([bar + q, q === 1.5 ? 0.5 : 0.75]);
  return out;
}

/** One strike of `v` at `midi`, held holdS seconds (mono, STEM_RATE_HZ). */
export function strike(v: TrainBass, midi: number, holdS: number): Float32Array {
  const f = 440 * 2 ** ((midi + 12 * v.octave - 69) / 12);
  const n = Math.round((holdS + 5 * v.releaseS + (v.family === 'long' ? 4 * v.decayS : 0)) * SR);
  const out = new Float32Array(n);
  const lp = [new SweptLowpass(1.1), new SweptLowpass(1.1)];
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const fi = f * 2 ** ((v.dropSemitones / 12) * Math.exp(-t / v.dropS));
    phase += fi / SR;
    const p = phase - Math.floor(phase);
    let x: number;
    if (v.family === 'sub' || v.family === 'long') {
      const tri = 1 - 4 * Math.abs(p - 0.5);
      x = (1 - v.shape) * Math.sin(2 * Math.PI * p) + (v.family === 'sub' ? v.shape * tri : 0);
    } else if (v.family === 'organ') {
      x = 0;
      for (let k = 0; k < v.harmonics.length; k++) x += v.harmonics[k]! * Math.sin(2 * Math.PI * (k + 1) * p);
    } else {
      // Naive saw and square: the low-pass right after keeps their aliasing far below the tone.
      const raw = v.shape < 0.5 ? 2 * p - 1 : p < 0.5 ? 1 : -1;
      const cut = v.cutoffBaseHz + (v.cutoffPeakHz - v.cutoffBaseHz) * Math.exp(-t / v.filterDecayS);
      x = lp[1]!.process(lp[0]!.process(raw, cut), cut);
    }
    const held = (u: number): number => (u < v.attackS ? u / v.attackS : v.sustain + (1 - v.sustain) * Math.exp(-(u - v.attackS) / v.decayS));
    const env = t < holdS ? held(t) : held(holdS) * Math.exp(-(t - holdS) / v.releaseS);
    out[i] = v.drive > 1 ? Math.tanh(v.drive * x * env) / Math.tanh(v.drive) : x * env;
  }
  return out;
}

/** Renders the bass notes of `score` with voice `v` as a mono stem at `wavPath`. */
export function renderTrainBass(score: Score, notes: MidiNote[], v: TrainBass, wavPath: string, seed: number): void {
  const rnd = lcg(seed);
  const at = secondsOfQuarter(score);
  const out = stemBuffer(notes, at);
  for (const note of notes) {
    for (const [q, step] of strikes(v.rhythm, note.lengthBeats)) {
      const startQ = note.startBeat + q;
      const startS = at(startQ);
      const holdS = Math.max(0.03, at(startQ + v.gate * step) - startS);
      const s = strike(v, note.note, holdS);
      const from = Math.round(startS * SR);
      const gain = (note.velocity / 127) ** 1.5 * (0.85 + 0.15 * rnd());
      const len = Math.min(s.length, out.length - from);
      for (let i = 0; i < len; i++) out[from + i]! += gain * s[i]!;
    }
  }
  writeStem(wavPath, out);
}
