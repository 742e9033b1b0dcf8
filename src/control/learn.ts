/**
 * MIDI learn: arm a target, move a control, get the source. The control stage offers every MIDI control movement;
 * while armed, the first one (past a small threshold, so a twitching fader does not win over the one you touch)
 * resolves the pending learn. Writing the learned route into the mapping file is learnFile.ts.
 */
import type { MidiSourceId } from './midiDecode.js';
import { parseMidiSource } from './midiDecode.js';

export interface LearnedControl {
  target: string;
  source: string;
  id: MidiSourceId | null;
  /** The port it came from (for the comment in the mapping file). */
  port: string;
  /** Relative encoder steps were seen (the route should be relative). */
  relative: boolean;
}

interface Pending {
  target: string;
  resolve: (c: LearnedControl) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
  first: Map<string, number>;
}

/** A control must move by this much (0..1) from where it was first seen while armed; notes and steps count at once. */
const MOVE_THRESHOLD = 3 / 127;

export class MidiLearn {
  private pending: Pending | null = null;
  /**
   * Why nothing could be learned now (no MIDI input open), or null; checked when arming, so a learn from the
   * monitor fails at once with the reason instead of at its timeout.
   */
  unavailable: () => string | null = () => null;

  get armed(): string | null {
    return this.pending?.target ?? null;
  }

  /** Arm for `target`; resolves with the next moved control, rejects on timeout or cancel. Re-arming cancels. */
  arm(target: string, timeoutMs = 30000): Promise<LearnedControl> {
    this.cancel('replaced by a new learn');
    const why = this.unavailable();
    if (why !== null) {
      const refused = Promise.reject(new Error(`MIDI learn for '${target}': ${why}`));
      refused.catch(() => undefined);
      return refused;
    }
    const promise = new Promise<LearnedControl>((resolve, reject) => {
      const p: Pending = { target, resolve, reject, timer: undefined, first: new Map() };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          if (this.pending === p) this.pending = null;
          reject(new Error(`MIDI learn for '${target}': no control moved within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        p.timer.unref();
      }
      this.pending = p;
    });
    // A learn cancelled or timed out with nobody waiting any more must not become an unhandled rejection.
    promise.catch(() => undefined);
    return promise;
  }

  cancel(why = 'cancelled'): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(new Error(`MIDI learn for '${p.target}' ${why}`));
  }

  /** A control moved. Returns true when it completed a learn (the caller may still apply the value). */
  offer(source: string, port: string, kind: 'value' | 'steps' | 'note', value: number): boolean {
    const p = this.pending;
    if (!p) return false;
    if (kind === 'value') {
      const first = p.first.get(source);
      if (first === undefined) {
        p.first.set(source, value);
        return false;
      }
      if (Math.abs(value - first) < MOVE_THRESHOLD) return false;
    }
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve({ target: p.target, source, id: parseMidiSource(source), port, relative: kind === 'steps' });
    return true;
  }
}
