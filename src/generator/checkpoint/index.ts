/**
 * Reads a StyleGAN2 checkpoint (rosinality `.pt` or NVIDIA `.pkl`) into the normalised StyleGan2Model,
 * in TypeScript only: nothing from the file is ever executed. Any failure is one UserError line naming the
 * file and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { StyleGan2Model } from '../types.js';
import { UserError } from '../../errors.js';
import { PickleError, PyDict, PyObject, asMap, unpickle, type PyGlobal, type PyValue } from './pickle.js';
import { TorchTensor, isLegacyTorch, isZip, loadLegacyTorch, loadZipTorch, torchReducers } from './torch.js';
import { StateDict } from './weights.js';
import { rosinalityModel } from './rosinality.js';
import { nvidiaModel, nvidiaReducers } from './nvidia.js';

export { TorchTensor, TorchStorage, loadLegacyTorch, loadZipTorch } from './torch.js';
export { unpickle } from './pickle.js';

const EXPECTED = 'expected a StyleGAN2 checkpoint: a rosinality .pt (torch.save with g_ema) or an NVIDIA .pkl (with G_ema)';

/** Escapes control characters, so text taken from a damaged file cannot break the one-line message. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Refuses TensorFlow-era pickles as soon as their first dnnlib.tflib global appears. */
function refuseTensorFlow(file: string): (g: PyGlobal) => void {
  return (g) => {
    if (g.module.startsWith('dnnlib.tflib') || g.module.startsWith('tensorflow')) {
      throw new UserError(
        `${file}: a TensorFlow-era StyleGAN pickle (${g.fullName}); convert it to PyTorch first with NVIDIA's stylegan2-ada-pytorch legacy.py (python legacy.py --source=${basename(file)} --dest=converted.pkl)`,
      );
    }
  };
}

/** Parses the file's bytes into a Python value: zip or legacy torch.save, or a plain pickle. */
export function loadPythonObject(bytes: Uint8Array, file: string): PyValue {
  const onGlobal = refuseTensorFlow(file);
  const reducers = nvidiaReducers(torchReducers());
  let kind = 'pickle';
  try {
    if (isZip(bytes)) {
      kind = 'torch.save zip archive';
      return loadZipTorch(bytes, { reducers, onGlobal });
    }
    if (isLegacyTorch(bytes)) {
      kind = 'legacy torch.save stream';
      return loadLegacyTorch(bytes, { reducers, onGlobal });
    }
    if (bytes.length >= 2 && bytes[0] === 0x80 && (bytes[1] as number) >= 2 && (bytes[1] as number) <= 5) {
      return unpickle(bytes, 0, {
        reducers,
        onGlobal,
        persistentLoad: () => {
          throw new PickleError('a persistent id in a plain pickle (a torch.save stream without its header?)');
        },
      }).value;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    // PickleError, and RangeError/TypeError from reading past a damaged structure: all mean a bad file.
    const message = e instanceof Error ? e.message : String(e);
    const state = /truncated|invalid zip data|unexpected EOF|out of bounds|outside the bounds/i.test(message) ? 'truncated or damaged' : 'damaged';
    throw new UserError(`${file}: ${state} ${kind} (${oneLine(message)}); ${EXPECTED}`, { cause: e });
  }
  if (bytes.length >= 262 && new TextDecoder('latin1').decode(bytes.subarray(257, 262)) === 'ustar') {
    throw new UserError(`${file}: a tar-format torch.save file (PyTorch < 0.4); re-save it with a recent PyTorch. ${EXPECTED}`);
  }
  throw new UserError(`${file}: not a PyTorch checkpoint or pickle (unknown file signature); ${EXPECTED}`);
}

/** Collects the tensors of a state dict (name → tensor), ignoring non-tensor entries. */
export function stateDictTensors(v: PyValue | undefined): Map<string, TorchTensor> | null {
  const m = asMap(v);
  if (!m) return null;
  const out = new Map<string, TorchTensor>();
  for (const [k, t] of m) if (typeof k === 'string' && t instanceof TorchTensor) out.set(k, t);
  return out;
}

/** Reads and normalises a checkpoint. Throws UserError (one line, naming the file) for anything unreadable. */
export async function readCheckpoint(file: string): Promise<StyleGan2Model> {
  try {
    return await readCheckpointUnchecked(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // A structure damaged in a way no check above names (a wrong type where a tensor should be…).
    throw new UserError(`${file}: damaged checkpoint (${oneLine(e instanceof Error ? e.message : String(e))}); ${EXPECTED}`, { cause: e });
  }
}

async function readCheckpointUnchecked(file: string): Promise<StyleGan2Model> {
  let bytes: Uint8Array;
  try {
    const buf = await readFile(file);
    // A plain Uint8Array view: Buffer.slice shares memory, which the readers must not rely on.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new UserError(`${file}: cannot read checkpoint (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const root = loadPythonObject(bytes, file);
  const top = asMap(root);
  if (top?.has('g_ema')) {
    const tensors = stateDictTensors(top.get('g_ema'));
    if (!tensors || tensors.size === 0) throw new UserError(`${file}: 'g_ema' is not a state dict of tensors; ${EXPECTED}`);
    const avg = top.get('latent_avg');
    const latentAvg = avg instanceof TorchTensor ? avg.toTensor() : null;
    return rosinalityModel(new StateDict(file, 'g_ema', tensors), latentAvg, { format: 'rosinality', file, sha256 });
  }
  if (top?.has('G_ema')) {
    return nvidiaModel(top.get('G_ema') ?? null, { format: 'nvidia', file, sha256 });
  }
  if (root instanceof PyObject && root.className.startsWith('dnnlib.tflib')) refuseTensorFlow(file)(root.cls as PyGlobal);
  const keys = top ? [...top.keys()].filter((k) => typeof k === 'string').slice(0, 8).join(', ') : '';
  const what = top ? `a dict with keys {${keys}}` : root instanceof PyDict ? 'an empty dict' : describe(root);
  throw new UserError(`${file}: holds ${what}; ${EXPECTED}`);
}

function describe(v: PyValue): string {
  if (v instanceof PyObject) return `an object of class ${v.className}`;
  if (v instanceof TorchTensor) return 'a single tensor';
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'None';
  return `a ${typeof v}`;
}
