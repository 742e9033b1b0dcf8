/**
 * Test tracks with known structure: sections of whole bars, each a combination of drums (the analysis synth's
 * pattern), a chord pad with its own progression, and a bass line; the section starts are the truth.
 */
import { addHarmonicTone, renderPattern } from '../../../src/analysis/synth.js';

export type Part = 'drums' | 'pad' | 'bass' | 'lead';

export interface SectionPlan {
  bars: number;
  parts: Part[];
  /** Chord progression (pitch-class triads, one per bar, repeating). */
  chords: number[][];
}

export interface StructuredTrack {
  sampleRate: number;
  samples: Float32Array;
  bpm: number;
  barS: number;
  /** Starts of sections 2… (s). */
  boundariesS: number[];
  durationS: number;
}

export const PROGRESSIONS = {
  pop: [[0, 4, 7], [9, 0, 4], [5, 9, 0], [7, 11, 2]],
  minor: [[2, 5, 9], [10, 2, 5], [7, 10, 2], [9, 1, 4]],
  bright: [[4, 8, 11], [11, 3, 6], [1, 4, 8], [9, 1, 4]],
} as const satisfies Record<string, number[][]>;

function addTone(out: Float32Array, sr: number, at: number, hz: number, lengthS: number, gain: number, harmonics: number[], decayS: number | null): void {
  addHarmonicTone(out, at, Math.round(lengthS * sr), hz, sr, harmonics, (i) => {
    const t = i / sr;
    return gain * Math.min(1, t / 0.01) * Math.min(1, (lengthS - t) / 0.02) * (decayS ? Math.exp(-t / decayS) : 1);
  });
}

export function structuredTrack(bpm: number, plan: SectionPlan[], sampleRate = 22050, seed = 5): StructuredTrack {
  const barS = (4 * 60) / bpm;
  const totalBars = plan.reduce((s, p) => s + p.bars, 0);
  const durationS = totalBars * barS;
  const n = Math.round(durationS * sampleRate);
  const out = new Float32Array(n);
  const drums = renderPattern({ bpm, durationS, sampleRate, offsetS: 0, seed, peakDb: -6 }).samples;
  const boundariesS: number[] = [];
  let bar = 0;
  for (const [si, sec] of plan.entries()) {
    if (si > 0) boundariesS.push(bar * barS);
    for (let b = 0; b < sec.bars; b++, bar++) {
      const t0 = bar * barS;
      const a = Math.round(t0 * sampleRate);
      const e = Math.min(n, Math.round((t0 + barS) * sampleRate));
      const chord = sec.chords[b % sec.chords.length]!;
      if (sec.parts.includes('drums')) for (let i = a; i < e; i++) out[i]! += drums[i]!;
      if (sec.parts.includes('pad')) for (const pc of chord) addTone(out, sampleRate, a, 261.63 * 2 ** (pc / 12), barS, 0.06, [1, 0.4, 0.2, 0.1], null);
      if (sec.parts.includes('bass')) {
        for (let beat = 0; beat < 4; beat++) addTone(out, sampleRate, a + Math.round(((beat * barS) / 4) * sampleRate), 65.41 * 2 ** (chord[0]! / 12), barS / 4, 0.25, [1, 0.5, 0.25], 0.25);
      }
      if (sec.parts.includes('lead')) {
        for (let q = 0; q < 8; q++) {
          const pc = chord[q % 3]!;
          addTone(out, sampleRate, a + Math.round(((q * barS) / 8) * sampleRate), 523.25 * 2 ** (pc / 12), barS / 8, 0.07, [1, 0.6, 0.4, 0.3, 0.2], 0.12);
        }
      }
    }
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(out[i]!));
  if (peak > 0) for (let i = 0; i < n; i++) out[i]! *= 0.8 / peak;
  return { sampleRate, samples: out, bpm, barS, boundariesS, durationS };
}

/** Fraction of true boundaries with a found one within `tolS`, and of found ones near a true one. */
export function boundaryScores(truth: readonly number[], found: readonly number[], tolS: number): { hitRate: number; precision: number; hits: number } {
  const hits = truth.filter((t) => found.some((f) => Math.abs(f - t) <= tolS)).length;
  const good = found.filter((f) => truth.some((t) => Math.abs(f - t) <= tolS)).length;
  return { hitRate: truth.length ? hits / truth.length : 1, precision: found.length ? good / found.length : 1, hits };
}
