/** Messages between the generator stage (main thread) and its inference worker. */
import type { Manifest } from '../types.js';
import type { ProviderName } from './providers.js';
import type { SlabEntry } from './params.js';

export interface SessionSettings {
  threads: number;
  interOpThreads: number;
  graphOptimization: 'disabled' | 'basic' | 'extended' | 'all';
  spin: boolean;
}

export interface WorkerInit {
  generatorFile: string;
  /** Tried first on GPU providers. */
  generatorFp16File: string | null;
  manifestFile: string;
  manifest: Manifest;
  candidates: ProviderName[];
  session: SessionSettings;
  /** Directory for optimised models, or null for no cache. */
  cacheDir: string | null;
  warmupRuns: number;
  /** onnxruntime's own logger threshold: 'fatal' normally (our log gives each provider's reason), 'error' with --verbose. */
  ortLogLevel: 'error' | 'fatal';
  /**
   * True when the main thread is probing WebGPU (webgpuProbe.ts) and will send its outcome as a 'webgpu'
   * message; the worker waits for it only when it reaches the WebGPU candidate. False: WebGPU is tried directly.
   */
  webgpuProbed: boolean;
}

export interface Fallback {
  ep: ProviderName;
  reason: string;
}

export type FromWorker =
  | {
      type: 'ready';
      ep: ProviderName;
      file: string;
      fallbacks: Fallback[];
      entries: SlabEntry[];
      slab: SharedArrayBuffer;
      width: number;
      height: number;
      timeOrigin: number;
      loadMs: number;
      warmupMs: number;
      cached: 'hit' | 'written' | 'off';
    }
  | { type: 'fatal'; message: string }
  | {
      type: 'frame';
      frame: number;
      t: number;
      paramsAt: number;
      /** Worker clock (its own performance.timeOrigin). */
      inferStart: number;
      inferEnd: number;
      rgba: Uint8Array;
    }
  | { type: 'fallback'; from: ProviderName; to: ProviderName; reason: string }
  | { type: 'runError'; frame: number; message: string };

export interface WebGpuVerdict {
  ok: boolean;
  reason: string;
}

export type ToWorker =
  | { type: 'run'; frame: number; t: number; paramsAt: number }
  | { type: 'close' }
  | ({ type: 'webgpu' } & WebGpuVerdict);
