/**
 * An Observable of AudioBlocks over decoded audio (a file or the demo track).
 *
 * Live (`realtime: true`): blocks come out at the pace of the audio, like a line-in delivering each block once it
 * has been "captured": block k is due at start + (k + 1) · blockSize / sampleRate, computed from the start time
 * every time (never by adding intervals), so timer jitter does not accumulate into drift. After a stall, the
 * overdue blocks are emitted at once to catch up (up to `maxCatchUpMs`; longer stalls move the grid).
 * Offline (`realtime: false`): as fast as the consumer takes them, yielding to the event loop every few blocks so
 * sockets, timers and Ctrl-C are still served.
 */
import { Observable } from '../rx.js';
import type { AudioBlock } from './types.js';
import type { DecodedAudio } from './wav.js';
import { dbToGain, mixInto, outputChannels, resolveChannels, type ChannelMix } from './channels.js';
import { realClock, type PacingClock } from './clock.js';
import { UserError } from '../errors.js';

export interface FileSourceOptions {
  /** Frames per block. */
  blockSize: number;
  /** Pace in real time (live) or run as fast as possible (offline). */
  realtime: boolean;
  /** Start again from the top when the audio ends (t0 keeps counting up). */
  loop: boolean;
  gainDb: number;
  /** 1-based channels to use; those the audio lacks are dropped (a mono file with [1, 2] plays channel 1). */
  channels: readonly number[];
  mix: ChannelMix;
  /** Name used in errors (the file path, or "demo track"). */
  name: string;
  clock?: PacingClock;
  /** Offline: blocks emitted before yielding to the event loop. */
  offlineBlocksPerTurn?: number;
  /**
   * Live: the most audio (ms) emitted in one burst after a stall. Beyond it (a suspended laptop, a debugger) the
   * pacing grid moves forward instead, so downstream is not flooded; the audio itself stays contiguous.
   */
  maxCatchUpMs?: number;
}

export interface PreparedAudio {
  sampleRate: number;
  /** The chosen channels, mixed and with gain applied. */
  channels: Float32Array[];
  /** 1-based channels asked for that the audio does not have. */
  dropped: number[];
}

/** Applies channel choice, mix and gain once, up front, so emitting a block is a copy. */
export function prepareAudio(audio: DecodedAudio, opts: Pick<FileSourceOptions, 'channels' | 'mix' | 'gainDb' | 'name'>): PreparedAudio {
  const { use, dropped } = resolveChannels(opts.channels, audio.channels.length);
  if (use.length === 0) {
    throw new UserError(
      `${opts.name}: has ${audio.channels.length} channel(s), none of the chosen channels [${opts.channels.join(', ')}] exist; choose from 1 to ${audio.channels.length}`,
    );
  }
  const frames = audio.channels[0]?.length ?? 0;
  const out = Array.from({ length: outputChannels(use, opts.mix) }, () => new Float32Array(frames));
  mixInto(audio.channels, use, opts.mix, dbToGain(opts.gainDb), 0, frames, out);
  return { sampleRate: audio.sampleRate, channels: out, dropped };
}

/** Where blocks come from: decoded audio in memory, or a file read block by block (wavStream.ts). */
export interface BlockReader {
  sampleRate: number;
  /** Output channels (after channel choice and mix). */
  channels: number;
  frames: number;
  /** Copies frames [pos, pos + n) into `out` (one array per output channel) at `outOffset`. */
  read(pos: number, n: number, out: Float32Array[], outOffset: number): void;
}

export function memoryReader(prepared: PreparedAudio): BlockReader {
  const ch = prepared.channels;
  return {
    sampleRate: prepared.sampleRate,
    channels: ch.length,
    frames: ch[0]?.length ?? 0,
    read(pos, n, out, outOffset) {
      for (let c = 0; c < ch.length; c++) out[c]!.set(ch[c]!.subarray(pos, pos + n), outOffset);
    },
  };
}

/** A cold Observable: each subscriber gets its own playback from the top. */
export function fileBlocks$(source: PreparedAudio | BlockReader, opts: FileSourceOptions): Observable<AudioBlock> {
  const reader = 'read' in source ? source : memoryReader(source);
  const { sampleRate } = reader;
  const total = reader.frames;
  const blockSize = opts.blockSize;
  const clock = opts.clock ?? realClock;
  const perTurn = opts.offlineBlocksPerTurn ?? 64;
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`fileBlocks$: blockSize ${blockSize} is not a positive integer`);

  return new Observable<AudioBlock>((subscriber) => {
    let pos = 0; // frame position in the audio
    let t0 = 0; // audio clock: frames emitted since subscription
    let emitted = 0;
    let done = total === 0;
    let cancelTimer: (() => void) | null = null;
    let immediate: NodeJS.Immediate | null = null;

    /** Builds the next block (copying, so consumers may keep or modify it); null at the end. */
    const nextBlock = (): AudioBlock | null => {
      if (done) return null;
      let len = blockSize;
      if (!opts.loop) len = Math.min(blockSize, total - pos);
      const out = Array.from({ length: reader.channels }, () => new Float32Array(len));
      let filled = 0;
      while (filled < len) {
        const n = Math.min(len - filled, total - pos);
        reader.read(pos, n, out, filled);
        filled += n;
        pos += n;
        if (pos >= total) {
          if (opts.loop) pos = 0;
          else {
            done = true;
            break;
          }
        }
      }
      const block: AudioBlock = { sampleRate, t0, channels: out };
      t0 += len;
      emitted++;
      return block;
    };

    const finish = (): void => {
      if (!subscriber.closed) subscriber.complete();
    };

    if (done) {
      finish();
      return;
    }

    if (opts.realtime) {
      let startMs = clock.nowMs();
      const maxCatchUpMs = opts.maxCatchUpMs ?? 1000;
      const dueMs = (k: number): number => startMs + ((k + 1) * blockSize * 1000) / sampleRate;
      const tick = (): void => {
        cancelTimer = null;
        const now = clock.nowMs();
        const lagMs = now - dueMs(emitted);
        if (lagMs > maxCatchUpMs) startMs += lagMs - maxCatchUpMs;
        while (!subscriber.closed && dueMs(emitted) <= now) {
          const b = nextBlock();
          if (!b) break;
          subscriber.next(b);
          if (done) break;
        }
        if (subscriber.closed) return;
        if (done) {
          finish();
          return;
        }
        cancelTimer = clock.setTimer(tick, dueMs(emitted) - clock.nowMs());
      };
      cancelTimer = clock.setTimer(tick, dueMs(0) - startMs);
    } else {
      const turn = (): void => {
        immediate = null;
        for (let i = 0; i < perTurn && !subscriber.closed; i++) {
          const b = nextBlock();
          if (!b) break;
          subscriber.next(b);
          if (done) break;
        }
        if (subscriber.closed) return;
        if (done) finish();
        else immediate = setImmediate(turn);
      };
      immediate = setImmediate(turn);
    }

    return () => {
      cancelTimer?.();
      if (immediate) clearImmediate(immediate);
    };
  });
}
