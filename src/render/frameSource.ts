/**
 * Where `render` gets its frames' params: the narrow interface the renderer depends on, and its implementation
 * over the offline trace path (the whole file analysed, then the mapper stepped on a virtual clock at
 * t = k/fps with the features held between frames, as `latentvj trace` does). The shared pipeline plugs in by
 * implementing `FrameSource`; nothing else in src/render/ knows where params come from.
 */
import type { Features } from '../contracts/features.js';
import type { ControlStage } from '../contracts/stages.js';
import { UserError } from '../errors.js';
import { existsSync } from 'node:fs';
import type { AnalysisConfig } from '../analysis/config.js';
import { audioConfigSchema } from '../audio/config.js';
import { createAnalysis } from '../analysis/index.js';
import { Middle } from '../pipeline/middle.js';
import { VirtualRun } from '../pipeline/offline.js';
import type { Manifest } from '../generator/types.js';
import type { Mapper } from '../mapping/index.js';
import type { FrameParams } from '../visual/types.js';

/**
 * The frames of one render, in order. Frame k (0-based) shows the state at audio time `startS + k/fps`; the
 * renderer pulls every frame, never skips one, and copies what it keeps: a yielded object (and its arrays) is
 * valid until the next one is pulled.
 */
export interface FrameSource {
  readonly fps: number;
  readonly frameCount: number;
  /** Audio time of frame 0 (s): on the frame grid of the whole track, so a partial render is a slice of a full one. */
  readonly startS: number;
  frames(): AsyncIterable<FrameParams>;
  close(): Promise<void>;
}

/** The demo track as a WAV in `dir` (for ffmpeg to mux), at the rate the pipeline heard it. */
export async function writeDemoWav(dir: string, sampleRate: number): Promise<string> {
  const { writeDemoTrack } = await import('../audio/demo.js');
  return writeDemoTrack(dir, { sampleRate }).wavPath;
}

export interface DecodedTrack {
  sampleRate: number;
  channels: Float32Array[];
  durationS: number;
  /** The file to mux the audio from (a WAV written for the demo track). */
  file: string;
}

/** The audio of a render: a file the audio stage decodes, or `demo` for the built-in demo track. */
export async function loadTrack(spec: string, demoWavDir: string): Promise<DecodedTrack> {
  if (spec === 'demo') {
    const { writeDemoTrack, renderDemoTrack } = await import('../audio/demo.js');
    const r = renderDemoTrack();
    const { wavPath } = writeDemoTrack(demoWavDir);
    return { sampleRate: r.sampleRate, channels: r.channels, durationS: r.channels[0]!.length / r.sampleRate, file: wavPath };
  }
  if (!existsSync(spec)) throw new UserError(`${spec}: cannot read audio file (no such file; or use 'demo' for the demo track)`);
  const { readAudioFile } = await import('../audio/readAudio.js');
  const a = await readAudioFile(spec);
  const n = a.channels[0]?.length ?? 0;
  if (n === 0) throw new UserError(`${spec}: the audio file holds no samples`);
  return { sampleRate: a.sampleRate, channels: a.channels, durationS: n / a.sampleRate, file: spec };
}

/**
 * Every hop's Features of decoded audio (mixed to mono), heard by the pipeline's virtual run in blocks of
 * `blockSize` as a live source would deliver them.
 */
export async function analyseTrack(track: Pick<DecodedTrack, 'sampleRate' | 'channels' | 'durationS'> & { file?: string }, cfg: AnalysisConfig, blockSize = audioConfigSchema.parse({}).blockSize): Promise<Features[]> {
  const n = track.channels[0]!.length;
  const mono = new Float32Array(n);
  for (const c of track.channels) for (let i = 0; i < n; i++) mono[i] = mono[i]! + c[i]! / track.channels.length;
  const features: Features[] = [];
  const audio = { info: { description: 'decoded track (offline)', kind: 'file' as const, sampleRate: track.sampleRate, channels: 1 }, sampleRate: track.sampleRate, channels: [mono], durationS: track.durationS, file: null };
  await new VirtualRun({ fps: 30, audio, blockSize, analysis: createAnalysis(cfg), onFeatures: (f) => features.push(f) }).analyse();
  return features;
}

/** Frames of a window of the track on the track's frame grid. */
export interface FrameWindow {
  fps: number;
  /** First frame on the whole track's grid. */
  firstFrame: number;
  frameCount: number;
}

/** `--start`/`--duration` on the frame grid: the start rounds to a frame, the count to the nearest whole frame. */
export function frameWindow(fps: number, trackS: number, startS: number, durationS: number | null): FrameWindow {
  if (!(startS >= 0) || startS >= trackS) throw new UserError(`--start ${startS}: expected a time from 0 to below the track's ${trackS.toFixed(3)} s`);
  const firstFrame = Math.round(startS * fps);
  const endS = durationS === null ? trackS : Math.min(trackS, firstFrame / fps + durationS);
  const frameCount = Math.round((endS - firstFrame / fps) * fps);
  if (frameCount < 1) throw new UserError(`--duration ${durationS}: shorter than one frame at ${fps} fps`);
  return { fps, firstFrame, frameCount };
}

/**
 * Heard features as a FrameSource, stepped through the pipeline's Middle: frame g of the whole track happens at
 * g/fps and sees exactly the Features that had become available by then, held since the previous frame, with
 * dt = 1/fps. Frames before the window are evaluated too (the mapper integrates dt: smoothing, loops,
 * envelopes) but not handed out, so a window is exactly the same frames as in a full render.
 */
export function middleFrameSource(features: readonly Features[], mapper: Mapper, w: FrameWindow, control?: ControlStage): FrameSource {
  return {
    fps: w.fps,
    frameCount: w.frameCount,
    startS: w.firstFrame / w.fps,
    frames() {
      return (async function* (): AsyncGenerator<FrameParams> {
        const middle = new Middle({ fps: w.fps, mapper, ...(control ? { control } : {}) });
        let next = 0;
        const end = w.firstFrame + w.frameCount;
        while (middle.frame < end) {
          const t = middle.nextT;
          while (next < features.length && features[next]!.t <= t + 1e-9) middle.push(features[next++]!);
          const f = middle.step();
          if (f.frame >= w.firstFrame) yield f.params;
        }
      })();
    },
    close: () => mapper.close(),
  };
}

/** The model's picture size, as frames come out of the generator. */
export const modelSize = (m: Manifest): { width: number; height: number } => ({ width: m.width, height: m.height });
