/**
 * NumPy `.npy` files (format versions 1–3): read into a float32 C-order Tensor, write float32 C-order.
 *
 * Written here rather than taken from npm: the format is a 10-byte preamble, a Python-literal header and raw
 * data, small enough to own in ~100 lines, and we need exactly float32 in C order (converting other dtypes)
 * with errors that name the file.
 *
 * Reading accepts float32/float64/float16 (and integer/bool dtypes) in either byte order and converts to
 * float32; numpy's default `np.random.randn` is float64, so users' z files are often float64.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { Tensor } from './model.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Header of an `.npy` file. */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

/** Parses the preamble and header dict; `name` is used in error messages (usually the file path). */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  const bad = (what: string): UserError => new UserError(`${name}: not a NumPy .npy file (${what})`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('missing the \\x93NUMPY magic');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad('truncated preamble');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw bad(`format version ${major}, expected 1, 2 or 3`);
  }
  if (start + headerLen > bytes.length) throw bad('truncated header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw bad(`header without descr/fortran_order/shape: ${text.trim()}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw bad(`bad shape entry '${s}'`);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + headerLen };
}

/** Decodes one IEEE half float. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Parses a whole `.npy` file into a float32 C-order tensor. */
export function parseNpy(bytes: Uint8Array, name = '<npy>'): Tensor {
  const h = parseNpyHeader(bytes, name);
  if (h.fortranOrder) throw new UserError(`${name}: Fortran-order array; save it in C order (np.ascontiguousarray)`);
  const count = h.shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(h.descr);
  if (!m) throw new UserError(`${name}: dtype '${h.descr}' is not supported, expected float32 (or another plain number type)`);
  const little = m[1] !== '>';
  const kind = m[2];
  const size = Number(m[3]);
  const known =
    (kind === 'f' && (size === 2 || size === 4 || size === 8)) ||
    ((kind === 'i' || kind === 'u') && (size === 1 || size === 2 || size === 4 || size === 8)) ||
    (kind === 'b' && size === 1);
  if (!known) throw new UserError(`${name}: dtype '${h.descr}' is not supported, expected float32`);
  const need = count * size;
  if (h.dataOffset + need > bytes.length) {
    throw new UserError(`${name}: truncated .npy data: shape [${h.shape.join(', ')}] needs ${need} bytes, found ${bytes.length - h.dataOffset}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, need);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    let v: number;
    if (kind === 'f') v = size === 4 ? view.getFloat32(o, little) : size === 8 ? view.getFloat64(o, little) : halfToFloat(view.getUint16(o, little));
    else if (kind === 'b') v = view.getUint8(o) ? 1 : 0;
    else if (size === 1) v = kind === 'i' ? view.getInt8(o) : view.getUint8(o);
    else if (size === 2) v = kind === 'i' ? view.getInt16(o, little) : view.getUint16(o, little);
    else if (size === 4) v = kind === 'i' ? view.getInt32(o, little) : view.getUint32(o, little);
    else v = Number(kind === 'i' ? view.getBigInt64(o, little) : view.getBigUint64(o, little));
    data[i] = v;
  }
  return { shape: h.shape, data };
}

/** Encodes a tensor as a version-1 `.npy` (little-endian float32, C order), as numpy.save would. */
export function encodeNpy(t: Tensor): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`encodeNpy: shape [${t.shape.join(', ')}] holds ${count} values, data has ${t.data.length}`);
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads so that the data starts at a multiple of 64 bytes, ending the header with '\n'.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + count * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  for (let i = 0; i < count; i++) view.setFloat32(base + i * 4, t.data[i] ?? 0, true);
  return out;
}

/** Reads a `.npy` file as float32 C order; errors name the file. */
export async function readNpy(file: string): Promise<Tensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read .npy file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseNpy(bytes, file);
}

/** Writes a tensor as a float32 C-order `.npy` file. */
export async function writeNpy(file: string, t: Tensor): Promise<void> {
  await writeFile(file, encodeNpy(t));
}
