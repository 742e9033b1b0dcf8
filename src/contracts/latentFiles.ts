/**
 * Latent files as StyleGAN users have them: `.npy` (numpy.save), `.npz` (numpy.savez, e.g. the projector's
 * `projected_w.npz` holding `w` [1, numWs, wDim]) and `.json` (nested arrays). Read into a float32 tensor, then
 * read as z, W or W+ against a model's sizes. Every error names the file and says what was expected.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { UserError } from '../errors.js';
import { parseNpy } from './npy.js';
import type { Tensor } from './model.js';

/** Members of an .npz tried in order when it holds more than one array (the projector writes `w`). */
const NPZ_PREFERRED = ['w', 'ws', 'w_plus', 'latents', 'z'];

function fail(file: string, what: string): never {
  throw new UserError(`${file}: ${what}`);
}

/** Parses a JSON number array of any depth with a regular (rectangular) shape. */
function jsonTensor(value: unknown, file: string): Tensor {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  if (shape.length === 0) fail(file, 'expected a JSON array of latents ([[…], …])');
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') fail(file, `${path || 'value'} is ${JSON.stringify(v)?.slice(0, 40)}; expected a number`);
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      fail(file, `${path || 'the top level'} is not an array of ${shape[depth]} (the arrays are not all the same shape [${shape.join(', ')}])`);
    }
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { shape, data };
}

/** Reads an array from `.npy`, `.npz` or `.json` (by extension; .npy/.npz also by their magic bytes). */
export function readLatentArray(file: string): Tensor {
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(file);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new UserError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  const isNpy = bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e;
  if (isNpy) return parseNpy(bytes, file);
  if (isZip) {
    let members: Record<string, Uint8Array>;
    try {
      members = unzipSync(bytes);
    } catch (e) {
      fail(file, `damaged .npz (zip) archive (${e instanceof Error ? e.message : String(e)})`);
    }
    const arrays = Object.keys(members).filter((n) => n.endsWith('.npy'));
    if (arrays.length === 0) fail(file, `an .npz without arrays (members: ${Object.keys(members).join(', ') || 'none'})`);
    const names = arrays.map((n) => n.replace(/\.npy$/, ''));
    const pick = arrays.length === 1 ? arrays[0]! : NPZ_PREFERRED.map((p) => `${p}.npy`).find((p) => arrays.includes(p));
    if (!pick) fail(file, `an .npz with arrays ${names.join(', ')}; expected one array, or one named ${NPZ_PREFERRED.join(', ')}`);
    return parseNpy(members[pick]!, `${file}:${pick.replace(/\.npy$/, '')}`);
  }
  if (/\.(npy|npz)$/i.test(file)) fail(file, `not a NumPy ${/npz$/i.test(file) ? '.npz (zip)' : '.npy'} file (unknown signature)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    fail(file, `not .npy, .npz or valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return jsonTensor(json, file);
}

/** What a latent array holds, once read against a model. */
export type LatentKind = 'z' | 'w' | 'ws';

export interface LatentBatch {
  kind: LatentKind;
  /** Number of latents. */
  count: number;
  /** count × (zDim | wDim | numWs·wDim), row-major. */
  data: Float32Array;
}

export interface LatentSizes {
  zDim: number;
  wDim: number;
  numWs: number;
}

/**
 * Reads a tensor as latents of the given space. z and w: [dim] or [N, dim] (and [N, 1, dim]); W+: [numWs, wDim]
 * (one) or [N, numWs, wDim]. A W+ tensor whose rows are all the same latent is also accepted as w (NVIDIA's
 * projector saves its single w repeated on every row). Non-finite values are refused with their position.
 */
export function asLatents(t: Tensor, file: string, want: LatentKind, m: LatentSizes): LatentBatch {
  const shape = t.shape;
  const dims = `[${shape.join(', ')}]`;
  const dim = want === 'z' ? m.zDim : m.wDim;
  const last = shape[shape.length - 1];
  if (last !== dim) {
    const expected = want === 'ws' ? `[N, ${m.numWs}, ${m.wDim}] or [${m.numWs}, ${m.wDim}]` : `[N, ${dim}] or [${dim}]`;
    fail(file, `shape ${dims}; expected ${want === 'ws' ? 'W+' : want} latents of this model, ${expected}`);
  }
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (!Number.isFinite(v)) {
      const per = want === 'ws' ? m.numWs * m.wDim : dim;
      fail(file, `latent ${Math.floor(i / per)}, value ${i % per} is ${v}; latents must be finite numbers`);
    }
  }
  if (want === 'ws') {
    const ok = (shape.length === 2 && shape[0] === m.numWs) || (shape.length === 3 && shape[1] === m.numWs);
    if (!ok) fail(file, `shape ${dims}; expected W+ latents [N, ${m.numWs}, ${m.wDim}] or [${m.numWs}, ${m.wDim}]`);
    return { kind: 'ws', count: t.data.length / (m.numWs * m.wDim), data: t.data };
  }
  if (shape.length === 3 && shape[1] === m.numWs && want === 'w') {
    // W+ given where W is wanted: fine when every row repeats the first.
    const n = shape[0]!;
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const base = i * m.numWs * dim;
      for (let r = 1; r < m.numWs; r++) {
        for (let k = 0; k < dim; k++) {
          if (t.data[base + r * dim + k] !== t.data[base + k]) {
            fail(file, `W+ latent ${i} has distinct rows (row ${r} differs from row 0); a bank holds one W per latent — use it with 'latentvj generate --ws' or keep one row`);
          }
        }
      }
      out.set(t.data.subarray(base, base + dim), i * dim);
    }
    return { kind: 'w', count: n, data: out };
  }
  if (shape.length > 3 || (shape.length === 3 && shape[1] !== 1)) fail(file, `shape ${dims}; expected ${want} latents [N, ${dim}] or [${dim}]`);
  return { kind: want, count: t.data.length / dim, data: t.data };
}
