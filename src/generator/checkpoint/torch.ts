/**
 * torch.save files without Python: the zip format (`<prefix>/data.pkl` + `<prefix>/data/<key>`, torch ≥ 1.6)
 * and the legacy stream (magic number, protocol version, sys info, pickle, storage keys, raw storages),
 * plus the reducers that turn pickled tensors into lazily materialised float32 tensors.
 */
import { unzipSync } from 'fflate';
import type { Tensor } from '../types.js';
import { halfToFloat } from '../../contracts/npy.js';
import {
  PickleError,
  PyDict,
  PyGlobal,
  PyOpaque,
  asNumber,
  asSequence,
  unpickle,
  type PyValue,
  type Reducer,
  type UnpickleOptions,
} from './pickle.js';

/** Element types of torch storages, by the storage class name torch pickles (torch.FloatStorage…). */
const STORAGE_DTYPES: Record<string, { dtype: string; size: number }> = {
  FloatStorage: { dtype: 'float32', size: 4 },
  DoubleStorage: { dtype: 'float64', size: 8 },
  HalfStorage: { dtype: 'float16', size: 2 },
  BFloat16Storage: { dtype: 'bfloat16', size: 2 },
  LongStorage: { dtype: 'int64', size: 8 },
  IntStorage: { dtype: 'int32', size: 4 },
  ShortStorage: { dtype: 'int16', size: 2 },
  CharStorage: { dtype: 'int8', size: 1 },
  ByteStorage: { dtype: 'uint8', size: 1 },
  BoolStorage: { dtype: 'bool', size: 1 },
};

/** A torch storage: typed flat memory. `bytes` is filled later for legacy streams (data follows the pickle). */
export class TorchStorage extends PyOpaque {
  readonly kind = 'storage';
  bytes: Uint8Array | null = null;
  constructor(
    readonly dtype: string,
    readonly elementSize: number,
    readonly numel: number,
    readonly key: string,
  ) {
    super();
  }
  /** A view into another storage (legacy format view_metadata). */
  viewOf: { root: TorchStorage; offset: number } | null = null;

  /** The raw bytes of this storage (resolving legacy views). */
  data(): Uint8Array {
    if (this.viewOf) {
      const root = this.viewOf.root.data();
      const start = this.viewOf.offset * this.elementSize;
      return root.subarray(start, start + this.numel * this.elementSize);
    }
    if (!this.bytes) throw new PickleError(`storage '${this.key}' has no data`);
    return this.bytes;
  }
}

/** A tensor as pickled: a storage plus offset, shape and strides (in elements). Materialised on demand. */
export class TorchTensor extends PyOpaque {
  readonly kind = 'tensor';
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {
    super();
  }
  get dtype(): string {
    return this.storage.dtype;
  }
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  /** A contiguous float32 copy in C order, converting fp16/bf16/float64/int storages. */
  toTensor(): Tensor {
    return { shape: [...this.shape], data: materialise(this) };
  }
}

function readElement(dtype: string, view: DataView, byteOffset: number): number {
  switch (dtype) {
    case 'float32':
      return view.getFloat32(byteOffset, true);
    case 'float64':
      return view.getFloat64(byteOffset, true);
    case 'float16':
      return halfToFloat(view.getUint16(byteOffset, true));
    case 'bfloat16': {
      const f = new DataView(new ArrayBuffer(4));
      f.setUint32(0, view.getUint16(byteOffset, true) << 16, false);
      return f.getFloat32(0, false);
    }
    case 'int64':
      return Number(view.getBigInt64(byteOffset, true));
    case 'int32':
      return view.getInt32(byteOffset, true);
    case 'int16':
      return view.getInt16(byteOffset, true);
    case 'int8':
      return view.getInt8(byteOffset);
    case 'uint8':
    case 'bool':
      return view.getUint8(byteOffset);
    default:
      throw new PickleError(`unsupported storage dtype ${dtype}`);
  }
}

