/**
 * The onnxruntime session of the generator, as the worker holds it: opened on the first provider that works
 * (each one that does not is reported with its reason), checked against the manifest, with its input tensors
 * allocated once and refilled in place every frame.
 *
 * onnxruntime-node's `session.run` is synchronous inside the binding (the JS `run` only defers it with
 * setImmediate; measured: a 215 ms run kept a 2 ms interval timer from firing for 217 ms). Session creation
 * blocks likewise. So all of this lives in a worker thread, and the main thread never calls into onnxruntime.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { Manifest } from '../types.js';
import { explainFailure, GPU_PROVIDERS, providerOption, shortReason, unavailableReason, type ProviderHost, type ProviderName } from './providers.js';
import { expectedInputShape, inputSource, KNOWN_INPUTS, slabLayout, type SlabEntry } from './params.js';
import { SeededNormal } from '../randomModel.js';
import type { Fallback, SessionSettings, WebGpuVerdict } from './protocol.js';
import { UserError } from '../../errors.js';

const PROVIDER_START_FAILURE = /adapter|shared library|failed to load|backend not found|not available|no device|driver/i;

/** A problem with the model files themselves (not with a provider): the show cannot start. */
export class ModelError extends Error {
  override name = 'ModelError';
}

export interface OpenOptions {
  generatorFile: string;
  generatorFp16File: string | null;
  manifestFile: string;
  manifest: Manifest;
  session: SessionSettings;
  cacheDir: string | null;
  /** The WebGPU probe's outcome from the main thread (awaited only when WebGPU's turn comes); absent: tried directly. */
  webgpu?: Promise<WebGpuVerdict>;
}

/**
 * The folder holding onnxruntime-node's native binding for this platform (bin/napi-v<N>/<platform>/<arch>, as its
 * dist/binding.js requires it); onnxruntime loads provider libraries from beside it. Null when not found.
 */
export function ortBindingDir(): string | null {
  try {
    const pkgRoot = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    const bin = join(pkgRoot, 'bin');
    for (const napi of readdirSync(bin).filter((d) => d.startsWith('napi-v'))) {
      const dir = join(bin, napi, process.platform, process.arch);
      if (existsSync(join(dir, 'onnxruntime_binding.node'))) return dir;
    }
  } catch {
    // a layout we do not know: let onnxruntime try the provider itself
  }
  return null;
}

let bindingDir: string | null | undefined;

/** A partial optimised model older than this is left over from a killed process (writing one takes seconds). */
const PARTIAL_STALE_MS = 10 * 60_000;

export interface OpenSession {
  session: InferenceSession;
  ep: ProviderName;
  /** The candidate index it was opened at. */
  index: number;
  file: string;
  cached: 'hit' | 'written' | 'off';
}

function sessionOptions(ep: ProviderName, s: SessionSettings, level: SessionSettings['graphOptimization'], optimizedOut?: string): InferenceSession.SessionOptions {
  return {
    executionProviders: [providerOption(ep)],
    intraOpNumThreads: s.threads,
    interOpNumThreads: s.interOpThreads,
    graphOptimizationLevel: level,
    executionMode: 'sequential',
    // Session-level messages at error and above; provider start failures are caught and reported by us.
    logSeverityLevel: 3,
    ...(optimizedOut ? { optimizedModelFilePath: optimizedOut } : {}),
    extra: { session: { intra_op: { allow_spinning: s.spin ? '1' : '0' }, inter_op: { allow_spinning: s.spin ? '1' : '0' } } },
  };
}

/**
 * Cache file for an optimised model: keyed by the model's bytes identity, onnxruntime version, provider, level and
 * the CPU model, since the CPU provider's layout transforms follow the vector width of the CPU that optimised them
 * and a model folder can be shared between machines (a render farm on one network folder).
 */
