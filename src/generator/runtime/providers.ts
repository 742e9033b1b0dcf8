/**
 * Execution providers: the order `auto` tries them in, which ones cannot work on this platform or build (so we
 * skip them with a reason instead of paying for a failed load), and the onnxruntime option object for each.
 */
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { GeneratorConfig } from '../config.js';

export type ProviderName = Exclude<GeneratorConfig['ep'], 'auto'>;

/** Preference order of `--ep auto` (fastest first); CPU always works and comes last. */
export const AUTO_ORDER: readonly ProviderName[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

export const GPU_PROVIDERS: ReadonlySet<ProviderName> = new Set(['cuda', 'dml', 'coreml', 'webgpu']);

/** A backend as onnxruntime-node's listSupportedBackends() reports it. */
export interface BackendInfo {
  name: string;
  bundled: boolean;
}

/**
 * The providers to try, in order. An explicit choice still ends in CPU, so a show started with `--ep cuda` on a
 * machine whose driver broke keeps running (slower) instead of going dark.
 */
export function providerCandidates(ep: GeneratorConfig['ep']): ProviderName[] {
  if (ep === 'auto') return [...AUTO_ORDER];
  return ep === 'cpu' ? ['cpu'] : [ep, 'cpu'];
}

/** What decides, without opening a session, whether a provider is worth a try. */
export interface ProviderHost {
  backends: readonly BackendInfo[];
  platform: NodeJS.Platform;
  /** Folder of onnxruntime-node's native binding (onnxruntime looks for provider libraries beside it); null: unknown. */
  bindingDir: string | null;
  exists: (path: string) => boolean;
  /** The WebGPU probe's outcome (webgpuProbe.ts); absent when it was not run. */
  webgpu?: { ok: boolean; reason: string };
}

/** The files onnxruntime must find beside its binding to load the CUDA provider, per platform. */
export function cudaProviderFiles(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll'];
  return ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];
}

export const CUDA_FILES_MISSING =
  'CUDA provider not installed (npm leaves it out by default; with CUDA 12 + cuDNN 9: npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12)';

/**
 * Why the CUDA provider cannot load, from a look at the binding's folder (its install script puts the provider
 * libraries there): asking onnxruntime instead costs a failed dlopen and a red line of its own on stderr.
 */
export function cudaFilesReason(bindingDir: string | null, platform: NodeJS.Platform, exists: (path: string) => boolean): string | null {
  if (bindingDir === null) return null; // cannot tell: let onnxruntime try
  const missing = cudaProviderFiles(platform).filter((f) => !exists(join(bindingDir, f)));
  if (missing.length === 0) return null;
  const all = cudaProviderFiles(platform).length;
  return missing.length === all ? CUDA_FILES_MISSING : `CUDA provider files incomplete: no ${missing.join(', ')} in ${bindingDir}`;
}

/** Why a provider cannot work here, without trying it; null when it is worth a try. */
export function unavailableReason(ep: ProviderName, host: ProviderHost): string | null {
  if (ep === 'cpu') return null;
  if (ep === 'dml' && host.platform !== 'win32') return 'DirectML needs Windows';
  if (ep === 'coreml' && host.platform !== 'darwin') return 'CoreML needs macOS';
  const b = host.backends.find((x) => x.name === ep);
  if (!b) return `not in this onnxruntime-node build (it has ${host.backends.map((x) => x.name).join(', ')})`;
  // cuda is listed with bundled:false: its provider files come from the install script (left out by the
  // project's .npmrc, or absent for platforms without a CUDA package).
  if (ep === 'cuda') return cudaFilesReason(host.bindingDir, host.platform, host.exists);
  if (ep === 'webgpu' && host.webgpu && !host.webgpu.ok) return explainFailure('webgpu', host.webgpu.reason, host.platform);
  return null;
}

/**
 * onnxruntime's reason, with what a user needs to know when the provider's files are there but it still cannot
 * load (its own logger, which names the missing library, is quiet unless --verbose).
 */
export function explainFailure(ep: ProviderName, reason: string, platform: NodeJS.Platform = process.platform): string {
  if (ep === 'cuda' && /failed to load shared library/i.test(reason)) {
    return `${reason} (the CUDA provider needs the CUDA 12 and cuDNN 9 runtime libraries on the library path; --verbose shows which one is missing)`;
  }
  if (ep === 'webgpu' && /no supported adapters|adapter/i.test(reason)) {
    const driver = platform === 'linux' ? 'a Vulkan driver and the Vulkan loader (Debian/Ubuntu: libvulkan1)' : platform === 'win32' ? 'a Direct3D 12 driver' : 'Metal';
    return `${reason} (WebGPU needs a GPU with ${driver})`;
  }
  return reason;
}

/** onnxruntime's option object for one provider. */
export function providerOption(ep: ProviderName): InferenceSession.ExecutionProviderConfig {
  switch (ep) {
    case 'cuda':
      return { name: 'cuda', deviceId: 0 };
    case 'dml':
      return { name: 'dml', deviceId: 0 };
    case 'coreml':
      return { name: 'coreml' };
    case 'webgpu':
      return { name: 'webgpu' };
    case 'cpu':
      return { name: 'cpu' };
  }
}

/** The first line of an onnxruntime error, without its source-file prefix: enough to say why a provider failed. */
export function shortReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  // e.g. "/onnxruntime_src/.../webgpu_context.cc:136 onnxruntime::...::<lambda()> cond was false. Failed to get ..."
  let cleaned = line.replace(/^\S*\.(cc|h|cpp):\d+\s+\S*(\s*\S*<lambda\(\)>)?\s*/, '');
  // "cond == x was false. Failed to get a WebGPU adapter: ..." → the human half.
  const falseAt = cleaned.indexOf(' was false. ');
  if (falseAt >= 0) cleaned = cleaned.slice(falseAt + ' was false. '.length);
  return cleaned.length > 240 ? cleaned.slice(0, 237) + '...' : cleaned;
}
