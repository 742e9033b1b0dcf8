/**
 * The 'modal' drum kit of tools/corpus/synthVoices.ts and its 'crushed' cut, with every voice's parameters in one
 * record: the kick and snare struck membranes (the partials of a circular membrane, sharp at the strike and settling,
 * under a burst of band-passed noise), clap, hats and cymbals band-passed noise. MODAL_KIT and MODAL_CRUSH are the
 * fourth holdout set's sounds (test/tools/synthVoices.test.ts pins them byte for byte); the drum net's training songs
 * draw kits around them (randomModalKit) so that the net learns a kick and a snare rather than these two.
 */
import { Biquad } from '../../src/analysis/filters.js';
import { scaleToLinearPeak, STEM_RATE_HZ } from './stem.js';

const SR = STEM_RATE_HZ;

/** A struck membrane: fundamental, decay of the lowest mode, pitch bend at the strike, and its noise burst. */
export interface Membrane {
  f0Hz: number;
  decayS: number;
  /** Share by which every partial starts sharp (tension modulation of a hard strike). */
  bendShare: number;
  /** Time constant of the bend's settling. */
  bendS: number;
  noiseGain: number;
  noiseBandHz: [number, number];
  noiseDecayS: number;
  level: number;
}

/** A burst of noise band-passed between lowHz and highHz, decaying with decayS. */
export interface NoiseVoice {
  lowHz: number;
  highHz: number;
  decayS: number;
  level: number;
}

/** Sample-and-hold to holdHz, `bits` of amplitude, after a tanh drive: a sampler of the early eighties, roughly. */
export interface Crush {
  holdHz: number;
  bits: number;
  drive: number;
}

export interface ModalKit {
  kick: Membrane;
  snare: Membrane;
  clap: NoiseVoice;
  closedHat: NoiseVoice;
  pedalHat: NoiseVoice;
  openHat: NoiseVoice;
  /** Drive of a tanh saturation of the whole drum stem (absent: none); the crushed cut drives in its own stage. */
  saturation?: number;
  /** The crushed cut's stage (absent: MODAL_CRUSH). */
  crush?: Crush;
}

export const MODAL_KIT: ModalKit = {
  kick: { f0Hz: 52, decayS: 0.28, bendShare: 0.6, bendS: 0.03, noiseGain: 0.35, noiseBandHz: [1500, 5000], noiseDecayS: 0.003, level: 1 },
  snare: { f0Hz: 196, decayS: 0.12, bendShare: 0.15, bendS: 0.03, noiseGain: 0.9, noiseBandHz: [2500, 10000], noiseDecayS: 0.16, level: 0.9 },
  clap: { lowHz: 1000, highHz: 3000, decayS: 0.09, level: 0.9 },
  closedHat: { lowHz: 7000, highHz: 14000, decayS: 0.045, level: 0.35 },
  pedalHat: { lowHz: 7000, highHz: 14000, decayS: 0.03, level: 0.3 },
  openHat: { lowHz: 6500, highHz: 14000, decayS: 0.35, level: 0.35 },
};
export const MODAL_CRUSH: Crush = { holdHz: 11025, bits: 6, drive: 1.8 };

/** The partial ratios of an ideal circular membrane, the first six modes (J-Bessel zeros over the first). */
const MEMBRANE = [1, 1.594, 2.136, 2.296, 2.653, 2.918];

function membrane(m: Membrane, rnd: () => number): Float32Array {
  const n = Math.round(Math.min(1.2, m.decayS * 5) * SR);
  const out = new Float32Array(n);
  const phases = MEMBRANE.map(() => 0);
  const hp = Biquad.highpass(m.noiseBandHz[0], 0.7, SR);
  const lp = Biquad.lowpass(m.noiseBandHz[1], 0.7, SR);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const bend = 1 + m.bendShare * Math.exp(-t / m.bendS);
    let s = 0;
    for (let k = 0; k < MEMBRANE.length; k++) {
      phases[k]! += (2 * Math.PI * m.f0Hz * MEMBRANE[k]! * bend) / SR;
      s += (Math.sin(phases[k]!) * Math.exp(-t / (m.decayS / (1 + 1.5 * k)))) / (1 + k);
    }
    const noise = m.noiseGain * lp.process(hp.process(rnd() * 2 - 1)) * Math.exp(-t / m.noiseDecayS);
    out[i] = s + noise;
  }
  return out;
}

function bandNoise(lowHz: number, highHz: number, decayS: number, rnd: () => number, bellHz: number[] = []): Float32Array {
  const n = Math.round(Math.min(2.5, decayS * 5) * SR);
  const out = new Float32Array(n);
  const hp = [Biquad.highpass(lowHz, 0.7, SR), Biquad.highpass(lowHz, 0.7, SR)];
  const lp = Biquad.lowpass(highHz, 0.7, SR);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    let bell = 0;
    for (const b of bellHz) bell += 0.08 * Math.sin(2 * Math.PI * b * t);
    out[i] = (lp.process(hp[1]!.process(hp[0]!.process(rnd() * 2 - 1))) + bell) * Math.exp(-t / decayS);
  }
  return out;
}

