import type { Manifest } from '../contracts/model.js';

/**
 * Layer ranges in mapping files. A layer number is a row of W+ (0 … numWs−1), the way StyleGAN users count
 * layers (18 for a 1024² model). Named ranges follow Karras et al.'s coarse / middle / fine split by
 * resolution, so a mapping written for one model works on another:
 *   low  = rows 0–3 (4²–8²),  mid = rows 4–7 (16²–32²),  high = rows 8 and up (64² and up).
 * Noise, bend and rewrite targets use the same numbers: a target on `layers: 0-5` reaches every noise input,
 * bendable or rewritable layer of the manifest whose W row is in 0–5.
 */

export const LAYER_NAMES = ['all', 'low', 'mid', 'high'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

/** Syntax of one layer spec, checked by the schema (the manifest is not known there). */
export const LAYER_SPEC_PATTERN = /^\s*(all|low|mid|high|\d+|\d+\s*-\s*\d*|-\s*\d+)(\s*,\s*(all|low|mid|high|\d+|\d+\s*-\s*\d*|-\s*\d+))*\s*$/;

export const LAYER_SPEC_HELP =
  "a layer number (3), a range ('0-5', '8-' to the last, '-3' from the first), all, low, mid, high, or a comma list ('low,12-')";

/**
 * Resolution band of every W row, in the convention StyleGAN users share (Karras et al.: two rows per
 * resolution, rows 0–1 at 4², 2–3 at 8², …), so `low` is rows 0–3 on every model, as in the style-mixing
 * figures, whatever the model's size.
 */
export function wRowResolution(row: number): number {
  return 4 * 2 ** Math.floor(row / 2);
}

/** The W rows of a named band. */
function namedRows(name: LayerName, manifest: Manifest): number[] {
  const all = Array.from({ length: manifest.numWs }, (_, i) => i);
  if (name === 'all') return all;
  if (name === 'low') return all.filter((i) => wRowResolution(i) <= 8);
  if (name === 'mid') return all.filter((i) => wRowResolution(i) > 8 && wRowResolution(i) <= 32);
  return all.filter((i) => wRowResolution(i) > 32);
}

export interface ResolvedLayers {
  /** Sorted W rows, deduplicated, inside 0 … numWs−1. */
  rows: number[];
  /** Rows the spec named that the model does not have (the caller warns once). */
  outside: number[];
}

/** Resolves a spec like 'low,12-' against the manifest. Call only with specs that match LAYER_SPEC_PATTERN. */
export function resolveLayers(spec: string | number | undefined, manifest: Manifest): ResolvedLayers {
  const n = manifest.numWs;
  const rows = new Set<number>();
  const outside: number[] = [];
  const add = (i: number): void => {
    if (i >= 0 && i < n) rows.add(i);
    else outside.push(i);
  };
  const text = spec === undefined ? 'all' : String(spec);
  for (const partRaw of text.split(',')) {
    const part = partRaw.replace(/\s+/g, '');
    if ((LAYER_NAMES as readonly string[]).includes(part)) {
      for (const i of namedRows(part as LayerName, manifest)) rows.add(i);
    } else if (/^\d+$/.test(part)) {
      add(Number(part));
    } else {
      const m = /^(\d*)-(\d*)$/.exec(part);
      if (!m) throw new Error(`bad layer spec '${text}': expected ${LAYER_SPEC_HELP}`);
      const lo = m[1] === '' ? 0 : Number(m[1]);
      const hi = m[2] === '' ? n - 1 : Number(m[2]);
      for (let i = lo; i <= hi; i++) add(i);
    }
  }
  return { rows: [...rows].sort((a, b) => a - b), outside };
}

/** Which element of a per-layer input (noise, bend, rewrite; or the W rows themselves) each manifest layer in `rows` drives. */
export function layerElements(
  rows: number[],
  manifest: Manifest,
  kind: 'noiseIndex' | 'bendIndex' | 'rewriteIndex' | 'wRow',
): number[] {
  if (kind === 'wRow') return rows.filter((r) => r >= 0 && r < manifest.numWs);
  const wanted = new Set(rows);
  const out = new Set<number>();
  for (const layer of manifest.layers ?? []) {
    const idx = layer[kind];
    if (idx >= 0 && wanted.has(layer.wIndex)) out.add(idx);
  }
  return [...out].sort((a, b) => a - b);
}
