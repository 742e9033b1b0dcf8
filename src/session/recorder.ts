/**
 * The record toggle of a live show: while on, the audio blocks the analysis hears, every control input, every
 * mapping version and every evaluated frame's params go to a session folder (writer.ts), all on the session's
 * audio clock (seconds from its first recorded sample). Started with the show (`live --record <dir>`) the session
 * clock is the engine's, so a re-render reproduces the params; started mid-set, times are shifted to the first
 * recorded block (the analysis and smoothers then start fresh on re-render: the first seconds differ).
 */
import { existsSync, readdirSync } from 'node:fs';
import type { AudioBlock } from '../contracts/audio.js';
import type { ControlInput, CommandResult } from '../control/index.js';
import type { Manifest } from '../generator/types.js';
import type { FrameParams } from '../visual/types.js';
import { describeError } from '../errors.js';
import { logger } from '../log.js';
import { SessionWriter } from './writer.js';

const log = logger('record');

export interface RecorderOptions {
  /** The folder `--record` named; toggles after the first go to `<dir>-2`, `<dir>-3`, … */
  dir: string;
  fps: number;
  modelDir: string;
  manifest: Manifest;
  config: unknown;
  /** The mapping now running (file and text), written as the session's first version. */
  mapping(): { file: string; text: string };
}

/** A folder a take may go to: none there yet, or an empty one (a file or an unreadable folder is not). */
function free(dir: string): boolean {
  try {
    return !existsSync(dir) || readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

export class LiveRecorder {
  private writer: SessionWriter | null = null;
  /** Recording was asked for; the writer opens at the next audio block (its start is the session's 0). */
  private armed = false;
  private startS = 0;
  private takes = 0;
  private current: string | null = null;

  constructor(private readonly o: RecorderOptions) {}

  get recording(): boolean {
    return this.armed || this.writer !== null;
  }

  /** The folder being written, or null. */
  get folder(): string | null {
    return this.current;
  }

  /** The record toggle: on arms a new session (at the next audio block), off closes the one being written. */
  toggle(on: boolean): CommandResult {
    if (on) {
      if (this.recording) return { ok: true };
      const dir = this.nextDir();
      if (!dir) return { ok: false, error: `no free session folder next to ${this.o.dir}` };
      this.current = dir;
      this.armed = true;
      log.info(`recording to ${dir}`);
      return { ok: true };
    }
    this.close();
    return { ok: true };
  }

  private nextDir(): string | null {
    for (let i = 0; i < 1000; i++) {
      const n = this.takes + i;
      const dir = n === 0 ? this.o.dir : `${this.o.dir}-${n + 1}`;
      if (free(dir)) {
        this.takes = n + 1;
        return dir;
      }
    }
    return null;
  }

  /** One block as the analysis heard it. */
  audio(b: AudioBlock): void {
    if (this.armed) this.open(b);
    if (!this.writer) return;
    this.guard(() => this.writer!.audio(b.channels));
  }

  private open(b: AudioBlock): void {
    this.armed = false;
    const dir = this.current!;
    this.guard(() => {
      this.startS = b.t0 / b.sampleRate;
      this.writer = new SessionWriter({
        dir,
        sampleRate: b.sampleRate,
        channels: b.channels.length,
        fps: this.o.fps,
        modelDir: this.o.modelDir,
        manifest: this.o.manifest,
        config: this.o.config,
        startS: this.startS,
      });
      const m = this.o.mapping();
      this.writer.mapping(0, m.text, m.file);
    });
  }

  control(t: number, input: ControlInput): void {
    if (this.writer) this.guard(() => this.writer!.control(Math.max(0, t - this.startS), input));
  }

  /** A mapping version that starts at the engine's audio time t. */
  mapping(t: number, text: string, file: string): void {
    if (this.writer) this.guard(() => this.writer!.mapping(Math.max(0, t - this.startS), text, file));
  }

  frame(p: FrameParams, dt: number): void {
    if (!this.writer || p.t < this.startS - 1e-9) return;
    const shift = this.startS;
    this.guard(() => this.writer!.frame(shift === 0 ? p : { ...p, t: p.t - shift }, dt));
  }

  close(): void {
    this.armed = false;
    const w = this.writer;
    this.writer = null;
    if (!w) return;
    this.guard(() => w.close());
    log.info(`session written: ${this.current}`);
  }

  /** A full disk or a removed folder stops the recording, never the show. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`recording stopped: ${describeError(e)}`);
      const w = this.writer;
      this.writer = null;
      this.armed = false;
      try {
        w?.close();
      } catch {
        // the folder is already unwritable; what was written stays readable
      }
    }
  }
}
