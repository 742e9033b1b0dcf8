/**
 * Line-in through naudiodon (PortAudio), as an Observable of AudioBlocks.
 *
 * PortAudio runs in a child process (portaudioChild.ts); frames arrive here over IPC, are mixed to the chosen
 * channels with the input gain, and re-blocked to exactly `blockSize` frames with a monotonically increasing t0.
 *
 * The show goes on: when the device errors, ends, stalls or cannot be opened, we log it once, keep emitting
 * silence blocks paced in real time (so features decay to silence downstream), and reopen it with exponential
 * backoff; we log again when sound is back. Unsubscribing closes the device and ends the child process.
 */
import { Observable } from '../rx.js';
import type { ChildProcess } from 'node:child_process';
import type { AudioBlock } from './types.js';
import type { CaptureSampleFormat, DeviceSelector, PortAudioChildMessage, PortAudioChildRequest, PortAudioParentMessage } from './portaudioProtocol.js';
import { forkPortAudio } from './devices.js';
import { dbToGain, outputChannels, resolveChannels, type ChannelMix } from './channels.js';
import { realClock, type PacingClock } from './clock.js';
import { logger, type Logger } from '../log.js';

export interface LineInOptions {
  device: DeviceSelector;
  sampleRate: number;
  /** 1-based input channels; the device is opened with as many channels as the highest one (up to its maximum). */
  channels: readonly number[];
  mix: ChannelMix;
  /** Frames per emitted block; also PortAudio's framesPerBuffer. */
  blockSize: number;
  gainDb: number;
  /** Sample format asked of PortAudio (default int16). */
  sampleFormat?: CaptureSampleFormat;
  /** Environment of the PortAudio process (tests set ALSA_CONFIG_PATH). */
  env?: NodeJS.ProcessEnv;
  clock?: PacingClock;
  /** First reopen delay and its cap, ms (doubling in between). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** No audio for this long while running counts as a lost device, ms. */
  stallMs?: number;
  /** Time a (re)open may take before its first audio, ms (PortAudio's device scan can take a second or two). */
  openTimeoutMs?: number;
  /**
   * A device whose audio runs faster or slower than `sampleRate` by more than this fraction, beyond `rateSlackS`
   * seconds of audio, is faulty (a broken clock, a misconfigured loopback): it is treated as lost. Default 0.05.
   */
  rateTolerance?: number;
  /** Audio that may arrive early or late before the rate check speaks, s (start-up bursts, driver buffers). Default 2. */
  rateSlackS?: number;
  log?: Logger;
  /** Starts the PortAudio process (tests may substitute it). */
  spawn?: (req: PortAudioChildRequest, env: NodeJS.ProcessEnv | undefined) => ChildProcess;
}

export const describeSelector = (s: DeviceSelector): string =>
  s.kind === 'default' ? 'the default input' : s.kind === 'id' ? `input device ${s.id}` : `input device "${s.name}"`;

