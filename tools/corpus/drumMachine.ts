/**
 * Drum machines of our own for the third holdout set: a song's GM drum notes played by analog-style voices
 * synthesised here (no soundfont has them), so the sets hold kits that neither the corpus's fonts nor the tests'
 * synthetic drums (src/analysis/synth.ts) sound like. A table row per kit. The third holdout set plays 'tight'
 * (short, clicky kick with a driven body, a tonal snare, a four-burst clap) and 'boom' (a long low kick without
 * click, a noisy snare); the corpus (tools/corpus/machineSongs.ts) plays the others: 'punch' (a short pitch drop, a
 * noisy snare with a body), 'sub' (a long gliding sub kick, a clap for the snare), 'lofi' (saturated and
 * bit-crushed, held samples) and 'click' (a very short kick that is mostly click). The hats, ride and crash are the
 * classic six-oscillator metal: square waves at inharmonic ratios, high-passed.
 */
import { Biquad } from '../../src/analysis/filters.js';
import { addAt, lcg, type MidiNote } from '../../src/analysis/synth.js';
import { secondsOfQuarter, stemBuffer, STEM_RATE_HZ, writeStem } from './stem.js';
import type { Score } from './songs.js';

const SR = STEM_RATE_HZ;

interface KickVoice {
  fromHz: number;
  toHz: number;
  sweepS: number;
  decayS: number;
  drive: number;
  clickGain: number;
}
interface SnareVoice {
  tonesHz: [number, number];
  toneDecayS: number;
  noiseLowHz: number;
  noiseDecayS: number;
  noiseGain: number;
}
export interface MachineKit {
  kick: KickVoice;
  snare: SnareVoice;
  clapBursts: number;
  /** The metal's base frequency (the six oscillators sit at fixed ratios of it) and its high-pass. */
  metalHz: number;
  metalHighPassHz: number;
  /** The snare notes play the clap (as many 808-style patterns do); absent: the snare voice. */
  snareIsClap?: boolean;
  /** Each voice through a lo-fi chain: tanh drive, then held samples (rate reduction) and quantisation to `bits`. */
  crush?: { drive: number; holdSamples: number; bits: number };
}

/** Names of the kits; 'tight' and 'boom' are the third holdout set's (their sound must not change). */
export type MachineName = 'tight' | 'boom' | 'punch' | 'sub' | 'lofi' | 'click';

export const DRUM_MACHINES: Record<MachineName, MachineKit> = {
  tight: {
    kick: { fromHz: 190, toHz: 52, sweepS: 0.025, decayS: 0.19, drive: 2.2, clickGain: 0.35 },
    snare: { tonesHz: [185, 331], toneDecayS: 0.06, noiseLowHz: 1500, noiseDecayS: 0.14, noiseGain: 0.7 },
    clapBursts: 4,
    metalHz: 205,
    metalHighPassHz: 7000,
  },
  boom: {
    kick: { fromHz: 95, toHz: 47, sweepS: 0.015, decayS: 0.45, drive: 1.3, clickGain: 0 },
    snare: { tonesHz: [238, 476], toneDecayS: 0.09, noiseLowHz: 2200, noiseDecayS: 0.1, noiseGain: 1 },
    clapBursts: 3,
    metalHz: 240,
    metalHighPassHz: 6000,
  },
  punch: {
    kick: { fromHz: 260, toHz: 56, sweepS: 0.009, decayS: 0.24, drive: 1.7, clickGain: 0.55 },
    snare: { tonesHz: [176, 290], toneDecayS: 0.1, noiseLowHz: 900, noiseDecayS: 0.2, noiseGain: 1.3 },
    clapBursts: 3,
    metalHz: 317,
    metalHighPassHz: 8000,
  },
  sub: {
    kick: { fromHz: 118, toHz: 41, sweepS: 0.06, decayS: 0.75, drive: 1.05, clickGain: 0.08 },
    snare: { tonesHz: [210, 390], toneDecayS: 0.05, noiseLowHz: 1800, noiseDecayS: 0.12, noiseGain: 0.9 },
    clapBursts: 4,
    metalHz: 268,
    metalHighPassHz: 7500,
    snareIsClap: true,
  },
  lofi: {
    kick: { fromHz: 160, toHz: 62, sweepS: 0.02, decayS: 0.28, drive: 3.5, clickGain: 0.25 },
    snare: { tonesHz: [200, 360], toneDecayS: 0.07, noiseLowHz: 1200, noiseDecayS: 0.16, noiseGain: 0.9 },
    clapBursts: 3,
    metalHz: 190,
    metalHighPassHz: 5500,
    crush: { drive: 2.5, holdSamples: 3, bits: 7 },
  },
  click: {
    kick: { fromHz: 320, toHz: 72, sweepS: 0.005, decayS: 0.055, drive: 1.4, clickGain: 0.9 },
    snare: { tonesHz: [240, 455], toneDecayS: 0.03, noiseLowHz: 2500, noiseDecayS: 0.07, noiseGain: 0.8 },
    clapBursts: 4,
    metalHz: 350,
    metalHighPassHz: 9000,
  },
};

/** The kit's lo-fi chain over one voice (in place): drive, sample-and-hold, quantisation. */
function crushed(x: Float32Array, c: NonNullable<MachineKit['crush']>): Float32Array {
  const q = 2 ** (c.bits - 1);
  let held = 0;
  for (let i = 0; i < x.length; i++) {
    if (i % c.holdSamples === 0) held = Math.round((Math.tanh(c.drive * x[i]!) / Math.tanh(c.drive)) * q) / q;
    x[i] = held;
  }
  return x;
}

