/**
 * A small causal bass-note network: per bass frame (every second hop), the bass spectrum's semitone energies C1 …
 * C6 now, two frames back, in the newest frame outside a drum's hold, and their decaying peaks, all in decibels
 * relative to the strongest semitone now; the age of the newest detected kick and snare; the learnt kick pitch; and
 * the hand-made bass chroma (bassChroma.ts) in. 12 activations (sigmoid: is this the bass's pitch class?) out.
 *
 * Why a net: the hand-made rules hold the note before a kick while the kick fills the window and take the lowest
 * salient note for the bass, and each rule that mended one kind of song (a long sub kick's tail, a pizzicato note
 * that has all but died away, a kit whose kicks ring on) cost as much elsewhere. Those cues interact — how long ago
 * the kick came, whether a note was struck with it, whether a low note is the kick's own pitch — and a net trained on
 * many kits and basses weighs them together.
 *
 * Trained by tools/bassnet/train.ts on the chord net's and the drum net's training songs (kept apart from every
 * evaluation set); the weights are committed at models/bassnet/bass-notes.bin, run by mlp.ts (magic "LVBN").
 */
import { fileURLToPath } from 'node:url';
import { BASS_SEMITONES, KICK_PITCH_NOTES, type BassChroma } from './bassChroma.js';
import { Mlp, MlpFile, type MlpWeights } from './mlp.js';

/** Notes of the learnt kick pitch the net reads. */
export const KICK_NOTES = KICK_PITCH_NOTES;
/** Input blocks: four semitone views, then drum ages, the kick pitch and the hand-made chroma. */
const VIEWS = 4;
const AGES = 5;
export const BASS_NET_INPUTS = VIEWS * BASS_SEMITONES + AGES + KICK_NOTES + 12;

/** The committed weights (this module runs from dist/src/analysis: three levels up is the repository). */
export const BASS_NET_FILE = fileURLToPath(new URL('../../../models/bassnet/bass-notes.bin', import.meta.url));

export type BassNetWeights = MlpWeights;
const FILE = new MlpFile({ magic: 0x4e42564c /* "LVBN" */, what: 'bass net', inputs: BASS_NET_INPUTS, outputs: 12, madeBy: 'tools/bassnet/train.ts' }, BASS_NET_FILE);
export const encodeBassNet = (net: BassNetWeights): Uint8Array => FILE.encode(net);
export const decodeBassNet = (bytes: Uint8Array, name: string): BassNetWeights => FILE.decode(bytes, name);
/** Reads (once) and parses the committed weights, or a given file; errors name the file. */
export const loadBassNet = (file?: string): BassNetWeights => FILE.load(file);

/** Decibel span of the semitone views: energies 60 dB under the strongest read 0. */
const SPAN_DB = 60;
/**
 * Per-frame decay of the peak memory: half in 0.4 s (50 bass frames a second at the default hop) — a plucked or struck
 * bass note's attack stays visible for about a beat after its body has fallen under the kick's tail.
 */
const PEAK_HALF_LIFE_S = 0.4;
/**
 * Share of the previous frame's activations kept (an exponential mean over bass frames, 20 ms apart by default: ≈ 30 ms time constant): the
 * net reads one frame at a time and two close candidates trade places from frame to frame. 0.5 against none on the
 * corpus: bass top-1 mean 0.931 → 0.933 (0.75: 0.932).
 */
const KEEP = 0.5;
/** Time constants (s) of the kick and snare age inputs, exp(−age / τ): the kick's thump and its tail. */
const AGE_TAUS_S = [0.08, 0.35];

/**
 * The net as a bass-chroma stage. `step` runs on every hop and acts on the hops where the bass chroma made a frame;
 * `input` holds that frame's input (the training set reads it). Without weights (null) it fills the input only and
 * its chroma is the hand-made one.
 */
export class NetBassChroma {
  /** Max-1 activations (zeros in silence): the record's bass chroma. */
  readonly chroma = new Float32Array(12);
  readonly probs = new Float32Array(12);
  readonly input = new Float32Array(BASS_NET_INPUTS);
  private readonly raw = new Float32Array(12);
  private readonly net: Mlp | null;
  private readonly back: Float64Array[] = [new Float64Array(BASS_SEMITONES), new Float64Array(BASS_SEMITONES)];
  private backPos = 0;
  private readonly clear = new Float64Array(BASS_SEMITONES);
  private readonly peak = new Float64Array(BASS_SEMITONES);
  private readonly peakDecay: number;
  private readonly hopS: number;

