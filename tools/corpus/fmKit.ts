/**
 * A drum kit built from phase modulation alone, for the fifth holdout set: no noise generator, no oscillator bank,
 * no membrane partials. The kick is a sine swept down in pitch whose attack is a burst of FM sidebands (a growl, not
 * a click); the snare an inharmonic FM pair (a 2.76 ratio) with "wires" from a sine fed back into its own phase until
 * it turns chaotic; the clap, hats and cymbals are more such chaotic operators and inharmonic pairs, high-passed; the
 * ride a two-operator bell. Unlike the 'modal' kit (struck membranes, band-passed noise) and the drum machines
 * (swept oscillators, clicks, six-square metal), every partial here comes from a modulated sine.
 * 'fmTape' is its lo-fi cut: each sound driven into saturation, darkened by a one-pole low-pass and gated shorter,
 * as a sampler fed from tape would give it back.
 */
import { Biquad } from '../../src/analysis/filters.js';
import { scaleToLinearPeak, STEM_RATE_HZ } from './stem.js';

const SR = STEM_RATE_HZ;
const TAU = 2 * Math.PI;

/**
 * A sine phase-modulated by its own previous sample (feedback FM). Up to a feedback of 2 it is a periodic, saw-like
 * tone; from 3 on it is chaotic, a broad-band noise (spectral flatness 0.43–0.53 at 1.3–9 kHz against 0.00 at 2;
 * averaging the last two samples, as FM synthesisers do to keep it tame, stays periodic up to 3).
 */
class FeedbackOperator {
  private phase = 0;
  private y1 = 0;
  next(hz: number, feedback: number): number {
    this.phase += (TAU * hz) / SR;
    this.y1 = Math.sin(this.phase + feedback * this.y1);
    return this.y1;
  }
}
const CHAOS = 4;

/** A sine carrier at carrierHz phase-modulated by a sine at modulatorHz with the given index. */
class FmPair {
  private pc = 0;
  private pm = 0;
  next(carrierHz: number, modulatorHz: number, index: number): number {
    this.pc += (TAU * carrierHz) / SR;
    this.pm += (TAU * modulatorHz) / SR;
    return Math.sin(this.pc + index * Math.sin(this.pm));
  }
}

function buffer(lengthS: number): Float32Array {
  return new Float32Array(Math.round(lengthS * SR));
}

function kick(): Float32Array {
  const out = buffer(1);
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const hz = 47 + 115 * Math.exp(-t / 0.04);
    phase += (TAU * hz) / SR;
    // Index 3 at the strike gives sidebands to the fifth harmonic for the first 20 ms, then a near-pure sine.
    const index = 0.35 + 2.65 * Math.exp(-t / 0.015);
    out[i] = Math.sin(phase + index * Math.sin(phase)) * (1 - Math.exp(-t / 0.0015)) * Math.exp(-t / 0.3);
  }
  return out;
}

function snare(): Float32Array {
  const out = buffer(0.7);
  const body = new FmPair();
  const wires = new FeedbackOperator();
  const hp = Biquad.highpass(1800, 0.7, SR);
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const hz = 185 * (1 + 0.12 * Math.exp(-t / 0.02));
    const b = body.next(hz, hz * 2.76, 3.5 * Math.exp(-t / 0.06) + 0.3) * Math.exp(-t / 0.09);
    const w = hp.process(wires.next(2900, CHAOS)) * Math.exp(-t / 0.15);
    out[i] = (0.8 * b + 0.9 * w) * (1 - Math.exp(-t / 0.0008));
  }
  return out;
}

function clap(): Float32Array {
  const out = buffer(0.5);
  const op = new FeedbackOperator();
  // Centred near 2 kHz, where a clap's hands are (at 1.3 kHz three fifths of its energy fell below 2 kHz).
  const hp = Biquad.highpass(1000, 0.7, SR);
  const lp = Biquad.lowpass(5500, 0.7, SR);
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    // Three hands 11 ms apart, then the room's tail.
    let env = 0;
    for (const at of [0, 0.011, 0.023]) if (t >= at) env = Math.max(env, Math.exp(-(t - at) / 0.004));
    if (t >= 0.033) env = Math.max(env, 0.6 * Math.exp(-(t - 0.033) / 0.09));
    out[i] = lp.process(hp.process(op.next(1800, CHAOS))) * env;
  }
  return out;
}

function metal(lengthS: number, decayS: number, highPassHz: number, carrierHz: number, ratio: number, index: number, chaosHz: number): Float32Array {
  const out = buffer(lengthS);
  const pair = new FmPair();
  const chaos = new FeedbackOperator();
  const hp = [Biquad.highpass(highPassHz, 0.7, SR), Biquad.highpass(highPassHz, 0.7, SR)];
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const x = 0.5 * pair.next(carrierHz, carrierHz * ratio, index) + 0.5 * chaos.next(chaosHz, CHAOS);
    out[i] = hp[1]!.process(hp[0]!.process(x)) * Math.exp(-t / decayS);
  }
  return out;
}

function ride(): Float32Array {
  const out = buffer(2.5);
  const bell = new FmPair();
  const shimmer = metal(2.5, 0.7, 5000, 6100, 1.43, 6, 7000);
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const b = bell.next(610, 610 * 3.41, 0.6 + 2.2 * Math.exp(-t / 0.4)) * Math.exp(-t / 0.9);
    out[i] = 0.35 * b + shimmer[i]!;
  }
  return out;
}

/** The tape cut of a sound: driven, darkened (one-pole low-pass at lowPassHz) and gated to a shorter decay. */
function tape(x: Float32Array, gateS: number, drive: number, lowPassHz: number): Float32Array {
  const a = 1 - Math.exp((-TAU * lowPassHz) / SR);
  let y = 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    y += a * (Math.tanh(drive * x[i]!) - y);
    out[i] = y * Math.exp(-i / SR / gateS);
  }
  return out;
}

/**
 * The sound (peak 1) and level of a GM drum note in the FM kit or its tape cut; null for notes the kit has no sound
 * for.
 */
export function fmKitSound(note: number, cut: 'fm' | 'fmTape'): { sound: Float32Array; level: number } | null {
  const own = (sound: Float32Array, level: number, gateS: number): { sound: Float32Array; level: number } => {
    scaleToLinearPeak(sound, 1);
    if (cut === 'fm') return { sound, level };
    const taped = tape(sound, gateS, 2.5, 7000);
    scaleToLinearPeak(taped, 1);
    return { sound: taped, level };
  };
  switch (note) {
    case 35:
    case 36:
      return own(kick(), 1, 0.22);
    case 38:
    case 40:
      return own(snare(), 0.85, 0.1);
    case 39:
      return own(clap(), 0.85, 0.15);
    case 42:
      return own(metal(0.3, 0.04, 6500, 5300, 1.402, 5, 9000), 0.35, 0.05);
    case 44:
      return own(metal(0.2, 0.025, 6500, 5300, 1.402, 5, 9000), 0.28, 0.04);
    case 46:
      return own(metal(1.5, 0.32, 6000, 5300, 1.402, 5, 9000), 0.35, 0.2);
    case 51:
    case 59:
      return own(ride(), 0.3, 0.5);
    case 49:
    case 57:
      return own(metal(2.5, 1.3, 3000, 3100, 1.442, 8, 4500), 0.5, 0.6);
    default:
      return null;
  }
}
