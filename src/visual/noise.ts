import { readFileSync } from 'node:fs';
import { decodePng } from '../contracts/png.js';
import { smoothstep01 } from './interp.js';

/**
 * Noise for the generator's noise banks: each noise layer mixes K fixed unit-variance fields stored in the
 * graph (entry 0 = the checkpoint's constant noise). A loop mixes two independent fields as cos θ·a + sin θ·b,
 * which keeps unit variance for every θ and returns to the start after one turn; the slow and the fast loop are
 * mixed the same way (cos φ, sin φ), and the constant noise against the loops (cos ψ, sin ψ).
 */
export interface NoiseFields {
  constField: number;
  slow: [number, number] | null;
  fast: [number, number] | null;
}

/** Default field choice for a bank of K: 0 constant, 1–2 slow, 3–4 fast (sharing fields with slow when K < 5). */
export function defaultNoiseFields(K: number): NoiseFields {
  if (K >= 5) return { constField: 0, slow: [1, 2], fast: [3, 4] };
  // K = 4 (the converter's default): one random field is shared, so a slow/fast mix is only close to unit variance.
  if (K === 4) return { constField: 0, slow: [1, 2], fast: [2, 3] };
  if (K === 3) return { constField: 0, slow: [1, 2], fast: [1, 2] };
  if (K === 2) return { constField: 0, slow: [0, 1], fast: [0, 1] };
  return { constField: 0, slow: null, fast: null };
}

/** Writes one mix row [K]: loopAmount ψ∈0..1 (0 = constant noise), fastAmount φ∈0..1, loop phases in turns. */
export function writeNoiseRow(
  row: Float32Array,
  offset: number,
  K: number,
  f: NoiseFields,
  loopAmount: number,
  fastAmount: number,
  slowTurns: number,
  fastTurns: number,
): void {
  for (let k = 0; k < K; k++) row[offset + k] = 0;
  if (K === 0) return;
  const psi = (Math.PI / 2) * clamp01(loopAmount);
  const phi = (Math.PI / 2) * clamp01(fastAmount);
  const loops = f.slow ? Math.sin(psi) : 0;
  row[offset + f.constField] = row[offset + f.constField]! + (f.slow ? Math.cos(psi) : 1);
  if (f.slow) {
    const ts = 2 * Math.PI * slowTurns;
    const tf = 2 * Math.PI * fastTurns;
    const fast = f.fast ?? f.slow;
    row[offset + f.slow[0]] = row[offset + f.slow[0]]! + loops * Math.cos(phi) * Math.cos(ts);
    row[offset + f.slow[1]] = row[offset + f.slow[1]]! + loops * Math.cos(phi) * Math.sin(ts);
    row[offset + fast[0]] = row[offset + fast[0]]! + loops * Math.sin(phi) * Math.cos(tf);
    row[offset + fast[1]] = row[offset + fast[1]]! + loops * Math.sin(phi) * Math.sin(tf);
  }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export type MaskShape =
  | { shape: 'full' }
  | { shape: 'circle'; x: number; y: number; radius: number; feather: number; invert: boolean }
  | { shape: 'half'; side: 'left' | 'right' | 'top' | 'bottom'; feather: number }
  | { shape: 'gradient'; direction: 'x' | 'y' | 'radial'; from: number; to: number }
  | { shape: 'image'; file: string; invert: boolean };

/** Softly stepping 1 → 0 as d passes edge, over a band `feather` wide. */
function soft(d: number, edge: number, feather: number): number {
  if (feather <= 0) return d < edge ? 1 : 0;
  return 1 - smoothstep01((d - edge) / feather + 0.5);
}

/** Rasterises a mask at M×M (pixel centres, x right, y down, 0..1). Image masks are read (PNG, luma) by the caller's path. */
export function rasteriseMask(spec: MaskShape, M: number, out: Float32Array, offset: number): void {
  let image: { width: number; height: number; rgba: Uint8Array } | null = null;
  if (spec.shape === 'image') image = decodePng(readFileSync(spec.file));
  for (let j = 0; j < M; j++) {
    const y = (j + 0.5) / M;
    for (let i = 0; i < M; i++) {
      const x = (i + 0.5) / M;
      let v = 1;
      switch (spec.shape) {
        case 'full':
          v = 1;
          break;
        case 'circle': {
          const d = Math.hypot(x - spec.x, y - spec.y);
          v = soft(d, spec.radius, spec.feather);
          if (spec.invert) v = 1 - v;
          break;
        }
        case 'half': {
          const d = spec.side === 'left' ? x : spec.side === 'right' ? 1 - x : spec.side === 'top' ? y : 1 - y;
          v = soft(d, 0.5, spec.feather);
          break;
        }
        case 'gradient': {
          const p = spec.direction === 'x' ? x : spec.direction === 'y' ? y : Math.min(1, 2 * Math.hypot(x - 0.5, y - 0.5));
          v = spec.from + (spec.to - spec.from) * p;
          break;
        }
        case 'image': {
          // Box average of the image pixels that fall in this mask cell.
          const img = image!;
          const x0 = Math.floor((i / M) * img.width);
          const x1 = Math.max(x0 + 1, Math.floor(((i + 1) / M) * img.width));
          const y0 = Math.floor((j / M) * img.height);
          const y1 = Math.max(y0 + 1, Math.floor(((j + 1) / M) * img.height));
          let s = 0;
          let n = 0;
          for (let yy = y0; yy < y1 && yy < img.height; yy++) {
            for (let xx = x0; xx < x1 && xx < img.width; xx++) {
              const p = (yy * img.width + xx) * 4;
              s += (0.2126 * img.rgba[p]! + 0.7152 * img.rgba[p + 1]! + 0.0722 * img.rgba[p + 2]!) / 255;
              n++;
            }
          }
          v = n ? s / n : 0;
          if (spec.invert) v = 1 - v;
          break;
        }
      }
      out[offset + j * M + i] = v;
    }
  }
}
