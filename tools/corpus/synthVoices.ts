/**
 * Pitched voices and a drum kit synthesised here, for the fourth holdout set: sounds that no soundfont has and that
 * neither the tests' synthetic signals (src/analysis/synth.ts) nor the drum machines (tools/corpus/drumMachine.ts)
 * make. Basses: an acid line (saw through a resonant low-pass whose cutoff falls after each strike), a two-operator FM
 * bass, a "reese" (two detuned saws and a sub sine, dark). Chords: an FM electric piano (a 1:1 pair with a struck
 * 14:1 tine), a slow detuned saw pad, a plucked string (Karplus–Strong). Drums: a "modal" kit whose kick and snare
 * are struck membranes (the partials of a circular membrane), hats and cymbals from band-passed noise rather than
 * oscillators, and its "crushed" cut (sample-and-hold to 11 kHz, 6 bits, driven): tools/corpus/modalKit.ts.
 * For the fifth holdout set: a pulse bass (a band-limited 30 % pulse under a plucked low-pass), a drawbar organ
 * (additive: sub-octave, unison, fifth and upper harmonics, a key click, vibrato), and the phase-modulated kit of
 * tools/corpus/fmKit.ts and its tape cut.
 */
import { fmKitSound } from './fmKit.js';
import { MALLET_VOICES, malletNote, type MalletVoice } from './malletVoices.js';
import { crushStem, MODAL_KIT, modalKitSound, saturateStem, type ModalKit } from './modalKit.js';
import { addAt, lcg, type MidiNote } from '../../src/analysis/synth.js';
import { secondsOfQuarter, stemBuffer, STEM_RATE_HZ, writeStem } from './stem.js';
import type { Score } from './songs.js';

const SR = STEM_RATE_HZ;

export const BASS_VOICES = ['acid', 'fmBass', 'reese', 'pulse'] as const;
export const CHORD_VOICES = ['fmPiano', 'sawPad', 'pluck', 'organ'] as const;
export const SYNTH_KITS = ['modal', 'crushed', 'fm', 'fmTape'] as const;
export type BassVoice = (typeof BASS_VOICES)[number];
/** The chord voices above, and the struck bars and bells that only the chord net's training songs play. */
export type ChordVoice = (typeof CHORD_VOICES)[number] | MalletVoice;
export type SynthKit = (typeof SYNTH_KITS)[number];

const hz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);

/** Chamberlin state-variable low-pass: its cutoff may move every sample, which a biquad's coefficients cannot cheaply. */
class SvfLowpass {
  private low = 0;
  private band = 0;
  constructor(private readonly damping: number) {}
  process(x: number, cutoffHz: number): number {
    const f = 2 * Math.sin((Math.PI * Math.min(cutoffHz, SR / 6)) / SR);
    this.low += f * this.band;
    const high = x - this.low - this.damping * this.band;
    this.band += f * high;
    return this.low;
  }
}

/**
 * A naive saw would alias audibly in the upper octaves of a chord; a sum of its harmonics up to maxHz does not (each
 * voice filters far below 10 kHz anyway, so maxHz stays near its cutoff and the sum stays short).
 */
function bandLimitedSaw(phase: number, f: number, maxHz: number): number {
  let s = 0;
  const n = Math.max(1, Math.min(64, Math.floor(maxHz / f)));
  for (let k = 1; k <= n; k++) s += Math.sin(k * phase) / k;
  return (2 / Math.PI) * s;
}

/** Attack–decay–sustain–release gain at t seconds into a note that is held for holdS. */
function adsr(t: number, holdS: number, attackS: number, decayS: number, sustain: number, releaseS: number): number {
  const held = (u: number): number => (u < attackS ? u / attackS : sustain + (1 - sustain) * Math.exp(-(u - attackS) / decayS));
  return t < holdS ? held(t) : held(holdS) * Math.exp(-(t - holdS) / releaseS);
}

