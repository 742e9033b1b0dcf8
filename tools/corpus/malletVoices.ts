/**
 * Struck bars and bells synthesised for the chord net's training songs only (tools/chordnet/trainSongs.ts): pitched
 * percussion whose overtones are not harmonics, so a chord on them puts strong partials on pitch classes that are
 * not chord tones. Each voice sums the lowest modes of its vibrating body, each decaying on its own (higher modes
 * faster), after a short noise strike. Mode ratios are the textbook ones (Fletcher & Rossing, "The Physics of Musical
 * Instruments", ch. 19 and 21): a free uniform bar 1 : 2.756 : 5.404; a xylophone bar undercut so its first overtone
 * is the twelfth (1 : 3, the modes above untuned); marimba and vibraphone bars undercut to two octaves (1 : 4, then
 * about 10), the vibraphone with its motor's tremolo; a church bell's hum, prime, minor-third tierce, quint, nominal
 * and the mode above it (0.5 : 1 : 1.2 : 1.5 : 2 : about 2.5).
 * No evaluation set plays them (a test checks); tines (music box, kalimba: 1 : 6.27 : 17.55) are left out of
 * training on purpose, so the fifth kept-apart set's music box tests how far bars and bells carry over.
 */
import { STEM_RATE_HZ } from './stem.js';

const SR = STEM_RATE_HZ;

export const MALLET_VOICES = ['freeBar', 'tunedBar', 'vibes', 'bell'] as const;
export type MalletVoice = (typeof MALLET_VOICES)[number];

interface Body {
  /** Mode frequencies over the note's: [low, high] per mode, drawn per note between them (equal where tuned). */
  ratios: ReadonlyArray<readonly [number, number]>;
  /** Mode amplitudes at the strike: [low, high] per mode, drawn per note. */
  gains: ReadonlyArray<readonly [number, number]>;
  /** Decay time constant of the lowest mode, s; mode k decays in decayS / ratio_k^0.8 (damping grows with pitch). */
  decayS: number;
  tremoloHz: number;
}

/**
 * A maker tunes a bar's lowest two or three modes; the ones above land where the bar's shape puts them, bar by bar
 * (so per note here), and a soundfont's samples keep them wherever they fell (FluidR3's xylophone rings at 5.8
 * times its note, 5–16 dB under it, a tritone over the note's octaves).
 */
const BODIES: Record<MalletVoice, Body> = {
  freeBar: {
    ratios: [[1, 1], [2.7, 2.8], [5.2, 5.6]],
    gains: [[1, 1], [0.2, 0.8], [0.1, 0.5]],
    decayS: 1.6,
    tremoloHz: 0,
  },
  tunedBar: {
    ratios: [[1, 1], [3, 3], [5.4, 7], [8, 9]],
    gains: [[1, 1], [0.1, 0.4], [0.1, 0.9], [0.05, 0.3]],
    decayS: 0.45,
    tremoloHz: 0,
  },
  vibes: { ratios: [[1, 1], [4, 4], [9, 10.6]], gains: [[1, 1], [0.1, 0.4], [0.05, 0.3]], decayS: 2.2, tremoloHz: 5.5 },
  bell: {
    ratios: [[0.5, 0.5], [1, 1], [1.2, 1.2], [1.5, 1.5], [2, 2], [2.4, 2.7]],
    gains: [[0.3, 0.6], [0.4, 0.8], [0.3, 0.7], [0.1, 0.4], [0.7, 1], [0.1, 0.5]],
    decayS: 2.5,
    tremoloHz: 0,
  },
};

/**
 * One note of `voice` at `hz`, held for holdS then damped (80 ms time constant); untuned modes' frequencies and
 * every mode's level drawn per note (`rnd`), as bars and the strike point vary.
 */
export function malletNote(voice: MalletVoice, hz: number, holdS: number, rnd: () => number): Float32Array {
  const body = BODIES[voice];
  const n = Math.round((holdS + 0.3) * SR);
  const out = new Float32Array(n);
  const nyquistHz = SR / 2;
  for (let m = 0; m < body.ratios.length; m++) {
    const [rLo, rHi] = body.ratios[m]!;
    const [gLo, gHi] = body.gains[m]!;
    const ratio = rLo + (rHi - rLo) * rnd();
    const gain = gLo + (gHi - gLo) * rnd();
    const f = hz * ratio;
    if (f >= nyquistHz * 0.9) continue;
    const decayS = body.decayS / ratio ** 0.8;
    const w = (2 * Math.PI * f) / SR;
    const phase = rnd() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      const t = i / SR;
      const damp = t < holdS ? 1 : Math.exp(-(t - holdS) / 0.08);
      out[i]! += gain * Math.sin(w * i + phase) * Math.exp(-t / decayS) * damp;
    }
  }
  const strikeS = 0.002;
  const strikeEnd = Math.min(n, Math.round(strikeS * 5 * SR));
  for (let i = 0; i < strikeEnd; i++) out[i]! += 0.3 * (rnd() * 2 - 1) * Math.exp(-i / SR / strikeS);
  if (body.tremoloHz > 0) {
    for (let i = 0; i < n; i++) out[i]! *= 1 - 0.35 * (0.5 + 0.5 * Math.sin((2 * Math.PI * body.tremoloHz * i) / SR));
  }
  return out;
}