export function optimizedCachePath(cacheDir: string, file: string, ep: ProviderName, level: string): string {
  const st = statSync(file);
  const key = createHash('sha256')
    .update(`${file}\0${st.size}\0${st.mtimeMs}\0${ort.env.versions.common}\0${process.arch}\0${cpus()[0]?.model ?? ''}\0${ep}\0${level}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, `${basename(file, '.onnx')}.${ep}.${level}.${key}.onnx`);
}

/**
 * Opens a session on one provider. With a cache directory, the first open writes the optimised model and later
 * opens load it with optimisation off (the work is already in it). A cache file that fails to load is removed
 * and the original is used.
 */
async function openOn(ep: ProviderName, file: string, o: OpenOptions): Promise<{ session: InferenceSession; cached: OpenSession['cached'] }> {
  const level = o.session.graphOptimization;
  // Optimised models written with the CPU provider's layout transforms are only valid for that provider and this
  // machine (the key holds both); other providers' compiled nodes cannot be saved, so only CPU is cached.
  if (o.cacheDir && ep === 'cpu' && level !== 'disabled') {
    const cacheFile = optimizedCachePath(o.cacheDir, file, ep, level);
    if (existsSync(cacheFile)) {
      try {
        return { session: await ort.InferenceSession.create(cacheFile, sessionOptions(ep, o.session, 'disabled')), cached: 'hit' };
      } catch {
        rmSync(cacheFile, { force: true });
      }
    }
    // onnxruntime writes the optimised model under a name of this process's own and it is renamed into place once
    // the session opened: two processes starting on a fresh install never read each other's half-written file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(o.cacheDir, { recursive: true });
      // Older optimisations of this file (before it was rebuilt, or by another onnxruntime) are dead weight, and so
      // are partial files a killed process left; another process's file being written now is not touched.
      const prefix = `${basename(file, '.onnx')}.${ep}.${level}.`;
      const staleBeforeMs = Date.now() - PARTIAL_STALE_MS;
      for (const f of readdirSync(o.cacheDir)) {
        const path = join(o.cacheDir, f);
        if (!f.startsWith(prefix) || path === cacheFile) continue;
        if (f.endsWith('.tmp') && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > staleBeforeMs) continue;
        rmSync(path, { force: true });
      }
      const session = await ort.InferenceSession.create(file, sessionOptions(ep, o.session, level, partial));
      try {
        renameSync(partial, cacheFile);
        return { session, cached: 'written' };
      } catch {
        rmSync(partial, { force: true });
        return { session, cached: 'off' };
      }
    } catch (e) {
      rmSync(partial, { force: true });
      // Maybe only the cache could not be written (read-only model folder): try once more without it.
      if (!/protobuf|parse|load model|invalid|corrupt/i.test(String(e))) {
        return { session: await ort.InferenceSession.create(file, sessionOptions(ep, o.session, level)), cached: 'off' };
      }
      throw e;
    }
  }
  return { session: await ort.InferenceSession.create(file, sessionOptions(ep, o.session, level)), cached: 'off' };
}

/**
 * Tries the candidates from `start` on; the first that opens wins. On a GPU provider the fp16 variant is tried
 * first. When even the last candidate fails the model itself is at fault: ModelError naming the file.
 */
export async function openFirstWorking(
  candidates: readonly ProviderName[],
  start: number,
  o: OpenOptions,
  fallbacks: Fallback[],
): Promise<OpenSession> {
  bindingDir ??= ortBindingDir();
  const host: ProviderHost = {
    backends: ort.listSupportedBackends(),
    platform: process.platform,
    bindingDir,
    exists: existsSync,
  };
  let lastError: unknown = null;
  for (let i = start; i < candidates.length; i++) {
    const ep = candidates[i]!;
    if (ep === 'webgpu' && o.webgpu) host.webgpu = await o.webgpu;
    const skip = unavailableReason(ep, host);
    if (skip) {
      fallbacks.push({ ep, reason: skip });
      continue;
    }
    const files = GPU_PROVIDERS.has(ep) && o.generatorFp16File ? [o.generatorFp16File, o.generatorFile] : [o.generatorFile];
    for (const file of files) {
      try {
        const { session, cached } = await openOn(ep, file, o);
        checkSession(session, file, o.manifest, o.manifestFile);
        return { session, ep, index: i, file, cached };
      } catch (e) {
        if (e instanceof ModelError) throw e;
        lastError = e;
        const reason = explainFailure(ep, shortReason(e));
        // A provider that cannot start at all (no device, no library) will not start for the fp32 file either.
        if (PROVIDER_START_FAILURE.test(reason)) {
          fallbacks.push({ ep, reason });
          break;
        }
        fallbacks.push({ ep, reason: `${file === o.generatorFp16File ? 'fp16 variant: ' : ''}${reason}` });
      }
    }
  }
  if (lastError === null) {
    // Every candidate was skipped before trying the model: say why, rather than blame the file.
    throw new UserError(`${o.generatorFile}: no execution provider could run it (${fallbacks.map((f) => `${f.ep}: ${f.reason}`).join('; ')})`);
  }
  throw new ModelError(`${o.generatorFile}: onnxruntime cannot load it (${shortReason(lastError)}); is it a complete ONNX file written by \`latentvj convert\`?`);
}