const noiseVoice = (v: NoiseVoice, rnd: () => number): { sound: Float32Array; level: number } => ({ sound: bandNoise(v.lowHz, v.highHz, v.decayS, rnd), level: v.level });

/** The kit's sound for a GM drum note (null for notes the kit lacks). */
export function modalKitSound(note: number, rnd: () => number, kit: ModalKit = MODAL_KIT): { sound: Float32Array; level: number } | null {
  switch (note) {
    case 35:
    case 36:
      return { sound: membrane(kit.kick, rnd), level: kit.kick.level };
    case 38:
    case 40:
      return { sound: membrane(kit.snare, rnd), level: kit.snare.level };
    case 39:
      return noiseVoice(kit.clap, rnd);
    case 42:
      return noiseVoice(kit.closedHat, rnd);
    case 44:
      return noiseVoice(kit.pedalHat, rnd);
    case 46:
      return noiseVoice(kit.openHat, rnd);
    case 51:
    case 59:
      return { sound: bandNoise(4000, 12000, 0.8, rnd, [412, 587, 733]), level: 0.3 };
    case 49:
    case 57:
      return { sound: bandNoise(2500, 15000, 1.4, rnd), level: 0.5 };
    default:
      return null;
  }
}

/** The crushed cut of a drum stem (scaled to full scale first, so the drive and the steps are the kit's own). */
export function crushStem(x: Float32Array, c: Crush = MODAL_CRUSH): void {
  scaleToLinearPeak(x, 1);
  const hold = Math.round(SR / c.holdHz);
  const steps = 2 ** (c.bits - 1);
  let held = 0;
  for (let i = 0; i < x.length; i++) {
    if (i % hold === 0) held = Math.round(Math.tanh(c.drive * x[i]!) * steps) / steps;
    x[i] = held;
  }
}

/** A tanh saturation of a drum stem at full scale (a driven bus; no quantiser). */
export function saturateStem(x: Float32Array, drive: number): void {
  scaleToLinearPeak(x, 1);
  for (let i = 0; i < x.length; i++) x[i] = Math.tanh(drive * x[i]!);
}

/**
 * A kit drawn around MODAL_KIT for the drum net's training songs: each parameter scaled by a log-uniform factor
 * within its range (kick 38–75 Hz, bend 0.2–1.5 settling in 10–80 ms, click noise 0–0.7; snare 140–300 Hz, noise
 * 0.4–1.6 from 1.2–4.5 kHz, 60–300 ms; the clap's band and decay; hats 4.5–10 kHz, their decays × 0.5–2), a
 * saturation in a third of the kits and, for the crushed cut, hold 6–22 kHz and 4–10 bits.
 */
export function randomModalKit(rnd: () => number): ModalKit {
  const logU = (lo: number, hi: number): number => lo * (hi / lo) ** rnd();
  const k = MODAL_KIT;
  const kick: Membrane = { ...k.kick, f0Hz: logU(38, 75), decayS: logU(0.12, 0.8), bendShare: logU(0.2, 1.5), bendS: logU(0.01, 0.08), noiseGain: rnd() < 0.5 ? 0 : logU(0.1, 0.7), noiseBandHz: [logU(1000, 3000), logU(4000, 9000)], noiseDecayS: logU(0.0015, 0.008) };
  const snareLow = logU(1200, 4500);
  const snare: Membrane = { ...k.snare, f0Hz: logU(140, 300), decayS: logU(0.06, 0.25), bendShare: logU(0.03, 0.5), noiseGain: logU(0.4, 1.6), noiseBandHz: [snareLow, snareLow * logU(2.5, 5)], noiseDecayS: logU(0.06, 0.3), level: logU(0.7, 1.1) };
  const clapLow = logU(700, 1600);
  const clap: NoiseVoice = { lowHz: clapLow, highHz: clapLow * logU(2, 4), decayS: logU(0.05, 0.18), level: logU(0.7, 1.1) };
  const hatLow = logU(4500, 10000);
  const hatDecay = logU(0.5, 2);
  const hat = (v: NoiseVoice): NoiseVoice => ({ lowHz: Math.min(hatLow * (v.lowHz / 7000), 12000), highHz: Math.min(v.highHz * logU(0.8, 1.3), 20000), decayS: v.decayS * hatDecay, level: v.level * logU(0.6, 1.5) });
  return {
    kick,
    snare,
    clap,
    closedHat: hat(k.closedHat),
    pedalHat: hat(k.pedalHat),
    openHat: hat(k.openHat),
    ...(rnd() < 0.33 ? { saturation: logU(1.2, 4) } : {}),
    crush: { holdHz: logU(6000, 22050), bits: 4 + Math.floor(rnd() * 7), drive: logU(1, 4) },
  };
}
