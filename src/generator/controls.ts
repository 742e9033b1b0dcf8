/**
 * The engine's per-frame controls as one plain settings object for offline pictures (generate, seeds): noise
 * (mode, strength, a spatial mask), a bend, rewrites. Turned into the generator's input arrays here, with the
 * same conventions the mapper uses (contracts/bend.ts, visual/noise.ts), so a picture made with `generate` is the
 * picture the show paints with the same settings.
 */
import type { Manifest } from './types.js';
import { neutralFeeds, type GeneratorFeeds, type NoiseMode } from './graph/inputs.js';
import { bendAspects, writeBendMatrix } from '../contracts/bend.js';
import { rasteriseMask, type MaskShape } from '../visual/noise.js';
import { UserError } from '../errors.js';

export interface BendControl {
  zoom: number;
  /** Turns, counter-clockwise on screen. */
  rotateTurns: number;
  /** Feature-map widths / heights. */
  tx: number;
  ty: number;
  mirrorX: boolean;
  mirrorY: boolean;
  /** Indices into the model's bendable layers; null: all of them. */
  layers: number[] | null;
}

export interface PictureControls {
  noise: NoiseMode;
  noiseSeed: number;
  /** Multiplies every noise layer's strength. */
  noiseStrength: number;
  /** Noise only inside this region (region 0 of the model's mask); null: everywhere. */
  noiseMask: MaskShape | null;
  bend: BendControl | null;
  /** Rewrite strength per rewritable layer index; a missing index is 0. */
  rewrite: Map<number, number>;
  /** Rewrite strength on every rewritable layer (before `rewrite`'s per-layer values); null: none. */
  rewriteAll: number | null;
}

export const NEUTRAL_CONTROLS: Readonly<PictureControls> = {
  noise: 'const',
  noiseSeed: 1,
  noiseStrength: 1,
  noiseMask: null,
  bend: null,
  rewrite: new Map(),
  rewriteAll: null,
};

/** The generator inputs (all but ws) for these controls; throws a UserError when the model lacks what they ask for. */
export function controlFeeds(m: Manifest, c: PictureControls, model: string): GeneratorFeeds {
  const f = neutralFeeds(m, new Float32Array(0), c.noise, c.noiseSeed);
  if (c.noiseStrength !== 1) {
    if (m.numNoise === 0) throw new UserError(`${model}: --noise-strength: this model has no noise layers`);
    for (let i = 0; i < f.noiseStrength.length; i++) f.noiseStrength[i] = f.noiseStrength[i]! * c.noiseStrength;
  }
  if (c.noiseMask) {
    if (m.numNoise === 0) throw new UserError(`${model}: --noise-mask: this model has no noise layers`);
    try {
      rasteriseMask(c.noiseMask, m.maskSize, f.noiseMask, 0);
    } catch (e) {
      const file = c.noiseMask.shape === 'image' ? c.noiseMask.file : 'mask';
      throw new UserError(`--noise-mask ${file}: cannot read it as a PNG (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (c.bend) {
    if (m.numBend === 0) throw new UserError(`${model}: --bend-*: this model was converted without bend layers (convert --bend-layers)`);
    const rows = c.bend.layers ?? Array.from({ length: m.numBend }, (_, i) => i);
    const aspects = bendAspects(m.layers, m.numBend);
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= m.numBend) throw new UserError(`--bend-layers: ${r} is not a bend layer of this model (0..${m.numBend - 1}: ${bendNames(m)})`);
      const b = c.bend;
      writeBendMatrix(f.bend, r * 6, b.zoom, b.rotateTurns, b.tx, b.ty, b.mirrorX, b.mirrorY, aspects[r]);
    }
  }
  if (c.rewriteAll !== null) {
    if (m.numRewrite === 0) throw new UserError(`${model}: --rewrite: this model was converted without rewritable layers (convert --rewrite-layers)`);
    f.rewrite.fill(c.rewriteAll);
  }
  for (const [i, s] of c.rewrite) {
    if (!Number.isInteger(i) || i < 0 || i >= m.numRewrite) {
      throw new UserError(`--rewrite: layer ${i} is not a rewritable layer of this model (${m.numRewrite ? `0..${m.numRewrite - 1}` : 'none; convert --rewrite-layers'})`);
    }
    f.rewrite[i] = s;
  }
  return f;
}

function bendNames(m: Manifest): string {
  return m.layers.filter((l) => l.bendIndex >= 0).sort((a, b) => a.bendIndex - b.bendIndex).map((l) => `${l.bendIndex} ${l.name}`).join(', ');
}

/**
 * `--noise-mask`: left, right, top, bottom (a half), circle[:x,y,r] (centre and radius in 0..1 of the picture),
 * or a PNG file (luma = strength).
 */
export function parseMaskShape(text: string): MaskShape {
  const t = text.trim();
  if (t === 'left' || t === 'right' || t === 'top' || t === 'bottom') return { shape: 'half', side: t, feather: 0.1 };
  const c = /^circle(?::\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+))?$/.exec(t);
  if (c) return { shape: 'circle', x: c[1] ? Number(c[1]) : 0.5, y: c[2] ? Number(c[2]) : 0.5, radius: c[3] ? Number(c[3]) : 0.3, feather: 0.1, invert: false };
  if (/\.png$/i.test(t)) return { shape: 'image', file: t, invert: false };
  throw new UserError(`--noise-mask: '${text}' is not left, right, top, bottom, circle[:x,y,r] or a .png file`);
}