/** A band-limited pulse of duty `duty` (its harmonics k at 2 sin(kπ·duty)/(kπ), cosine phase), zero-mean. */
function bandLimitedPulse(phase: number, f: number, maxHz: number, duty: number): number {
  let s = 0;
  const n = Math.max(1, Math.min(64, Math.floor(maxHz / f)));
  for (let k = 1; k <= n; k++) s += (Math.sin(k * Math.PI * duty) / k) * Math.cos(k * phase);
  return (2 / Math.PI) * s;
}

function bassNote(voice: BassVoice, midi: number, holdS: number): Float32Array {
  const f = hz(midi);
  if (voice === 'pulse') return pulseBass(f, holdS);
  const n = Math.round((holdS + 0.3) * SR);
  const out = new Float32Array(n);
  const svf = new SvfLowpass(voice === 'acid' ? 0.25 : 0.9);
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const env = adsr(t, holdS, 0.004, 0.25, voice === 'fmBass' ? 0.5 : 0.7, 0.06);
    let x: number;
    if (voice === 'acid') {
      p1 += (2 * Math.PI * f) / SR;
      x = svf.process(bandLimitedSaw(p1, f, 6000), 220 + 2200 * Math.exp(-t / 0.09)) * 0.8;
    } else if (voice === 'fmBass') {
      p1 += (2 * Math.PI * f) / SR;
      const index = 0.6 + 3 * Math.exp(-t / 0.12);
      x = Math.sin(p1 + index * Math.sin(p1));
    } else {
      p1 += (2 * Math.PI * f * 1.004) / SR;
      p2 += (2 * Math.PI * f * 0.996) / SR;
      p3 += (2 * Math.PI * f) / SR;
      x = svf.process(0.5 * (bandLimitedSaw(p1, f, 2000) + bandLimitedSaw(p2, f, 2000)), 520) + 0.6 * Math.sin(p3);
    }
    out[i] = x * env;
  }
  return out;
}

/** The pulse bass: a 30 % pulse whose low-pass opens at the strike and closes within 60 ms, a plucked synth bass. */
function pulseBass(f: number, holdS: number): Float32Array {
  const n = Math.round((holdS + 0.3) * SR);
  const out = new Float32Array(n);
  const svf = new SvfLowpass(0.5);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    p += (2 * Math.PI * f) / SR;
    out[i] = svf.process(bandLimitedPulse(p, f, 3000, 0.3), 300 + 1200 * Math.exp(-t / 0.06)) * adsr(t, holdS, 0.003, 0.15, 0.6, 0.05);
  }
  return out;
}

/** Drawbar organ partials: [ratio to the note, gain] (16', 8', 5⅓', 4', 2⅔', 2'). */
const DRAWBARS: Array<[number, number]> = [[0.5, 0.3], [1, 1], [1.5, 0.5], [2, 0.7], [3, 0.35], [4, 0.3]];

/** The organ: drawbar partials on one vibrato (6.2 Hz), a key click (the 8th partial for 3 ms), no decay while held. */
function organNote(f: number, holdS: number): Float32Array {
  const n = Math.round((holdS + 0.4) * SR);
  const out = new Float32Array(n);
  const bars = DRAWBARS.filter(([r]) => r * f < 10000);
  const phases = bars.map(() => 0);
  let click = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const vib = 1 + 0.003 * Math.sin(2 * Math.PI * 6.2 * t);
    let s = 0;
    for (let k = 0; k < bars.length; k++) {
      phases[k]! += (2 * Math.PI * f * bars[k]![0] * vib) / SR;
      s += bars[k]![1] * Math.sin(phases[k]!);
    }
    click += (2 * Math.PI * f * 8) / SR;
    out[i] = (0.4 * s + 0.3 * Math.sin(click) * Math.exp(-t / 0.003)) * adsr(t, holdS, 0.008, 1, 1, 0.08);
  }
  return out;
}