/** The metal's oscillator ratios (the usual six of analog machines: inharmonic, so no pitch is heard). */
const METAL_RATIOS = [1, 1.483, 1.803, 2.55, 2.634, 3.9];

function kickSound(v: KickVoice, rnd: () => number): Float32Array {
  const n = Math.round(Math.min(1.5, v.decayS * 6) * SR);
  const out = new Float32Array(n);
  const click = Biquad.highpass(1000, 0.9, SR);
  const clickLow = Biquad.lowpass(3500, 0.9, SR);
  let ph = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    ph += (2 * Math.PI * (v.toHz + (v.fromHz - v.toHz) * Math.exp(-t / v.sweepS))) / SR;
    const body = Math.tanh(v.drive * Math.sin(ph) * Math.exp(-t / v.decayS)) / Math.tanh(v.drive);
    const c = t < 0.004 ? clickLow.process(click.process(rnd() * 2 - 1)) * v.clickGain * (1 - t / 0.004) : 0;
    out[i] = body + c;
  }
  return out;
}

function snareSound(v: SnareVoice, rnd: () => number): Float32Array {
  const n = Math.round(0.5 * SR);
  const out = new Float32Array(n);
  const hp = Biquad.highpass(v.noiseLowHz, 0.707, SR);
  const lp = Biquad.lowpass(11000, 0.707, SR);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const tone = 0.5 * (Math.sin(2 * Math.PI * v.tonesHz[0] * t) + 0.6 * Math.sin(2 * Math.PI * v.tonesHz[1] * t)) * Math.exp(-t / v.toneDecayS);
    out[i] = tone + v.noiseGain * lp.process(hp.process(rnd() * 2 - 1)) * Math.exp(-t / v.noiseDecayS);
  }
  return out;
}

function clapSound(bursts: number, rnd: () => number): Float32Array {
  const n = Math.round(0.4 * SR);
  const out = new Float32Array(n);
  const hp = Biquad.highpass(900, 1.2, SR);
  const lp = Biquad.lowpass(2600, 1.2, SR);
  const gapS = 0.011;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const k = Math.floor(t / gapS);
    const env = k < bursts - 1 ? Math.exp(-(t - k * gapS) / 0.004) : Math.exp(-(t - (bursts - 1) * gapS) / 0.12);
    out[i] = 1.6 * lp.process(hp.process(rnd() * 2 - 1)) * (t >= 0 ? env : 0);
  }
  return out;
}

function metalSound(baseHz: number, highPassHz: number, decayS: number, noise: number, rnd: () => number): Float32Array {
  const n = Math.round(Math.min(2.5, decayS * 5) * SR);
  const out = new Float32Array(n);
  const hp1 = Biquad.highpass(highPassHz, 0.707, SR);
  const hp2 = Biquad.highpass(highPassHz, 0.707, SR);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    let s = 0;
    for (const r of METAL_RATIOS) s += Math.sign(Math.sin(2 * Math.PI * baseHz * r * t));
    out[i] = hp2.process(hp1.process(s / 3 + noise * (rnd() * 2 - 1))) * Math.exp(-t / decayS);
  }
  return out;
}

/**
 * Renders `notes` (GM drum note numbers) with kit `name` (or a kit of its own: the drum net's training songs draw
 * them) to a 44.1 kHz stereo WAV (both sides equal, as a font's kit in the middle).
 */
export function renderDrumMachine(name: MachineName | MachineKit, score: Score, notes: MidiNote[], wavPath: string, seed: number): void {
  const kit = typeof name === 'string' ? DRUM_MACHINES[name] : name;
  const rnd = lcg(seed);
  const sounds = new Map<number, Float32Array>();
  const sound = (note: number): Float32Array | null => {
    if (!sounds.has(note)) {
      const clap = note === 39 || (kit.snareIsClap && (note === 38 || note === 40));
      const s =
        note === 35 || note === 36 ? kickSound(kit.kick, rnd)
        : clap ? clapSound(kit.clapBursts, rnd)
        : note === 38 || note === 40 ? snareSound(kit.snare, rnd)
        : note === 42 ? metalSound(kit.metalHz, kit.metalHighPassHz, 0.04, 0.3, rnd)
        : note === 44 ? metalSound(kit.metalHz, kit.metalHighPassHz, 0.025, 0.2, rnd)
        : note === 46 ? metalSound(kit.metalHz, kit.metalHighPassHz, 0.3, 0.3, rnd)
        : note === 51 || note === 59 ? metalSound(kit.metalHz * 1.6, kit.metalHighPassHz * 0.8, 0.7, 0.1, rnd)
        : note === 49 || note === 57 ? metalSound(kit.metalHz * 1.2, kit.metalHighPassHz * 0.6, 1.2, 0.8, rnd)
        : null;
      if (!s) return null;
      sounds.set(note, kit.crush ? crushed(s, kit.crush) : s);
    }
    return sounds.get(note)!;
  };
  const at = secondsOfQuarter(score);
  const out = stemBuffer(notes, at);
  const levels: Record<number, number> = { 42: 0.35, 44: 0.3, 46: 0.35, 51: 0.3, 59: 0.3, 49: 0.5, 57: 0.5 };
  for (const n of notes) {
    const s = sound(n.note);
    if (!s) continue;
    const start = Math.round(at(n.startBeat) * SR);
    const gain = ((n.velocity / 127) ** 1.5) * (levels[n.note] ?? 1);
    addAt(out, s, start, gain);
  }
  writeStem(wavPath, out);
}
