/**
 * A small causal kick/snare network: per hop, the drum detector's per-band positive flux of the percussive part and
 * of the whole spectrum, and the whole spectrum's band levels (all relative to the running level), pooled from the
 * detector's 12 bands an octave to third octaves; the flux of this hop and the two before, the levels of this hop
 * and of three hops ago. Out: a kick and a snare onset activation (sigmoid: is a kick / snare onset in the last
 * few hops?). It reads nothing newer than the detector's current frame, so it adds no latency of its own.
 *
 * Trained by tools/drumnet/train.ts on synthetic renders kept apart from every evaluation set; the weights are
 * committed at models/drumnet/drum-onsets.bin and run by mlp.ts (its file format, magic "LVDN"). The input
 * standardisation learnt in training is folded into the first layer.
 */
import { fileURLToPath } from 'node:url';
import { Mlp, decodeMlp, encodeMlp, readMlp, type MlpKind, type MlpWeights } from './mlp.js';

/** Lowest pooled band's edge: the detector's bands below it (one FFT bin each) fall into the first third octave. */
const POOL_FROM_HZ = 40;
/** Pooled bands an octave. */
const POOL_PER_OCTAVE = 3;
/** Hops back (0 = this hop) whose fluxes, and whose levels, the net reads. */
export const FLUX_HOPS = [0, 1, 2] as const;
export const LEVEL_HOPS = [0, 3] as const;
/** Frames the input reaches back over. */
export const HISTORY_HOPS = 4;
/**
 * Time constants (hops) of the slow context: each band's level (what a kick or bass note rises from; read three hops
 * back, before the onset) and its percussive flux (whether a kit is playing: a sub kick and a sine bass note have the
 * same onset, and only the drums around them tell them apart).
 */
const LEVEL_SLOW_HOPS = 30;
const ACTIVITY_HOPS = 150;
/** Hops back of the slow level the net reads. */
const SLOW_LEVEL_HOP = 3;

/**
 * Pooled bands of the committed weights: the detector's bands at 44.1 kHz, the rate the extractor resamples any higher
 * input rate to (resampler.ts), so the committed net runs there too. At lower rates the
 * count differs (22.05 kHz: the top band falls lower, 24 pooled bands; 32 kHz: its finer bins fill the 50 Hz third
 * octave, 26) and the rules alone detect the drums.
 */
export const COMMITTED_POOLED = 25;

export const DRUM_NET_FILE = fileURLToPath(new URL('../../../models/drumnet/drum-onsets.bin', import.meta.url));
export const DRUM_NET_MAGIC = 0x4e44564c; // "LVDN"

/** Pooled band of each detector band: third octaves from POOL_FROM_HZ, empty ones skipped. */
export function poolBands(centreHz: ArrayLike<number>): { of: Int32Array; count: number; size: Float32Array } {
  const raw = Array.from(centreHz, (c) => Math.max(0, Math.floor(POOL_PER_OCTAVE * Math.log2(Math.max(c, 1) / POOL_FROM_HZ))));
  const ids = [...new Set(raw)].sort((a, b) => a - b);
  const of = Int32Array.from(raw, (r) => ids.indexOf(r));
  const size = new Float32Array(ids.length);
  for (const g of of) size[g]!++;
  return { of, count: ids.length, size };
}

/**
 * Floats per hop frame: pooled percussive flux, whole-spectrum flux, whole-spectrum level, its slow mean and the slow
 * mean of the percussive flux.
 */
export const frameFloats = (pooled: number): number => 5 * pooled;
/** Net inputs for `pooled` bands. */
export const netInputs = (pooled: number): number => pooled * (2 * FLUX_HOPS.length + LEVEL_HOPS.length + 2);

/**
 * Fills the net's input from frames `frameAt(k)` (k hops back; null before the stream's start: zeros), each laid out
 * as frameFloats: [percussive flux | whole flux | level | slow level | slow percussive flux], `pooled` values each.
 * Every value enters as its square root: the fluxes are heavy-tailed (mostly near 0, a loud hit hundreds of times a
 * soft one's), and the root brings soft hits nearer the loud ones the net learns from.
 */
export function drumNetInput(frameAt: (k: number) => { data: ArrayLike<number>; at: number } | null, pooled: number, out: Float32Array): void {
  let o = 0;
  for (const k of FLUX_HOPS) {
    const f = frameAt(k);
    for (let i = 0; i < 2 * pooled; i++) out[o++] = f ? Math.sqrt(f.data[f.at + i]!) : 0;
  }
  for (const k of LEVEL_HOPS) {
    const f = frameAt(k);
    for (let i = 0; i < pooled; i++) out[o++] = f ? Math.sqrt(f.data[f.at + 2 * pooled + i]!) : 0;
  }
  const slow = frameAt(SLOW_LEVEL_HOP);
  for (let i = 0; i < pooled; i++) out[o++] = slow ? Math.sqrt(slow.data[slow.at + 3 * pooled + i]!) : 0;
  const now = frameAt(0);
  for (let i = 0; i < pooled; i++) out[o++] = now ? Math.sqrt(now.data[now.at + 4 * pooled + i]!) : 0;
}

export type DrumNetWeights = MlpWeights;
const kindFor = (pooled: number): MlpKind => ({ magic: DRUM_NET_MAGIC, what: 'drum net', inputs: netInputs(pooled), outputs: 2, madeBy: 'tools/drumnet/train.ts' });

export function encodeDrumNet(net: DrumNetWeights): Uint8Array {
  return encodeMlp(net, DRUM_NET_MAGIC);
}

export function decodeDrumNet(bytes: Uint8Array, name: string, pooled: number): DrumNetWeights {
  return decodeMlp(bytes, name, kindFor(pooled));
}