export function lineIn$(opts: LineInOptions): Observable<AudioBlock> {
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? logger('audio');
  const retryMinMs = opts.retryMinMs ?? 500;
  const retryMaxMs = opts.retryMaxMs ?? 10_000;
  const stallMs = opts.stallMs ?? 2000;
  const openTimeoutMs = opts.openTimeoutMs ?? 8000;
  const rateTolerance = opts.rateTolerance ?? 0.05;
  const rateSlackFrames = (opts.rateSlackS ?? 2) * opts.sampleRate;
  const spawn = opts.spawn ?? ((req, env) => forkPortAudio(req, { env }));
  const { blockSize, sampleRate } = opts;
  const gain = dbToGain(opts.gainDb);
  const openChannels = Math.max(...opts.channels);
  const blockMs = (blockSize * 1000) / sampleRate;

  return new Observable<AudioBlock>((subscriber) => {
    let t0 = 0;
    let child: ChildProcess | null = null;
    let generation = 0;
    let selector: DeviceSelector = opts.device;
    let deviceName = describeSelector(opts.device);
    // Mixing state, fixed once the device says how many channels it opened.
    let use: number[] = [];
    let inChannels = 0;
    let nOut = 1;
    let pending: Float32Array[] = [];
    let filled = 0;
    let lastAudioMs = clock.nowMs();
    /** Whether the current PortAudio process has delivered audio yet. */
    let childHasAudio = false;
    // Loss state.
    let lost = false;
    let lostSinceMs = 0;
    let silenceStartMs = 0;
    let silenceEmitted = 0;
    let attempt = 0;
    let cancelSilence: (() => void) | null = null;
    let cancelRetry: (() => void) | null = null;
    let cancelWatchdog: (() => void) | null = null;
    let droppedWarned = false;
    // Rate check of the current PortAudio process: frames delivered since its first audio, against the clock.
    let rateStartMs = 0;
    let rateFrames = 0;

    const newPending = (): void => {
      pending = Array.from({ length: nOut }, () => new Float32Array(blockSize));
      filled = 0;
    };

    const emit = (channels: Float32Array[]): void => {
      const block: AudioBlock = { sampleRate, t0, channels };
      t0 += blockSize;
      subscriber.next(block);
    };

    /** Mixes interleaved frames into the pending block; emits each full block. */
    const take = (data: Float32Array): void => {
      const frames = Math.floor(data.length / inChannels);
      const g = opts.mix === 'mono' ? gain / use.length : gain;
      for (let f = 0; f < frames; f++) {
        const base = f * inChannels;
        if (opts.mix === 'mono') {
          let s = 0;
          for (let k = 0; k < use.length; k++) s += data[base + use[k]!]!;
          pending[0]![filled] = s * g;
        } else {
          for (let k = 0; k < use.length; k++) pending[k]![filled] = data[base + use[k]!]! * g;
        }
        if (++filled === blockSize) {
          const full = pending;
          newPending();
          emit(full);
          if (subscriber.closed) return;
        }
      }
    };

    const ack = (c: ChildProcess | null): void => {
      try {
        // With a callback, a send to a process that just died reports there (EPIPE), not as the child's 'error'
        // event: the loss is the 'exit' event's to report.
        if (c?.connected) c.send({ type: 'ack', n: 1 } satisfies PortAudioParentMessage, () => undefined);
      } catch {
        /* the process is going away; its exit is handled */
      }
    };

    const killChild = (): void => {
      const c = child;
      child = null;
      generation++;
      if (!c) return;
      c.removeAllListeners('message');
      // Keep a listener: Node queues a message that arrives with none into channel[kPendingMessages], and after
      // disconnect() the channel is null, so a message already read would throw an uncaught TypeError.
      c.on('message', () => undefined);
      try {
        if (c.connected) c.disconnect();
      } catch {
        /* already gone */
      }
      const hard = setTimeout(() => c.kill('SIGKILL'), 1000);
      hard.unref();
      c.once('exit', () => clearTimeout(hard));
      c.kill('SIGTERM');
    };

    const silenceTick = (): void => {
      cancelSilence = null;
      const now = clock.nowMs();
      while (lost && !subscriber.closed && silenceStartMs + (silenceEmitted + 1) * blockMs <= now) {
        silenceEmitted++;
        emit(Array.from({ length: nOut }, () => new Float32Array(blockSize)));
      }
      if (lost && !subscriber.closed) cancelSilence = clock.setTimer(silenceTick, silenceStartMs + (silenceEmitted + 1) * blockMs - clock.nowMs());
    };

    const lose = (why: string): void => {
      if (subscriber.closed) return;
      killChild();
      if (!lost) {
        lost = true;
        lostSinceMs = clock.nowMs();
        silenceStartMs = lostSinceMs;
        silenceEmitted = 0;
        // A partly filled block is dropped: silence starts on a clean block boundary.
        newPending();
        const delay = Math.min(retryMaxMs, retryMinMs * 2 ** attempt);
        log.warn(`line-in: ${deviceName}: ${why}; sending silence and reopening with backoff (first retry in ${(delay / 1000).toFixed(1)} s)`);
        silenceTick();
      } else {
        log.debug(`line-in: ${deviceName}: still unavailable (${why})`);
      }
      const delay = Math.min(retryMaxMs, retryMinMs * 2 ** attempt);
      attempt++;
      cancelRetry?.();
      cancelRetry = clock.setTimer(() => {
        cancelRetry = null;
        open();
      }, delay);
    };

    /** Why the device's pace is a fault, or null while it keeps to its nominal rate within the tolerance. */
    const rateFault = (): string | null => {
      const elapsedS = (clock.nowMs() - rateStartMs) / 1000;
      const expected = elapsedS * sampleRate;
      const got = `${(rateFrames / sampleRate).toFixed(1)} s of audio in ${elapsedS.toFixed(1)} s (nominal ${sampleRate} Hz, tolerance ${(rateTolerance * 100).toFixed(0)} % + ${(rateSlackFrames / sampleRate).toFixed(1)} s)`;
      if (rateFrames > expected * (1 + rateTolerance) + rateSlackFrames) return `delivers audio faster than real time: ${got}`;
      if (rateFrames < expected * (1 - rateTolerance) - rateSlackFrames) return `delivers audio slower than real time: ${got}`;
      return null;
    };

    const watchdog = (): void => {
      cancelWatchdog = null;
      if (subscriber.closed) return;
      const limit = childHasAudio ? stallMs : openTimeoutMs;
      if (child && clock.nowMs() - lastAudioMs > limit) {
        lose(childHasAudio ? `no audio for ${(limit / 1000).toFixed(1)} s` : `no audio within ${(limit / 1000).toFixed(1)} s of opening`);
      } else if (child && childHasAudio && !lost) {
        const slow = rateFault();
        if (slow) lose(slow);
      }
      cancelWatchdog = clock.setTimer(watchdog, Math.min(500, stallMs / 2));
    };

    const onMessage = (gen: number, m: PortAudioChildMessage): void => {
      if (gen !== generation || subscriber.closed) return;
      if (m.type === 'open') {
        deviceName = `"${m.device.name}" (${m.device.hostAPIName}, id ${m.device.id})`;
        // Reopen by exact name: ids shift when devices come and go.
        selector = { kind: 'name', name: m.device.name, exact: true };
        if (inChannels !== m.channelCount) {
          const r = resolveChannels(opts.channels, m.channelCount);
          if (r.use.length === 0) {
            lose(`has ${m.channelCount} input channel(s); none of the chosen channels [${opts.channels.join(', ')}] exist`);
            return;
          }
          if (r.dropped.length > 0 && !droppedWarned) {
            droppedWarned = true;
            log.info(`line-in: ${deviceName} has ${m.channelCount} input channel(s); using ${r.use.map((i) => i + 1).join('+')}, not ${r.dropped.join(', ')}`);
          }
          inChannels = m.channelCount;
          use = r.use;
          nOut = outputChannels(use, opts.mix);
          newPending();
        }
        lastAudioMs = clock.nowMs();
      } else if (m.type === 'audio') {
        lastAudioMs = clock.nowMs();
        if (!childHasAudio) {
          rateStartMs = lastAudioMs;
          rateFrames = 0;
        }
        childHasAudio = true;
        // Taken: the child may send the next one (it keeps a bounded window of unacknowledged blocks).
        ack(child);
        rateFrames += inChannels > 0 ? Math.floor(m.data.length / inChannels) : 0;
        const fault = rateFault();
        if (fault) {
          lose(fault);
          return;
        }
        if (lost) {
          lost = false;
          attempt = 0;
          cancelSilence?.();
          cancelSilence = null;
          log.info(`line-in: ${deviceName} is back after ${((clock.nowMs() - lostSinceMs) / 1000).toFixed(1)} s`);
        }
        take(m.data);
      } else if (m.type === 'overrun') {
        log.warn(`line-in: ${deviceName}: the engine fell behind the device; the audio process dropped blocks (${m.dropped} so far) instead of queueing them`);
      } else if (m.type === 'error') {
        lose(m.message);
      } else if (m.type === 'end') {
        lose('the stream ended');
      }
    };

    const open = (): void => {
      if (subscriber.closed) return;
      killChild();
      const gen = generation;
      const c = spawn(
        { op: 'capture', device: selector, sampleRate, channelCount: openChannels, framesPerBuffer: blockSize, sampleFormat: opts.sampleFormat ?? 'int16' },
        opts.env,
      );
      child = c;
      childHasAudio = false;
      lastAudioMs = clock.nowMs();
      c.on('message', (m: PortAudioChildMessage) => onMessage(gen, m));
      c.on('error', (e) => {
        if (gen === generation) lose(`PortAudio process failed: ${e.message}`);
      });
      c.on('exit', (code, signal) => {
        if (gen === generation) lose(`PortAudio process exited (${signal ?? `code ${code}`})`);
      });
    };

    log.debug(`line-in: opening ${deviceName} at ${sampleRate} Hz, ${openChannels} channel(s), ${blockSize} frames per block`);
    open();
    watchdog();

    return () => {
      cancelSilence?.();
      cancelRetry?.();
      cancelWatchdog?.();
      killChild();
    };
  });
}
