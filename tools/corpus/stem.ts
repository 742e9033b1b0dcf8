/**
 * What the stems we synthesise ourselves (tools/corpus/drumMachine.ts, tools/corpus/synthVoices.ts) share: the
 * score's clock, a buffer that holds every note and its ring, and the way a stem is written for sox to mix.
 */
import { writeFileSync } from 'node:fs';
import { encodeWav } from '../../src/audio/wav.js';
import type { MidiNote } from '../../src/analysis/synth.js';
import type { Score } from './songs.js';

export const STEM_RATE_HZ = 44100;

/** Seconds of a quarter-note position in the score's tempo map (its MIDI file's). */
export function secondsOfQuarter(score: Score): (q: number) => number {
  const changes = [{ beat: 0, bpm: score.bpm }, ...score.tempoChanges].sort((a, b) => a.beat - b.beat);
  const startS: number[] = [0];
  for (let i = 1; i < changes.length; i++) startS.push(startS[i - 1]! + ((changes[i]!.beat - changes[i - 1]!.beat) * 60) / changes[i - 1]!.bpm);
  return (q) => {
    let i = changes.length - 1;
    while (i > 0 && changes[i]!.beat > q) i--;
    return startS[i]! + ((q - changes[i]!.beat) * 60) / changes[i]!.bpm;
  };
}

/** A silent mono buffer that lasts to the last note's end plus `ringS` (long tails ring past their note). */
export function stemBuffer(notes: MidiNote[], at: (q: number) => number, ringS = 2.5): Float32Array {
  const endS = Math.max(0, ...notes.map((n) => at(n.startBeat + n.lengthBeats))) + ringS;
  return new Float32Array(Math.ceil(endS * STEM_RATE_HZ));
}

/** Scales `x` in place so that its largest magnitude is `peak` (linear). */
export function scaleToLinearPeak(x: Float32Array, peak: number): void {
  let p = 0;
  for (const v of x) p = Math.max(p, Math.abs(v));
  if (p > 0) for (let i = 0; i < x.length; i++) x[i]! *= peak / p;
}

/**
 * Writes a mono stem as a stereo float WAV (both sides equal: the middle of the mix) at a −1 dBFS peak: sox clips
 * float samples past full scale as it reads them.
 */
export function writeStem(wavPath: string, mono: Float32Array): void {
  scaleToLinearPeak(mono, 0.891);
  writeFileSync(wavPath, encodeWav({ sampleRate: STEM_RATE_HZ, channels: [mono, mono] }, 'float32'));
}
