import type { Features } from '../contracts/features.js';
import type { FrameParams } from '../contracts/frameParams.js';
import type { ControlStage, HeldFeatures, MapperStage } from '../contracts/stages.js';
import { emptyControlState } from '../contracts/control.js';
import { FeatureHold } from './featureHold.js';

export interface MiddleOptions {
  fps: number;
  mapper: MapperStage;
  /** Without one the mapper sees untouched controls. */
  control?: ControlStage;
}

/** One evaluated frame: its number, audio time and period, what it heard, and what the mapper made of it. */
export interface MiddleFrame {
  frame: number;
  /** Audio time of the frame, k / fps (s). */
  t: number;
  /** The frame period, 1 / fps (s): every frame, live or offline. */
  dt: number;
  features: HeldFeatures | null;
  /** The mapper's params (its own buffer: valid until the mapper's next frame plus one; see copyFrameParams). */
  params: FrameParams;
}

/**
 * The pure middle of the pipeline, stepped one frame at a time in audio time: frame k is stamped t = k / fps,
 * `dt` is the frame period, the features are those held up to t (featureHold.ts), the controls are taken once
 * (events and cues since the previous frame, exactly once), and the mapper evaluates them. It never reads a
 * clock: a runner (offline.ts on the virtual clock, engine.ts on the pacing clock) decides when to step, and
 * steps only frames whose audio has been fully heard (`due()`), so live and offline see the same input.
 */
export class Middle {
  readonly fps: number;
  readonly dt: number;
  /** The next frame to evaluate. */
  frame = 0;
  /** Audio seconds received (the end of the newest block whose features have all been pushed). */
  audioT = 0;
  private readonly hold = new FeatureHold();
  private readonly noControls = emptyControlState();

  constructor(private readonly opts: MiddleOptions) {
    if (!(opts.fps > 0 && opts.fps <= 1000)) throw new RangeError(`pipeline: fps must be in (0, 1000], got ${opts.fps}`);
    this.fps = opts.fps;
    this.dt = 1 / opts.fps;
  }

  /** Audio time of the next frame (s): where controls arriving now take effect. */
  get nextT(): number {
    return this.frame / this.fps;
  }

  push(f: Features): void {
    this.hold.push(f);
  }

  /** Whether the next frame's audio time has been heard, so it can be evaluated exactly. */
  due(): boolean {
    return this.frame / this.fps <= this.audioT + 1e-9;
  }

  /** Evaluates the next frame. A mapper that throws still consumes the frame (the next one follows in time). */
  step(): MiddleFrame {
    const frame = this.frame++;
    const t = frame / this.fps;
    const features = this.hold.take(t);
    const controls = this.opts.control ? this.opts.control.take(t) : this.noControls;
    const params = this.opts.mapper.frame({ frame, t, dt: this.dt, features, controls });
    return { frame, t, dt: this.dt, features, params };
  }
}
