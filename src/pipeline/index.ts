/**
 * One pipeline, one clock. The middle — source → analysis → event hold → control frame → mapper — is built
 * once from the Config and run on the clock it is given:
 *
 *   - the virtual clock (offline.ts): as fast as the CPU goes, nothing dropped, deterministic. `trace`,
 *     `analyze`, `render` and the tests run here;
 *   - the pacing clock (engine.ts): live, frames released on a wall-clock grid; the generator takes the newest.
 *
 * Both step the same Middle (middle.ts): frame k is stamped with its own audio time t = k / fps, sees the
 * features held up to t (newest record at or before t, onset peaks and events since the previous frame — held,
 * not interpolated; see featureHold.ts), takes the controls once, and `dt` is always 1 / fps. A frame is
 * evaluated only once its audio has been heard, so live and offline give the same FrameParams for the same
 * audio and controls.
 *
 * Offline entry point (what `render` needs — FrameParams for k = 0 … N−1 on the virtual clock, with audio):
 *
 *   const p = await openOffline(cfg);                 // cfg.audio.source: a file or 'demo'; cfg.fps, cfg.mapping,
 *   try {                                             // cfg.generator.model as for live
 *     for await (const f of p.run.framesAsync()) {    // f.frame = k, f.t = k / fps, f.params
 *       await encode(f.params);                       // params are valid until two more frames are pulled:
 *     }                                               // copy (copyFrameParams) to keep them longer
 *   } finally {
 *     await p.close();
 *   }
 *   // p.audio: the heard audio (channels after mix and gain, sampleRate, durationS, file for muxing);
 *   // p.model: the model directory and manifest the params are laid out for; p.run.frameCount: N.
 */
import type { Config } from '../config.js';
import type { Features } from '../contracts/features.js';
import type { ControlStage } from '../contracts/stages.js';
import type { Mapper } from '../mapping/index.js';
import { buildAnalysis, buildMapping, resolveModel, type MappingParts, type ModelRef } from './build.js';
import { openOfflineAudio, VirtualRun, type OfflineAudio } from './offline.js';

export { Engine, type EngineStages, type EngineOptions } from './engine.js';
export { Middle, type MiddleFrame } from './middle.js';
export { VirtualRun, openOfflineAudio, type OfflineAudio, type VirtualRunOptions } from './offline.js';
export { buildAnalysis, buildMapping, resolveModel, type MappingParts, type ModelRef } from './build.js';
export { externalTempo } from './tempo.js';
export { openSessionReplay, type SessionReplay, type ReplayOptions } from './replay.js';

export interface OfflineOptions {
  /** Build the mapper (default true); false runs the analysis alone (`analyze`). */
  mapping?: boolean;
  /** A model already resolved (saves reading it twice). */
  model?: ModelRef;
  /** Controls for the mapper (a replay feeds them in `beforeFrame`). */
  control?: ControlStage;
  /** Frames per block fed to the analysis; default `audio.blockSize` of the config. */
  blockSize?: number;
  onFeatures?(f: Features): void;
  beforeFrame?(t: number): void;
}

export interface OfflinePipeline {
  audio: OfflineAudio;
  /** Null when built without mapping. */
  model: ModelRef | null;
  mapper: Mapper | null;
  run: VirtualRun;
  close(): Promise<void>;
}

/** The pipeline of `cfg` on the virtual clock. */
export async function openOffline(cfg: Config, opts: OfflineOptions = {}): Promise<OfflinePipeline> {
  const audio = await openOfflineAudio(cfg.audio);
  let parts: MappingParts | null = null;
  if (opts.mapping !== false) parts = await buildMapping(cfg, { watch: false, model: opts.model ?? (await resolveModel(cfg)) });
  const run = new VirtualRun({
    fps: cfg.fps,
    audio,
    blockSize: opts.blockSize ?? cfg.audio.blockSize,
    analysis: buildAnalysis(cfg),
    ...(parts ? { mapper: parts.mapper } : {}),
    ...(opts.control ? { control: opts.control } : {}),
    ...(opts.onFeatures ? { onFeatures: opts.onFeatures } : {}),
    ...(opts.beforeFrame ? { beforeFrame: opts.beforeFrame } : {}),
  });
  return {
    audio,
    model: parts?.model ?? null,
    mapper: parts?.mapper ?? null,
    run,
    close: async () => {
      await parts?.close();
    },
  };
}