  constructor(hopRateHz: number, weights: BassNetWeights | null = loadBassNet()) {
    this.net = weights ? new Mlp(weights) : null;
    this.hopS = 1 / hopRateHz;
    this.peakDecay = Math.pow(0.5, (2 / hopRateHz) / PEAK_HALF_LIFE_S);
  }

  /** `kickAge`, `snareAge`: hops since the newest detected kick (thump) and snare. */
  step(bass: BassChroma, kickAge: number, snareAge: number, silent: boolean): void {
    if (!bass.fresh) return;
    const semis = bass.semis;
    let ref = 0;
    for (let m = 0; m < BASS_SEMITONES; m++) if (semis[m]! > ref) ref = semis[m]!;
    const x = this.input;
    const older = this.back[this.backPos]!;
    const peak = this.peak;
    const d = this.peakDecay;
    for (let m = 0; m < BASS_SEMITONES; m++) {
      const p = peak[m]! * d;
      peak[m] = semis[m]! > p ? semis[m]! : p;
    }
    if (!bass.inKickHold) this.clear.set(semis);
    writeDb(semis, ref, x, 0);
    writeDb(older, ref, x, BASS_SEMITONES);
    writeDb(this.clear, ref, x, 2 * BASS_SEMITONES);
    writeDb(peak, ref, x, 3 * BASS_SEMITONES);
    older.set(semis);
    this.backPos ^= 1;
    let o = VIEWS * BASS_SEMITONES;
    const kickS = kickAge * this.hopS;
    const snareS = snareAge * this.hopS;
    for (const tau of AGE_TAUS_S) {
      x[o++] = Math.exp(-kickS / tau);
      x[o++] = Math.exp(-snareS / tau);
    }
    x[o++] = bass.inKickHold ? 1 : 0;
    const kickNote = bass.kickNote;
    for (let m = 0; m < KICK_NOTES; m++) x[o++] = kickNote[m]!;
    for (let k = 0; k < 12; k++) x[o++] = bass.chroma[k]!;
    if (!this.net) {
      this.chroma.set(bass.chroma);
      return;
    }
    if (silent || ref <= 0) {
      this.chroma.fill(0);
      this.probs.fill(0);
      return;
    }
    const p = this.probs;
    this.net.run(x, this.raw);
    let max = 0;
    for (let k = 0; k < 12; k++) {
      p[k] = KEEP * p[k]! + (1 - KEEP) * this.raw[k]!;
      if (p[k]! > max) max = p[k]!;
    }
    const inv = max > 0 ? 1 / max : 0;
    for (let k = 0; k < 12; k++) this.chroma[k] = p[k]! * inv;
  }
}

/**
 * `src` (an input) transposed by `shift` semitones into `out`: the semitone views and the kick pitch move along their
 * grids (what moves off them drops, what comes in is 0), the hand-made chroma rotates; the drum ages stay. Training
 * augmentation: a bass line in another key, the same kit.
 */
export function transposeBassInput(src: ArrayLike<number>, shift: number, out: Float32Array): void {
  for (let v = 0; v < VIEWS; v++) {
    const at = v * BASS_SEMITONES;
    for (let m = 0; m < BASS_SEMITONES; m++) {
      const j = m - shift;
      out[at + m] = j >= 0 && j < BASS_SEMITONES ? src[at + j]! : 0;
    }
  }
  let o = VIEWS * BASS_SEMITONES;
  for (let k = 0; k < AGES; k++, o++) out[o] = src[o]!;
  for (let m = 0; m < KICK_NOTES; m++) {
    const j = m - shift;
    out[o + m] = j >= 0 && j < KICK_NOTES ? src[o + j]! : 0;
  }
  o += KICK_NOTES;
  const s = ((shift % 12) + 12) % 12;
  for (let pc = 0; pc < 12; pc++) out[o + pc] = src[o + ((pc - s + 12) % 12)]!;
}

/** Energies as 0 … 1 (and above 1 where louder than `ref`), SPAN_DB under `ref` reading 0, from `at` in `out`. */
function writeDb(e: Float64Array, ref: number, out: Float32Array, at: number): void {
  if (ref <= 0) {
    out.fill(0, at, at + BASS_SEMITONES);
    return;
  }
  // Energies are power-like magnitudes summed per semitone: 10·log10 of their ratio.
  const inv = 1 / ref;
  for (let m = 0; m < BASS_SEMITONES; m++) {
    const r = e[m]! * inv;
    const v = r > 0 ? 1 + (10 * Math.log10(r)) / SPAN_DB : 0;
    out[at + m] = v < 0 ? 0 : v > 2 ? 2 : v;
  }
}
