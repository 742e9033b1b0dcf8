/**
 * Execution providers: the order `auto` tries them in, which ones cannot work on this platform or build (so we
 * skip them with a reason instead of paying for a failed load), and the onnxruntime option object for each.
 */
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

/** Why a provider cannot work here, without trying it; null when it is worth a try. */
export function unavailableReason(ep: ProviderName, backends: readonly BackendInfo[], platform: NodeJS.Platform): string | null {
  if (ep === 'cpu') return null;
  if (ep === 'dml' && platform !== 'win32') return 'DirectML needs Windows';
  if (ep === 'coreml' && platform !== 'darwin') return 'CoreML needs macOS';
  const b = backends.find((x) => x.name === ep);
  if (!b) return `not in this onnxruntime-node build (it has ${backends.map((x) => x.name).join(', ')})`;
  // cuda is listed with bundled:false: its provider files come from the install script (skipped with
  // ONNXRUNTIME_NODE_INSTALL=skip); trying costs one failed dlopen and gives onnxruntime's own reason.
  return null;
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