function chordNote(voice: ChordVoice, midi: number, holdS: number, rnd: () => number): Float32Array {
  const f = hz(midi);
  if (voice === 'organ') return organNote(f, holdS);
  if ((MALLET_VOICES as readonly string[]).includes(voice)) return malletNote(voice as MalletVoice, f, holdS, rnd);
  const n = Math.round((holdS + (voice === 'sawPad' ? 0.8 : 0.4)) * SR);
  const out = new Float32Array(n);
  if (voice === 'pluck') {
    // Karplus–Strong: a noise burst circulating in a delay line of one period, averaged (damped) each pass.
    const period = Math.max(2, Math.round(SR / f));
    const line = new Float32Array(period);
    for (let i = 0; i < period; i++) line[i] = rnd() * 2 - 1;
    const damping = 0.996;
    for (let i = 0; i < n; i++) {
      const j = i % period;
      const next = line[(j + 1) % period]!;
      const y = line[j]!;
      line[j] = damping * 0.5 * (y + next);
      const t = i / SR;
      out[i] = y * (t < holdS ? 1 : Math.exp(-(t - holdS) / 0.05));
    }
    return out;
  }
  const svf = new SvfLowpass(0.8);
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    if (voice === 'fmPiano') {
      p1 += (2 * Math.PI * f) / SR;
      p2 += (2 * Math.PI * f * 14) / SR;
      const body = Math.sin(p1 + (0.3 + 1.2 * Math.exp(-t / 0.3)) * Math.sin(p1));
      const tine = 0.25 * Math.sin(p2 + 0.8 * Math.sin(p2)) * Math.exp(-t / 0.05);
      out[i] = (body + tine) * adsr(t, holdS, 0.002, 1.2, 0.25, 0.15);
    } else {
      p1 += (2 * Math.PI * f * 1.006) / SR;
      p2 += (2 * Math.PI * f * 0.994) / SR;
      p3 += (2 * Math.PI * f) / SR;
      const saws = (bandLimitedSaw(p1, f, 4000) + bandLimitedSaw(p2, f, 4000) + bandLimitedSaw(p3, f, 4000)) / 3;
      out[i] = svf.process(saws, 900 + 500 * Math.sin((2 * Math.PI * t) / 3)) * adsr(t, holdS, 0.35, 1, 0.8, 0.5);
    }
  }
  return out;
}

/**
 * Renders notes with our voices to a stem (tools/corpus/stem.ts writeStem): `pitched` maps a channel to its voice;
 * drum notes (GM numbers) go to `kit` when given, the modal kit and its crushed cut with the voices of `modal`.
 */
export function renderSynthStem(score: Score, notes: MidiNote[], pitched: Map<number, BassVoice | ChordVoice>, kit: SynthKit | null, wavPath: string, seed: number, modal: ModalKit = MODAL_KIT): void {
  const rnd = lcg(seed);
  const at = secondsOfQuarter(score);
  const out = stemBuffer(notes, at);
  const drumCache = new Map<number, { sound: Float32Array; level: number } | null>();
  for (const n of notes) {
    const startS = at(n.startBeat);
    const start = Math.round(startS * SR);
    const vel = (n.velocity / 127) ** 1.5;
    const voice = pitched.get(n.channel);
    if (voice) {
      const holdS = at(n.startBeat + n.lengthBeats) - startS;
      const isBass = (BASS_VOICES as readonly string[]).includes(voice);
      const s = isBass ? bassNote(voice as BassVoice, n.note, holdS) : chordNote(voice as ChordVoice, n.note, holdS, rnd);
      addAt(out, s, start, vel * (isBass ? 1 : 0.45));
    } else if (kit) {
      if (!drumCache.has(n.note)) drumCache.set(n.note, kit === 'fm' || kit === 'fmTape' ? fmKitSound(n.note, kit) : modalKitSound(n.note, rnd, modal));
      const d = drumCache.get(n.note);
      if (d) addAt(out, d.sound, start, vel * d.level);
    }
  }
  if ((kit === 'modal' || kit === 'crushed') && modal.saturation !== undefined) saturateStem(out, modal.saturation);
  if (kit === 'crushed') crushStem(out, modal.crush);
  writeStem(wavPath, out);
}
