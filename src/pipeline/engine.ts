import { Subject, Subscription, connectable } from '../rx.js';
import type { Features } from '../contracts/features.js';
import type { Frame } from '../contracts/model.js';
import type { FrameParams } from '../contracts/frameParams.js';
import type { EngineStats, StageError } from '../contracts/stats.js';
import type { AnalysisStage, AudioSource, ControlStage, GeneratorStage, MapperStage, OutputStage } from '../contracts/stages.js';
import { realClock, type PacingClock } from '../audio/clock.js';
import { frameClock, type Tick } from './frameClock.js';
import { Middle } from './middle.js';
import { logger } from '../log.js';
import { describeError } from '../errors.js';

const log = logger('engine');

export type { EngineStats, StageError } from '../contracts/stats.js';

export interface EngineStages {
  audio: AudioSource;
  analysis?: AnalysisStage;
  control?: ControlStage;
  mapper?: MapperStage;
  generator?: GeneratorStage;
  outputs?: OutputStage[];
}

export interface EngineOptions {
  fps: number;
  /** The wall clock that paces frames (and stamps them); tests inject a virtual one. Default: performance.now. */
  clock?: PacingClock;
}

/** The per-record hooks of an OutputStage, and what each takes. */
type OutputHook = 'features' | 'params' | 'frame';
type OutputRecord<K extends OutputHook> = Parameters<NonNullable<OutputStage[K]>>[0];

/** How long (ms) the jitter maximum looks back. */
const JITTER_WINDOW_MS = 2000;

/**
 * The pipeline on the live pacing clock: audio → analysis → (held in audio time) → control → mapper → generator →
 * outputs. The middle (middle.ts) is the same one the offline runner steps: frame k is stamped t = k / fps and
 * sees the audio up to t, with dt = 1 / fps. The pacing clock only decides when frames are released: at slot j
 * every frame up to j whose audio has arrived is evaluated, in order, none skipped; the generator is handed only
 * the newest (a late picture is dropped, never delayed). The clock starts with the first audio block, so a
 * source that delivers on time (a paced file, a steady line-in) has frame j's audio in hand at slot j. When the
 * audio runs ahead of the slots by more than two frames plus a block (a device clock faster than ours), frames
 * follow the audio instead, so latency cannot grow.
 *
 * Every stage's errors arrive in `errors$`; a failing output or mapper frame is logged and survived (the last good
 * picture stays), only the audio source completing ends a file run — after the frames it still holds.
 */
export class Engine {
  readonly errors$ = new Subject<StageError>();
  readonly features$ = new Subject<Features>();
  readonly params$ = new Subject<FrameParams>();
  readonly frames$ = new Subject<Frame>();
  readonly stats: EngineStats = {
    frames: 0,
    missedTicks: 0,
    hops: 0,
    audioBlocks: 0,
    audioT: 0,
    mapperMsLast: 0,
    mapperMsMax: 0,
    framesOut: 0,
    frameJitterMsLast: 0,
    frameJitterMsMax: 0,
  };
  private readonly subs = new Subscription();
  private readonly clock: PacingClock;
  private readonly middle: Middle | null;
  private blockS = 0;
  private lastReleaseMs = Number.NaN;
  private jitterMaxAtMs = 0;
  private running = false;
  private started = false;
  private fatal: string | null = null;
  private stopped!: Promise<void>;
  private resolveStopped!: () => void;

  constructor(
    private readonly stages: EngineStages,
    private readonly options: EngineOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.middle = stages.mapper ? new Middle({ fps: options.fps, mapper: stages.mapper, ...(stages.control ? { control: stages.control } : {}) }) : null;
    this.stopped = new Promise((r) => (this.resolveStopped = r));
  }

  /** Resolves when the engine has stopped (stop() called, or the audio source completed). */
  get done(): Promise<void> {
    return this.stopped;
  }

  /** Audio time (s) of the next frame to be evaluated: a control arriving now takes effect there. */
  get nextFrameT(): number {
    return this.middle ? this.middle.nextT : this.stats.audioT;
  }

  start(): void {
    if (this.running || this.started) return;
    this.running = true;
    this.started = true;
    const { audio, analysis, generator, outputs = [] } = this.stages;
    log.info(`audio: ${audio.info.description}`);

    this.subs.add(
      this.errors$.subscribe(({ stage, error, fatal }) => {
        const msg = `${stage}: ${describeError(error)}`;
        if (fatal) log.error(msg);
        else log.limited('warn', stage, msg);
      }),
    );

    // One subscription to the source, shared by every consumer; connected after all have subscribed.
    const blocks$ = connectable(audio.blocks$, { connector: () => new Subject(), resetOnDisconnect: false });
    if (analysis) {
      this.subs.add(
        analysis(blocks$).subscribe({
          next: (f) => {
            this.stats.hops += 1;
            this.middle?.push(f);
            this.features$.next(f);
            this.deliver(outputs, 'features', f);
          },
          error: (e) => this.fail('analysis', e),
        }),
      );
    }
    // Subscribed after the analysis: a block's audio time counts once its features are in the hold.
    let clockStarted = false;
    this.subs.add(
      blocks$.subscribe({
        next: (b) => {
          const n = b.channels[0]?.length ?? 0;
          this.stats.audioBlocks += 1;
          this.stats.audioT = (b.t0 + n) / b.sampleRate;
          this.blockS = n / b.sampleRate;
          if (this.middle) this.middle.audioT = this.stats.audioT;
          if (!clockStarted) {
            clockStarted = true;
            this.subs.add(frameClock({ fps: this.options.fps, clock: this.clock }).subscribe((tick) => this.onTick(tick)));
          }
        },
        error: (e) => this.fail('audio', e),
        complete: () => {
          log.info('audio source ended');
          // The frames the audio still holds are evaluated before the end, so a file run loses none.
          this.release(Number.POSITIVE_INFINITY);
          void this.stop();
        },
      }),
    );

    if (generator) {
      this.subs.add(
        generator.frames$.subscribe({
          next: (frame) => {
            frame.stamps.sentAt = this.clock.nowMs();
            this.stats.framesOut += 1;
            this.frames$.next(frame);
            this.deliver(outputs, 'frame', frame);
          },
          error: (e) => this.errors$.next({ stage: 'generator', error: e, fatal: false }),
        }),
      );
    }

    this.subs.add(blocks$.connect());
  }

