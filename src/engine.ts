import { Subject, Subscription, connectable } from 'rxjs';
import type { Features } from './analysis/types.js';
import { emptyControlState } from './control/types.js';
import type { Frame } from './generator/types.js';
import type { FrameParams } from './visual/types.js';
import type {
  AnalysisStage,
  AudioSource,
  ControlStage,
  GeneratorStage,
  MapperStage,
  OutputStage,
} from './stages.js';
import { FeatureHold } from './featureHold.js';
import { frameClock, type Tick } from './frameClock.js';
import { logger } from './log.js';
import { describeError } from './errors.js';

const log = logger('engine');

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
  /** Injected clock for tests and offline runs. */
  now?: () => number;
}

/** An error from any stage, as it arrives in the engine's one error stream. */
export interface StageError {
  stage: string;
  error: unknown;
  fatal: boolean;
}

/** Rolling per-stage timings (ms) and counters, for the log and the monitor. */
export interface EngineStats {
  frames: number;
  missedTicks: number;
  hops: number;
  audioBlocks: number;
  /** Audio seconds received. */
  audioT: number;
  mapperMsLast: number;
  mapperMsMax: number;
  framesOut: number;
}

/** The per-record hooks of an OutputStage, and what each takes. */
type OutputHook = 'features' | 'params' | 'frame';
type OutputRecord<K extends OutputHook> = Parameters<NonNullable<OutputStage[K]>>[0];

/**
 * Wires the flow of ARCHITECTURE.md: audio → analysis → (held per frame) → mapper → generator → outputs, driven
 * by a drift-free frame clock. Every stage's errors arrive in `errors$`; a failing output or mapper frame is
 * logged and survived (the last good picture stays), only the audio source completing ends a file run.
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
  };
  private readonly subs = new Subscription();
  private readonly hold = new FeatureHold();
  /** The controls a mapper sees when there is no control stage: one empty state, not a fresh one per frame. */
  private readonly noControls = emptyControlState();
  private readonly now: () => number;
  private lastFrameAudioT = 0;
  private running = false;
  private started = false;
  private fatal: string | null = null;
  private stopped!: Promise<void>;
  private resolveStopped!: () => void;

  constructor(
    private readonly stages: EngineStages,
    private readonly options: EngineOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.stopped = new Promise((r) => (this.resolveStopped = r));
  }

  /** Resolves when the engine has stopped (stop() called, or the audio source completed). */
  get done(): Promise<void> {
    return this.stopped;
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
    let sampleRate = audio.info.sampleRate;
    const countBlocks = blocks$.subscribe({
      next: (b) => {
        sampleRate = b.sampleRate;
        this.stats.audioBlocks += 1;
        this.stats.audioT = (b.t0 + (b.channels[0]?.length ?? 0)) / sampleRate;
      },
      error: (e) => this.fail('audio', e),
      complete: () => {
        log.info('audio source ended');
        void this.stop();
      },
    });
    this.subs.add(countBlocks);

    if (analysis) {
      this.subs.add(
        analysis(blocks$).subscribe({
          next: (f) => {
            this.stats.hops += 1;
            this.hold.push(f);
            this.features$.next(f);
            this.deliver(outputs, 'features', f);
          },
          error: (e) => this.fail('analysis', e),
        }),
      );
    }

    if (generator) {
      this.subs.add(
        generator.frames$.subscribe({
          next: (frame) => {
            frame.stamps.sentAt = this.now();
            this.stats.framesOut += 1;
            this.frames$.next(frame);
            this.deliver(outputs, 'frame', frame);
          },
          error: (e) => this.errors$.next({ stage: 'generator', error: e, fatal: false }),
        }),
      );
    }

    this.subs.add(blocks$.connect());
    this.subs.add(
      frameClock({ fps: this.options.fps, now: this.now }).subscribe((tick) => this.onTick(tick)),
    );
  }

  private onTick(tick: Tick): void {
    this.stats.frames += 1;
    this.stats.missedTicks = tick.missed;
    const { mapper, generator, control, outputs = [] } = this.stages;
    if (!mapper) return;
    const held = this.hold.take();
    const t = held ? held.latest.t : this.stats.audioT;
    const dt = Math.max(0, t - this.lastFrameAudioT) || 1 / this.options.fps;
    this.lastFrameAudioT = t;
    const t0 = this.now();
    let params: FrameParams;
    try {
      params = mapper.frame({
        frame: tick.frame,
        t,
        dt,
        features: held,
        controls: control ? control.state() : this.noControls,
      });
    } catch (e) {
      this.errors$.next({ stage: 'mapper', error: e, fatal: false });
      return;
    }
    const t1 = this.now();
    this.stats.mapperMsLast = t1 - t0;
    if (this.stats.mapperMsLast > this.stats.mapperMsMax) this.stats.mapperMsMax = this.stats.mapperMsLast;
    this.params$.next(params);
    this.deliver(outputs, 'params', params);
    if (!generator) return;
    // A throw here would escape the clock's subscriber, which RxJS rethrows on a timer: the process dies.
    try {
      generator.submit(params, t1);
    } catch (e) {
      this.errors$.next({ stage: 'generator', error: e, fatal: false });
    }
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
