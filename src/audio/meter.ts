/**
 * Level metering: peak and RMS in dBFS over windows of audio, and a clip flag. Pure: blocks in, readings out;
 * the `meter` command and the monitor page draw them.
 */
import { Observable } from '../rx.js';
import type { AudioBlock } from './types.js';

export interface LevelReading {
  /** Audio time (s) of the end of the window. */
  t: number;
  /** Window length actually measured (s); the last one may be short. */
  durationS: number;
  peakDb: number;
  rmsDb: number;
  /** At least one sample at or beyond full scale (|x| ≥ CLIP_LEVEL). */
  clip: boolean;
}

/** |x| at or above this is a clip: the top code of 16-bit audio is 32767/32768 ≈ −0.0003 dBFS. */
export const CLIP_LEVEL = 0.9999;

export const toDb = (amplitude: number): number => (amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity);

/** Running peak / sum of squares over a window; `add` allocates nothing. */
export class LevelAccumulator {
  peak = 0;
  sumSq = 0;
  samples = 0;
  frames = 0;
  clip = false;

  /** Adds frames [from, to) of all channels. */
  add(channels: readonly Float32Array[], from: number, to: number): void {
    let peak = this.peak;
    let sumSq = this.sumSq;
    for (const ch of channels) {
      for (let i = from; i < to; i++) {
        const v = ch[i]!;
        const a = v < 0 ? -v : v;
        if (a > peak) peak = a;
        sumSq += v * v;
      }
    }
    this.peak = peak;
    this.sumSq = sumSq;
    this.samples += (to - from) * channels.length;
    this.frames += to - from;
    if (peak >= CLIP_LEVEL) this.clip = true;
  }

  reading(t: number, sampleRate: number): LevelReading {
    return {
      t,
      durationS: this.frames / sampleRate,
      peakDb: toDb(this.peak),
      rmsDb: this.samples > 0 ? toDb(Math.sqrt(this.sumSq / this.samples)) : -Infinity,
      clip: this.clip,
    };
  }

  reset(): void {
    this.peak = 0;
    this.sumSq = 0;
    this.samples = 0;
    this.frames = 0;
    this.clip = false;
  }
}

/** Levels of one buffer set (all channels together). */
export function measureLevels(channels: readonly Float32Array[], sampleRate: number): LevelReading {
  const acc = new LevelAccumulator();
  acc.add(channels, 0, channels[0]?.length ?? 0);
  return acc.reading((channels[0]?.length ?? 0) / sampleRate, sampleRate);
}

/**
 * One reading per `windowS` of audio (windows split blocks exactly, by sample count), and a final short one when
 * the stream completes mid-window.
 */
export function levels(windowS: number): (blocks$: Observable<AudioBlock>) => Observable<LevelReading> {
  return (blocks$) =>
    new Observable<LevelReading>((subscriber) => {
      const acc = new LevelAccumulator();
      let sampleRate = 0;
      let windowFrames = 0;
      let endT = 0;
      const sub = blocks$.subscribe({
        next(b) {
          if (b.sampleRate !== sampleRate) {
            sampleRate = b.sampleRate;
            windowFrames = Math.max(1, Math.round(windowS * sampleRate));
          }
          const n = b.channels[0]?.length ?? 0;
          let i = 0;
          while (i < n) {
            const take = Math.min(n - i, windowFrames - acc.frames);
            acc.add(b.channels, i, i + take);
            i += take;
            if (acc.frames === windowFrames) {
              subscriber.next(acc.reading((b.t0 + i) / sampleRate, sampleRate));
              acc.reset();
            }
          }
          endT = (b.t0 + n) / sampleRate;
        },
        error: (e) => subscriber.error(e),
        complete() {
          if (acc.frames > 0) subscriber.next(acc.reading(endT, sampleRate));
          subscriber.complete();
        },
      });
      return () => sub.unsubscribe();
    });
}

/** `peak -6.0 dBFS  rms -9.0 dBFS` (+ `  CLIP`): the plain line the meter prints once per second. */
export function formatReading(r: LevelReading): string {
  const f = (db: number): string => (db === -Infinity ? '-inf' : db.toFixed(1));
  return `peak ${f(r.peakDb)} dBFS  rms ${f(r.rmsDb)} dBFS${r.clip ? '  CLIP' : ''}`;
}

/** A bar for a TTY meter: −60 dBFS … 0 dBFS over `width` cells, RMS solid, peak as a marker. */
export function meterBar(r: LevelReading, width = 40): string {
  const cell = (db: number): number => Math.max(0, Math.min(width, Math.round(((db + 60) / 60) * width)));
  const rms = cell(r.rmsDb);
  const peak = cell(r.peakDb);
  let s = '';
  for (let i = 0; i < width; i++) s += i < rms ? '█' : i === peak - 1 ? '|' : '·';
  return s;
}