const cached = new Map<number, DrumNetWeights>();

/** Reads (once) and parses the committed weights, or a given file, for `pooled` bands; errors name the file. */
export function loadDrumNet(pooled: number, file = DRUM_NET_FILE): DrumNetWeights {
  const hit = file === DRUM_NET_FILE ? cached.get(pooled) : undefined;
  if (hit) return hit;
  const net = readMlp(file, kindFor(pooled));
  if (file === DRUM_NET_FILE) cached.set(pooled, net);
  return net;
}

/**
 * The net on the detector's bands: `frame` pools one hop's band values, `run` writes the kick and snare activations
 * from the last HISTORY_HOPS frames.
 */
export class DrumNet {
  readonly pooled: number;
  /** This hop's pooled frame (frameFloats values; the dataset tool reads it). */
  readonly frame: Float32Array;
  /** The newest activations (run). */
  kick = 0;
  snare = 0;
  private readonly of: Int32Array;
  private readonly inv: Float32Array;
  /** The square roots of the last HISTORY_HOPS frames, newest first (zeros before the stream's start). */
  private readonly rootHist: Float32Array;
  /** The net's input of the last run (drumNetInput's layout), and where in rootHist each of its values comes from. */
  readonly input: Float32Array;
  private readonly from: Int32Array;
  private readonly out = new Float32Array(2);
  private readonly mlp: Mlp | null;
  /** The slow means (see LEVEL_SLOW_HOPS), carried from hop to hop. */
  private readonly levelSlow: Float32Array;
  private readonly activity: Float32Array;

  /** `weights` null: pooling only (the dataset tool, before a net is trained); absent: the committed ones where they fit. */
  constructor(centreHz: ArrayLike<number>, weights: DrumNetWeights | null | undefined = undefined) {
    const p = poolBands(centreHz);
    this.pooled = p.count;
    this.of = p.of;
    this.inv = p.size.map((s) => 1 / s);
    const F = frameFloats(this.pooled);
    this.frame = new Float32Array(F);
    this.rootHist = new Float32Array(HISTORY_HOPS * F);
    this.input = new Float32Array(netInputs(this.pooled));
    // drumNetInput over frames that hold their own index: where each input value comes from.
    const index = Float32Array.from({ length: HISTORY_HOPS * F }, (_, i) => i * i);
    const at = new Float32Array(this.input.length);
    drumNetInput((k) => ({ data: index, at: k * F }), this.pooled, at);
    this.from = Int32Array.from(at, (v) => Math.round(v));
    this.levelSlow = new Float32Array(this.pooled);
    this.activity = new Float32Array(this.pooled);
    const w = weights === undefined ? (this.pooled === COMMITTED_POOLED ? loadDrumNet(this.pooled) : null) : weights;
    this.mlp = w ? new Mlp(w) : null;
  }

  /** Pools one hop's percussive flux, whole-spectrum flux and levels (per detector band) into `frame` and the history. */
  push(drumFlux: ArrayLike<number>, fullFlux: ArrayLike<number>, level: ArrayLike<number>): void {
    const G = this.pooled;
    const f = this.frame;
    f.fill(0);
    const of = this.of;
    for (let b = 0; b < of.length; b++) {
      const g = of[b]!;
      f[g]! += drumFlux[b]!;
      f[G + g]! += fullFlux[b]!;
      f[2 * G + g]! += level[b]!;
    }
    const a = 1 / LEVEL_SLOW_HOPS;
    const b = 1 / ACTIVITY_HOPS;
    for (let g = 0; g < G; g++) {
      const s = this.inv[g]!;
      f[g]! *= s;
      f[G + g]! *= s;
      f[2 * G + g]! *= s;
      this.levelSlow[g]! += a * (f[2 * G + g]! - this.levelSlow[g]!);
      this.activity[g]! += b * (f[g]! - this.activity[g]!);
      f[3 * G + g] = this.levelSlow[g]!;
      f[4 * G + g] = this.activity[g]!;
    }
    const F = f.length;
    const h = this.rootHist;
    h.copyWithin(F, 0, (HISTORY_HOPS - 1) * F);
    for (let i = 0; i < F; i++) h[i] = Math.sqrt(f[i]!);
  }

  /** Whether the net has weights (else its activations stay 0 and the rules alone detect the drums). */
  get active(): boolean {
    return this.mlp !== null;
  }

  /** Sets `kick` and `snare` (activations, 0..1) from the frames pushed so far; zeros without weights or where `silent`. */
  run(silent = false): void {
    if (!this.mlp || silent) {
      this.kick = 0;
      this.snare = 0;
      return;
    }
    const x = this.input;
    const from = this.from;
    const h = this.rootHist;
    for (let i = 0; i < x.length; i++) x[i] = h[from[i]!]!;
    this.mlp.run(x, this.out);
    this.kick = this.out[0]!;
    this.snare = this.out[1]!;
  }
}

/**
 * Picks onsets from an activation: an event where it rises through `threshold` (the first hop at or above it after
 * one below), at least `minIoiHops` after the last. The first hop over the threshold is the earliest the net is
 * sure, so the event's latency is the net's own.
 */
export class ActivationPicker {
  private prev = 0;
  private last = -1e9;
  private n = 0;

  constructor(
    readonly threshold: number,
    readonly minIoiHops: number,
  ) {}

  /** Whether the newest activation crossed the threshold, fired or not (within the least interval of the last). */
  crossed = false;

  push(act: number, allowed: boolean): boolean {
    this.crossed = allowed && act >= this.threshold && this.prev < this.threshold;
    const fire = this.crossed && this.n - this.last >= this.minIoiHops;
    if (fire) this.last = this.n;
    this.prev = act;
    this.n++;
    return fire;
  }
}