function materialise(t: TorchTensor): Float32Array {
  const bytes = t.storage.data();
  const size = t.storage.elementSize;
  const n = t.numel;
  if (t.shape.some((d) => !Number.isInteger(d) || d < 0) || t.shape.length !== t.stride.length) {
    throw new PickleError(`tensor with shape [${t.shape.join(', ')}] and strides [${t.stride.join(', ')}]`);
  }
  // Far beyond any StyleGAN2 layer (the largest 1024² conv holds 2.4 M values); a damaged header, not a model.
  if (n > 2 ** 28) throw new PickleError(`tensor of ${n} values (shape [${t.shape.join(', ')}])`);
  if (n === 0) return new Float32Array(0);
  let maxIndex = t.offset;
  for (let d = 0; d < t.shape.length; d++) maxIndex += ((t.shape[d] as number) - 1) * (t.stride[d] as number);
  const available = Math.floor(bytes.length / size);
  if (t.offset < 0 || maxIndex >= available) {
    throw new PickleError(`tensor [${t.shape.join(', ')}] at offset ${t.offset} reaches element ${maxIndex} of a storage with ${available}`);
  }
  const out = new Float32Array(n);
  let contiguous = true;
  for (let d = t.shape.length - 1, expect = 1; d >= 0; d--) {
    if ((t.shape[d] as number) !== 1 && t.stride[d] !== expect) contiguous = false;
    expect *= t.shape[d] as number;
  }
  if (contiguous && t.dtype === 'float32') {
    // Byte copy into the output: storages inside a zip or a pickle are not 4-byte aligned in general.
    const start = t.offset * 4;
    new Uint8Array(out.buffer).set(bytes.subarray(start, start + n * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = t.shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = t.offset;
  for (let i = 0; i < n; i++) {
    out[i] = readElement(t.dtype, view, src * size);
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      src += t.stride[d] as number;
      if ((index[d] as number) < (t.shape[d] as number)) break;
      src -= (t.shape[d] as number) * (t.stride[d] as number);
      index[d] = 0;
    }
  }
  return out;
}

function ints(v: PyValue | undefined, what: string): number[] {
  const seq = asSequence(v);
  if (!seq) throw new PickleError(`${what}: expected a tuple of ints`);
  return seq.map((x) => {
    const n = asNumber(x);
    if (n === null || !Number.isInteger(n)) throw new PickleError(`${what}: expected ints`);
    return n;
  });
}

const rebuildTensor: Reducer = (args) => {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof TorchStorage)) throw new PickleError('_rebuild_tensor: first argument is not a storage');
  return new TorchTensor(storage, asNumber(offset) ?? 0, ints(size, 'tensor size'), ints(stride, 'tensor stride'));
};

/** Describes a storage class global (torch.FloatStorage) or throws. */
export function storageDtype(g: PyValue | undefined): { dtype: string; size: number } {
  if (g instanceof PyGlobal && g.module === 'torch') {
    const d = STORAGE_DTYPES[g.name];
    if (d) return d;
  }
  throw new PickleError(`unsupported storage type ${g instanceof PyGlobal ? g.fullName : String(g)}`);
}

/** Reducers for torch's tensor reconstruction functions (nothing else from torch is ever called). */
export function torchReducers(): Map<string, Reducer> {
  const m = new Map<string, Reducer>();
  m.set('torch._utils._rebuild_tensor_v2', rebuildTensor);
  m.set('torch._utils._rebuild_tensor', rebuildTensor);
  // Parameters wrap a tensor: (data, requires_grad, backward_hooks[, state]).
  const param: Reducer = (args) => args[0] ?? null;
  m.set('torch._utils._rebuild_parameter', param);
  m.set('torch._utils._rebuild_parameter_with_state', param);
  // Tensors with Python state: (func, type, args, state) → call func(args).
  m.set('torch._tensor._rebuild_from_type_v2', (args, g) => {
    const [fn, , inner] = args;
    const r = fn instanceof PyGlobal ? m.get(fn.fullName) : undefined;
    if (!r) throw new PickleError(`${g.fullName}: cannot rebuild with ${fn instanceof PyGlobal ? fn.fullName : 'an unknown function'}`);
    return r(asSequence(inner) ?? [], fn as PyGlobal);
  });
  m.set('torch._utils._rebuild_device_tensor_from_numpy', () => {
    throw new PickleError('tensors pickled as numpy arrays are not supported');
  });
  // torch.storage._load_from_bytes(b): a storage pickled alone as a legacy torch.save stream (NVIDIA pickles).
  m.set('torch.storage._load_from_bytes', (args) => {
    const b = args[0];
    if (!(b instanceof Uint8Array)) throw new PickleError('_load_from_bytes: expected bytes');
    return loadLegacyTorch(b);
  });
  for (const [k, v] of numpyReducers()) m.set(k, v);
  return m;
}