  private onTick(tick: Tick): void {
    this.stats.missedTicks = tick.missed;
    this.release(tick.frame);
  }

  /** Evaluates every frame up to slot `slot` whose audio has arrived (and any the audio has run ahead to). */
  private release(slot: number): void {
    const middle = this.middle;
    if (!middle || !this.running) return;
    const { generator, outputs = [] } = this.stages;
    const leadS = 2 * middle.dt + this.blockS;
    let newest: FrameParams | null = null;
    while (middle.due() && (middle.frame <= slot || middle.nextT < middle.audioT - leadS)) {
      const t0 = this.clock.nowMs();
      let params: FrameParams;
      try {
        params = middle.step().params;
      } catch (e) {
        this.errors$.next({ stage: 'mapper', error: e, fatal: false });
        continue;
      }
      const t1 = this.clock.nowMs();
      this.stats.frames += 1;
      this.stats.mapperMsLast = t1 - t0;
      if (this.stats.mapperMsLast > this.stats.mapperMsMax) this.stats.mapperMsMax = this.stats.mapperMsLast;
      this.measureJitter(t1, middle.dt * 1000);
      this.params$.next(params);
      this.deliver(outputs, 'params', params);
      newest = params;
    }
    if (!newest || !generator) return;
    // A throw here would escape the clock's subscriber, which RxJS rethrows on a timer: the process dies.
    try {
      generator.submit(newest, this.clock.nowMs());
    } catch (e) {
      this.errors$.next({ stage: 'generator', error: e, fatal: false });
    }
  }

  private measureJitter(nowMs: number, periodMs: number): void {
    if (!Number.isNaN(this.lastReleaseMs)) {
      const j = Math.abs(nowMs - this.lastReleaseMs - periodMs);
      this.stats.frameJitterMsLast = j;
      if (j >= this.stats.frameJitterMsMax || nowMs - this.jitterMaxAtMs > JITTER_WINDOW_MS) {
        this.stats.frameJitterMsMax = j;
        this.jitterMaxAtMs = nowMs;
      }
    }
    this.lastReleaseMs = nowMs;
  }

  /**
   * Hands one record to every output that takes it; an output that throws is logged and survived. A loop, not
   * a closure per output: this runs per hop (features) and per frame (params, frames).
   */
  private deliver<K extends OutputHook>(outputs: readonly OutputStage[], hook: K, value: OutputRecord<K>): void {
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i]!;
      const fn = o[hook] as ((this: OutputStage, v: OutputRecord<K>) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(o, value);
      } catch (e) {
        this.errors$.next({ stage: o.name, error: e, fatal: false });
      }
    }
  }

  /** The fatal error that stopped the engine (`stage: message`), or null (running, or stopped on request). */
  get fatalError(): string | null {
    return this.fatal;
  }

  private fail(stage: string, error: unknown): void {
    this.fatal ??= `${stage}: ${describeError(error)}`;
    this.errors$.next({ stage, error, fatal: true });
    void this.stop();
  }

  /** Stops every stage; safe to call twice. */
  async stop(): Promise<void> {
    if (!this.running) {
      // Never started (a start-up step failed after the engine was built): nothing to close, done now.
      if (!this.started) this.resolveStopped();
      return this.stopped;
    }
    this.running = false;
    this.subs.unsubscribe();
    const { control, mapper, generator, outputs = [] } = this.stages;
    const closers: Array<[string, (() => Promise<void>) | undefined]> = [
      ['control', control && (() => control.close())],
      ['mapper', mapper?.close && (() => mapper.close!())],
      ['generator', generator && (() => generator.close())],
      ...outputs.map((o): [string, (() => Promise<void>) | undefined] => [o.name, o.close && (() => o.close!())]),
    ];
    for (const [name, close] of closers) {
      if (!close) continue;
      try {
        await close();
      } catch (e) {
        log.warn(`${name}: error while closing: ${describeError(e)}`);
      }
    }
    this.features$.complete();
    this.params$.complete();
    this.frames$.complete();
    this.errors$.complete();
    this.resolveStopped();
    return this.stopped;
  }
}