function sameShape(declared: readonly (number | string)[], expected: readonly number[]): boolean {
  if (declared.length !== expected.length) return false;
  // Symbolic dims (a dynamic batch) accept anything; fixed ones must match.
  return declared.every((d, i) => typeof d === 'string' || d === expected[i]);
}

const fmt = (s: readonly (number | string)[]): string => `[${s.join(', ')}]`;

/** The graph's inputs and output against the manifest: one error naming both files when they disagree. */
export function checkSession(session: InferenceSession, file: string, m: Manifest, manifestFile: string): void {
  for (const meta of session.inputMetadata) {
    const expected = expectedInputShape(meta.name, m);
    if (!inputSource(meta.name, m) || !expected) {
      throw new ModelError(`${file}: unknown input '${meta.name}' (the runtime feeds ${KNOWN_INPUTS})`);
    }
    if (!meta.isTensor) throw new ModelError(`${file}: input '${meta.name}' is not a tensor`);
    if (!sameShape(meta.shape, expected)) {
      throw new ModelError(`${file}: input '${meta.name}' has shape ${fmt(meta.shape)} but ${manifestFile} implies ${fmt(expected)}`);
    }
    if (meta.type !== 'float32') {
      throw new ModelError(`${file}: input '${meta.name}' is ${meta.type}, expected float32`);
    }
  }
  const out = session.outputMetadata.find((o) => o.name === 'rgba');
  if (!out || !out.isTensor) {
    throw new ModelError(`${file}: no 'rgba' output (outputs: ${session.outputNames.join(', ') || 'none'})`);
  }
  if (!sameShape(out.shape, [m.height, m.width, 4]) || out.type !== 'uint8') {
    throw new ModelError(`${file}: output 'rgba' is ${out.type} ${fmt(out.shape)} but ${manifestFile} says uint8 [${m.height}, ${m.width}, 4]`);
  }
}

/** Input tensors allocated once; each run refills them from the shared slab. */
export class InputSet {
  readonly feeds: Record<string, OrtTensor> = {};
  private readonly views: Array<{ src: Float32Array; dst: Float32Array }> = [];

  constructor(
    readonly entries: SlabEntry[],
    slab: Float32Array,
  ) {
    const rng = new SeededNormal(1);
    for (const e of entries) {
      const dst = new Float32Array(e.length);
      this.feeds[e.name] = new ort.Tensor('float32', dst, e.shape);
      if (e.workerFed) {
        // Full-size noise inputs: fixed unit-variance noise, written once.
        rng.fill(dst);
        continue;
      }
      // onnxruntime-node refuses SharedArrayBuffer-backed data ("Invalid argument"), hence one small copy per
      // frame from the slab into these private arrays (a few kilobytes).
      this.views.push({ src: slab.subarray(e.offset, e.offset + e.length), dst });
    }
  }

  refill(): void {
    for (const v of this.views) v.dst.set(v.src);
  }
}

/** The slab layout for a session's declared inputs, in declaration order. */
export function layoutFor(session: InferenceSession, m: Manifest): { entries: SlabEntry[]; length: number } {
  return slabLayout(
    session.inputNames.map((name) => ({ name, shape: expectedInputShape(name, m)! })),
    m,
  );
}

/** A missing or unreadable model is reported as such, before onnxruntime's vaguer message. */
export function assertReadable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw new ModelError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