/** numpy scalars and dtypes, which appear among NVIDIA's hyper-parameters (np.float64 gains). */
function numpyReducers(): Map<string, Reducer> {
  const m = new Map<string, Reducer>();
  const scalar: Reducer = (args) => {
    const [dtype, raw] = args;
    const d = dtypeName(dtype);
    if (!(raw instanceof Uint8Array) || !d) throw new PickleError('numpy scalar: expected a dtype and bytes');
    const little = d.order !== '>';
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const kind = d.code[0];
    const size = Number(d.code.slice(1));
    if (raw.length < size) throw new PickleError(`numpy scalar: ${raw.length} bytes for ${d.code}`);
    if (kind === 'f') return size === 8 ? view.getFloat64(0, little) : size === 4 ? view.getFloat32(0, little) : halfToFloat(view.getUint16(0, little));
    if (kind === 'i' || kind === 'u') {
      if (size === 8) {
        const b = kind === 'i' ? view.getBigInt64(0, little) : view.getBigUint64(0, little);
        return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      if (size === 4) return kind === 'i' ? view.getInt32(0, little) : view.getUint32(0, little);
      if (size === 2) return kind === 'i' ? view.getInt16(0, little) : view.getUint16(0, little);
      return kind === 'i' ? view.getInt8(0) : view.getUint8(0);
    }
    if (kind === 'b') return raw[0] !== 0;
    throw new PickleError(`numpy scalar of dtype ${d.code} is not supported`);
  };
  m.set('numpy.core.multiarray.scalar', scalar);
  m.set('numpy._core.multiarray.scalar', scalar);
  return m;
}

/** numpy.dtype('f8', False, True) with BUILD state (3, '<', …) → { code: 'f8', order: '<' }. */
function dtypeName(v: PyValue | undefined): { code: string; order: string } | null {
  if (!v || typeof v !== 'object' || !('args' in v)) return null;
  const code = v.args[0];
  if (typeof code !== 'string') return null;
  const norm = code === 'f' ? 'f4' : code === 'd' ? 'f8' : code === 'e' ? 'f2' : code === 'l' || code === 'q' ? 'i8' : code === 'i' ? 'i4' : code === '?' ? 'b1' : code;
  const state = asSequence(v.state);
  const order = typeof state?.[1] === 'string' ? (state[1] as string) : '<';
  return { code: norm, order };
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/**
 * Reads a legacy (non-zip) torch.save stream: five pickles (magic, protocol 1001, sys info, the object,
 * the storage keys), then for each key an int64 element count and the raw little-endian data.
 */
export function loadLegacyTorch(bytes: Uint8Array, extra: Omit<UnpickleOptions, 'persistentLoad'> = {}): PyValue {
  const magic = unpickle(bytes, 0);
  if (magic.value !== LEGACY_MAGIC && BigInt(typeof magic.value === 'number' ? magic.value : 0) !== LEGACY_MAGIC) {
    throw new PickleError('not a torch.save stream (wrong magic number)');
  }
  const proto = unpickle(bytes, magic.end);
  if (proto.value !== 1001) throw new PickleError(`torch.save protocol version ${String(proto.value)}, expected 1001`);
  const sys = unpickle(bytes, proto.end);
  const littleEndian = sys.value instanceof PyDict ? sys.value.get('little_endian') : true;
  if (littleEndian === false) throw new PickleError('big-endian torch.save streams are not supported');
  const storages = new Map<string, TorchStorage>();
  const obj = unpickle(bytes, sys.end, {
    ...extra,
    reducers: extra.reducers ?? torchReducers(),
    persistentLoad: (pid) => {
      const t = asSequence(pid);
      if (!t || t[0] !== 'storage') {
        if (t && t[0] === 'module') return t[1] ?? null;
        throw new PickleError(`unknown persistent id ${String(t?.[0])}`);
      }
      const [, type, rootKey, , numel, viewMeta] = t;
      const { dtype, size } = storageDtype(type);
      const key = String(rootKey);
      let root = storages.get(key);
      if (!root) {
        root = new TorchStorage(dtype, size, asNumber(numel) ?? 0, key);
        storages.set(key, root);
      }
      const vm = asSequence(viewMeta);
      if (vm) {
        const view = new TorchStorage(dtype, size, asNumber(vm[2]) ?? 0, String(vm[0]));
        view.viewOf = { root, offset: asNumber(vm[1]) ?? 0 };
        return view;
      }
      return root;
    },
  });
  const keys = unpickle(bytes, obj.end);
  const keyList = asSequence(keys.value);
  if (!keyList) throw new PickleError('storage key list missing after the pickle');
  let pos = keys.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const k of keyList) {
    const s = storages.get(String(k));
    if (!s) throw new PickleError(`storage key ${String(k)} was never referenced`);
    if (pos + 8 > bytes.length) throw new PickleError(`truncated: storage ${String(k)} header missing`);
    const count = Number(view.getBigInt64(pos, true));
    pos += 8;
    const nbytes = count * s.elementSize;
    if (pos + nbytes > bytes.length) throw new PickleError(`truncated: storage ${String(k)} needs ${nbytes} bytes, ${bytes.length - pos} left`);
    s.bytes = bytes.subarray(pos, pos + nbytes);
    pos += nbytes;
  }
  return obj.value;
}

/** True when the bytes start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads a zip torch.save file: finds `<prefix>/data.pkl` wherever the prefix is, storages in `<prefix>/data/`. */
export function loadZipTorch(bytes: Uint8Array, extra: Omit<UnpickleOptions, 'persistentLoad'> = {}): PyValue {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new PickleError(`unreadable zip: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pkl = Object.keys(files).filter((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  if (pkl.length !== 1) throw new PickleError(pkl.length ? 'several data.pkl entries in the zip' : 'zip without a data.pkl entry');
  const pklName = pkl[0] as string;
  const prefix = pklName.slice(0, pklName.length - 'data.pkl'.length);
  const order = files[`${prefix}byteorder`];
  if (order && new TextDecoder().decode(order).trim() !== 'little') throw new PickleError('big-endian torch.save archives are not supported');
  const storages = new Map<string, TorchStorage>();
  const value = unpickle(files[pklName] as Uint8Array, 0, {
    ...extra,
    reducers: extra.reducers ?? torchReducers(),
    persistentLoad: (pid) => {
      const t = asSequence(pid);
      if (!t || t[0] !== 'storage') throw new PickleError(`unknown persistent id ${String(t?.[0])}`);
      const [, type, key, , numel] = t;
      const k = String(key);
      const known = storages.get(k);
      if (known) return known;
      const { dtype, size } = storageDtype(type);
      const s = new TorchStorage(dtype, size, asNumber(numel) ?? 0, k);
      const data = files[`${prefix}data/${k}`];
      if (!data) throw new PickleError(`storage ${prefix}data/${k} missing from the zip`);
      if (data.length < s.numel * size) throw new PickleError(`storage ${prefix}data/${k} holds ${data.length} bytes, expected ${s.numel * size}`);
      s.bytes = data;
      storages.set(k, s);
      return s;
    },
  });
  return value.value;
}

/** The magic number as LONG1 writes it (protocol ≥ 2), and as text (protocol 0/1). */
const LEGACY_MAGIC_LONG1 = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const LEGACY_MAGIC_TEXT = 'L119547037146038801333356L';

/** True when the bytes start like a legacy torch.save stream (the magic number is the first pickle). */
export function isLegacyTorch(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 48);
  for (let at = 0; at + LEGACY_MAGIC_LONG1.length <= head.length; at++) {
    if (LEGACY_MAGIC_LONG1.every((v, k) => head[at + k] === v)) return true;
  }
  return new TextDecoder('latin1').decode(head).includes(LEGACY_MAGIC_TEXT);
}

