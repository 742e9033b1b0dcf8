import { Subject } from '../rx.js';
import type { AudioBlock, AudioSourceInfo } from '../contracts/audio.js';
import type { Features } from '../contracts/features.js';
import type { AnalysisStage, ControlStage, MapperStage } from '../contracts/stages.js';
import type { AudioConfig } from '../audio/config.js';
import { prepareAudio } from '../audio/fileSource.js';
import { parseSourceSpec } from '../audio/sourceSpec.js';
import { UserError } from '../errors.js';
import { Middle, type MiddleFrame } from './middle.js';

/** Decoded audio with the configured channels, mix and gain applied: what an offline run hears. */
export interface OfflineAudio {
  info: AudioSourceInfo;
  sampleRate: number;
  channels: Float32Array[];
  durationS: number;
  /** The file it came from, or null for the demo track (an encoder muxes this). */
  file: string | null;
}

/**
 * The configured source for an offline run: a file or the demo track, through the same decoder, channel choice,
 * mix and gain as live (audio/fileSource.ts prepareAudio). A line-in cannot be heard offline; looping is off
 * (an offline run ends with its audio).
 */
export async function openOfflineAudio(cfg: AudioConfig): Promise<OfflineAudio> {
  const spec = parseSourceSpec(cfg.source);
  let decoded: { sampleRate: number; channels: Float32Array[] };
  let name: string;
  let kind: AudioSourceInfo['kind'];
  if (spec.kind === 'demo') {
    const { renderDemoTrack } = await import('../audio/demo.js');
    decoded = renderDemoTrack({ sampleRate: cfg.sampleRate });
    name = 'demo track';
    kind = 'demo';
  } else if (spec.kind === 'file') {
    const { readAudioFile } = await import('../audio/readAudio.js');
    decoded = await readAudioFile(spec.path);
    if ((decoded.channels[0]?.length ?? 0) === 0) throw new UserError(`${spec.path}: the file holds no audio samples`);
    name = spec.path;
    kind = 'file';
  } else {
    throw new UserError(`audio source '${cfg.source}': an offline run reads a file or 'demo', not a line-in`);
  }
  const prepared = prepareAudio(decoded, { channels: cfg.channels, mix: cfg.mix, gainDb: cfg.gainDb, name });
  const frames = prepared.channels[0]!.length;
  return {
    info: { description: `${kind === 'demo' ? 'demo track' : `file: ${name}`} (offline)`, kind, sampleRate: prepared.sampleRate, channels: prepared.channels.length },
    sampleRate: prepared.sampleRate,
    channels: prepared.channels,
    durationS: frames / prepared.sampleRate,
    file: kind === 'file' ? name : null,
  };
}

export interface VirtualRunOptions {
  fps: number;
  audio: OfflineAudio;
  /** Frames per block fed to the analysis, as the live source would deliver them. */
  blockSize: number;
  analysis: AnalysisStage;
  /** Without a mapper no frames are evaluated (analysis only). */
  mapper?: MapperStage;
  control?: ControlStage;
  /** Every analysis record, in order, before any frame that sees it. */
  onFeatures?(f: Features): void;
  /**
   * Called before each frame with its audio time: a replay of recorded controls applies those stamped at or
   * before `t` here (control events are stamped with the audio time of the frame they reached live).
   */
  beforeFrame?(t: number): void;
}

/**
 * The pipeline on the virtual clock: audio blocks are fed as fast as the consumer pulls frames, nothing is
 * dropped, and the result depends on nothing but the input (no timer, no wall clock). Frames k = 0 … N−1 with
 * N = ⌊duration · fps⌋ + 1, each as soon as its audio has been heard — the same rule the live engine follows.
 */
export class VirtualRun {
  readonly fps: number;
  private readonly middle: Middle | null;

  constructor(private readonly opts: VirtualRunOptions) {
    this.fps = opts.fps;
    this.middle = opts.mapper ? new Middle({ fps: opts.fps, mapper: opts.mapper, ...(opts.control ? { control: opts.control } : {}) }) : null;
  }

  /** Number of frames the run yields. */
  get frameCount(): number {
    return Math.floor(this.opts.audio.durationS * this.fps + 1e-9) + 1;
  }

  /**
   * Pulls frames one by one. Each yielded frame's params are the mapper's buffer, valid until two more frames
   * have been pulled: copy them (copyFrameParams) to keep them longer.
   */
  *frames(): Generator<MiddleFrame, void, undefined> {
    const middle = this.middle;
    for (const audioT of this.feed()) {
      if (!middle) continue;
      middle.audioT = audioT;
      while (middle.due()) yield this.step(middle);
    }
  }

  /**
   * Analysis alone: feeds every block (records go to onFeatures) and, every `everyS` seconds of audio, awaits
   * `pause` with the audio time reached (to flush output, show progress, serve the event loop).
   */
  async analyse(pause?: (audioT: number) => Promise<void> | void, everyS = 1): Promise<void> {
    let next = everyS;
    for (const audioT of this.feed()) {
      if (audioT < next) continue;
      next = audioT + everyS;
      await pause?.(audioT);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Feeds the audio block by block through the analysis; yields the audio time heard after each block. */
  private *feed(): Generator<number, void, undefined> {
    const { audio, blockSize, analysis } = this.opts;
    const in$ = new Subject<AudioBlock>();
    let failed: { e: unknown } | null = null;
    const sub = analysis(in$).subscribe({
      next: (f) => {
        this.opts.onFeatures?.(f);
        this.middle?.push(f);
      },
      error: (e: unknown) => (failed = { e }),
    });
    try {
      const total = audio.channels[0]!.length;
      for (let t0 = 0; t0 < total; t0 += blockSize) {
        const end = Math.min(total, t0 + blockSize);
        // A copy per block, as a live source hands out (consumers may keep a block).
        in$.next({ sampleRate: audio.sampleRate, t0, channels: audio.channels.map((c) => c.slice(t0, end)) });
        if (failed) throw (failed as { e: unknown }).e;
        yield end / audio.sampleRate;
      }
      in$.complete();
    } finally {
      sub.unsubscribe();
    }
  }

  /** The same frames, yielding to the event loop now and then so signals and sockets are served on long runs. */
  async *framesAsync(everyFrames = 256): AsyncGenerator<MiddleFrame, void, undefined> {
    let n = 0;
    for (const f of this.frames()) {
      yield f;
      if (++n % everyFrames === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** Runs to the end: every hop to onFeatures, every frame to `onFrame`. Resolves with the number of frames. */
  async run(onFrame?: (f: MiddleFrame) => void): Promise<number> {
    let n = 0;
    for await (const f of this.framesAsync()) {
      onFrame?.(f);
      n += 1;
    }
    return n;
  }

  private step(middle: Middle): MiddleFrame {
    this.opts.beforeFrame?.(middle.nextT);
    return middle.step();
  }
}
