/** Options of the generator graph (what `latentvj convert` asks for), with their defaults in one place. */
import type { ModConvWeights, StyleGan2Model } from '../types.js';
import { UserError } from '../../errors.js';

export type BendPadding = 'reflection' | 'border' | 'zeros';
/** How the constant input is widened for a non-square picture: mirrored tiles (seamless) or plain tiles. */
export type WidenMode = 'mirror' | 'tile';

export interface GraphOptions {
  /** Default-domain opset; GridSample needs ≥ 16 and keeps its opset-16 form up to 19. */
  opset: number;
  /** Names of synthesis convs followed by a bend (an affine GridSample of the feature maps). */
  bendLayers: readonly string[];
  /** Names of synthesis convs with a fadeable random weight perturbation. */
  rewriteLayers: readonly string[];
  /** Noise bank size K per noise layer (entry 0 is the checkpoint's constant noise). */
  noiseBank: number;
  /** Full-size noise maps as inputs (`noise_<i>` [1,1,H,W]) instead of banks; only sensible at low resolution. */
  noiseInputs: boolean;
  /** Spatial noise mask: R regions of M×M. */
  maskRegions: number;
  maskSize: number;
  /** Picture aspect width:height; the constant input is widened (or heightened) to match. */
  aspect: { width: number; height: number };
  widen: WidenMode;
  bendPadding: BendPadding;
  /** Rewrite perturbation R ~ N(−1, σ), drawn once from the seed. */
  rewriteSigma: number;
  rewriteSeed: number;
  /** Seed of the noise bank's random entries. */
  noiseSeed: number;
  /** Also output the raw float image (before clamping) as `image`. */
  imageOutput: boolean;
  /** Layer names whose (post-bend) feature maps become extra outputs `feat_<name>`, for tests and debugging. */
  featureOutputs: readonly string[];
}

/** A convert-time request: layer lists may be left to the defaults. */
export type ConvertOptions = Partial<GraphOptions>;

export const GRAPH_DEFAULTS = {
  opset: 17,
  noiseBank: 4,
  noiseInputs: false,
  maskRegions: 4,
  maskSize: 16,
  aspect: { width: 1, height: 1 },
  widen: 'mirror',
  bendPadding: 'reflection',
  rewriteSigma: 0.5,
  rewriteSeed: 1,
  noiseSeed: 1,
  imageOutput: true,
  featureOutputs: [],
} as const satisfies Omit<GraphOptions, 'bendLayers' | 'rewriteLayers'>;

/** The last conv of each block from 8×8 up to 128×128 (cheap to bend, large visual effect). */
export function defaultBendLayers(convs: readonly ModConvWeights[]): string[] {
  return convs.filter((c) => !c.up && c.resolution >= 8 && c.resolution <= 128).map((c) => c.name);
}

/** The last conv of the 8, 16 and 32 blocks (structure-level rewrites that stay affordable). */
export function defaultRewriteLayers(convs: readonly ModConvWeights[]): string[] {
  return convs.filter((c) => !c.up && c.resolution >= 8 && c.resolution <= 32).map((c) => c.name);
}

/**
 * Parses a layer list from the command line: `all`, `none`, `default`, or comma-separated conv names
 * (`b8.conv1,b16.conv0`) or indices into the synthesis convs. Errors name the flag and the legal names.
 */
export function parseLayerList(spec: string, convs: readonly ModConvWeights[], flag: string, fallback: string[]): string[] {
  const s = spec.trim();
  if (s === 'default') return fallback;
  if (s === 'all') return convs.map((c) => c.name);
  if (s === 'none' || s === '') return [];
  const names = convs.map((c) => c.name);
  const out: string[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    let name: string | undefined;
    if (/^\d+$/.test(part)) name = names[Number(part)];
    else if (names.includes(part)) name = part;
    if (name === undefined) {
      throw new UserError(`${flag}: no synthesis conv '${part}'; expected all, none, default, indices 0..${names.length - 1} or names ${names.join(', ')}`);
    }
    if (!out.includes(name)) out.push(name);
  }
  // Keep execution order, so input rows follow the network.
  return names.filter((n) => out.includes(n));
}

/** Parses `W:H` (e.g. `2:1`). */
export function parseAspect(spec: string): { width: number; height: number } {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(spec);
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new UserError(`--aspect: '${spec}' is not W:H with positive integers (e.g. 2:1)`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/**
 * The picture aspect the checkpoint itself paints: its learned constant's width:height, reduced (4×4 → 1:1; a
 * non-square fork's 4×8 → 2:1). The default, so such checkpoints convert right without --aspect.
 */
export function constAspect(model: StyleGan2Model): { width: number; height: number } {
  const h = model.constInput.shape[1] ?? 4;
  const w = model.constInput.shape[2] ?? h;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(w, h) || 1;
  return { width: w / g, height: h / g };
}

/** The constant input's size after widening: the short side kept, the long side scaled so the aspect holds exactly. */
export function constSize(model: StyleGan2Model, aspect: { width: number; height: number }): { h: number; w: number } {
  const h0 = model.constInput.shape[1] ?? 4;
  const w0 = model.constInput.shape[2] ?? h0;
  const wide = aspect.width >= aspect.height;
  const h = wide ? h0 : (w0 * aspect.height) / aspect.width;
  const w = wide ? (h0 * aspect.width) / aspect.height : w0;
  if (!Number.isInteger(w) || !Number.isInteger(h)) {
    throw new UserError(
      `--aspect ${aspect.width}:${aspect.height}: the ${h0}×${w0} constant input cannot be widened to it in whole pixels; ` +
        `use a ratio like 2:1, 3:2, 5:4, 3:1 or 1:2`,
    );
  }
  return { h, w };
}

export function resolveGraphOptions(model: StyleGan2Model, o: ConvertOptions = {}): GraphOptions {
  const names = model.convs.map((c) => c.name);
  const check = (list: readonly string[], what: string): void => {
    for (const n of list) if (!names.includes(n)) throw new UserError(`${what}: no synthesis conv '${n}' (have ${names.join(', ')})`);
  };
  const bendLayers = o.bendLayers ?? defaultBendLayers(model.convs);
  const rewriteLayers = o.rewriteLayers ?? defaultRewriteLayers(model.convs);
  check(bendLayers, 'bend layers');
  check(rewriteLayers, 'rewrite layers');
  const featureOutputs = o.featureOutputs ?? GRAPH_DEFAULTS.featureOutputs;
  check(featureOutputs, 'feature outputs');
  const r: GraphOptions = {
    ...GRAPH_DEFAULTS,
    aspect: constAspect(model),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    bendLayers: names.filter((n) => bendLayers.includes(n)),
    rewriteLayers: names.filter((n) => rewriteLayers.includes(n)),
    featureOutputs,
  };
  if (!Number.isInteger(r.noiseBank) || r.noiseBank < 1 || r.noiseBank > 64) throw new UserError(`noise bank: ${r.noiseBank} is not an integer in 1..64`);
  if (!Number.isInteger(r.maskRegions) || r.maskRegions < 1) throw new UserError(`mask regions: ${r.maskRegions} is not a positive integer`);
  if (!Number.isInteger(r.maskSize) || r.maskSize < 1) throw new UserError(`mask size: ${r.maskSize} is not a positive integer`);
  if (r.opset < 16 || r.opset > 19) throw new UserError(`opset ${r.opset}: GridSample in its bilinear form needs opset 16..19`);
  constSize(model, r.aspect);
  return r;
}
