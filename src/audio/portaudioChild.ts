/**
 * The PortAudio side of the line-in, run in a child process (forked by devices.ts and lineIn.ts).
 *
 * Why a child process: PortAudio's ALSA back end prints dozens of "ALSA lib …" lines on stderr at every
 * initialisation, and naudiodon prints its own chatter on stdout; a native crash in a driver would take the show
 * with it. Here the child's output is captured (logged at debug), a crash is a lost device we reopen, and the
 * child reads its ALSA configuration (ALSA_CONFIG_PATH) fresh at every open.
 *
 * Protocol: the request is JSON in argv[2]; replies are IPC messages (structured clone, so audio travels as
 * Float32Array of interleaved frames).
 */
import { createRequire } from 'node:module';
import {
  AUDIO_WINDOW,
  type PortAudioChildMessage,
  type PortAudioChildRequest,
  type PortAudioParentMessage,
  type AudioInputDevice,
  type HostApiInfo,
  type DeviceSelector,
} from './portaudioProtocol.js';

type Naudiodon = typeof import('naudiodon');

const send = (m: PortAudioChildMessage): void => {
  if (process.connected) process.send?.(m);
};

function load(): Naudiodon {
  const require = createRequire(import.meta.url);
  return require('naudiodon') as Naudiodon;
}

function enumerate(pa: Naudiodon): { devices: AudioInputDevice[]; hostApis: HostApiInfo[]; defaultInputId: number | null } {
  const all = pa.getDevices();
  const host = pa.getHostAPIs();
  const hostApis: HostApiInfo[] = host.HostAPIs.map((h) => ({
    id: h.id,
    name: h.name,
    deviceCount: h.deviceCount,
    // PortAudio's paNoDevice (-1) arrives as an unsigned 4294967295.
    defaultInput: h.defaultInput >= 0 && h.defaultInput < 0x7fffffff ? h.defaultInput : null,
  }));
  const devices = all
    .filter((d) => d.maxInputChannels > 0)
    .map((d) => ({ id: d.id, name: d.name, maxInputChannels: d.maxInputChannels, defaultSampleRate: d.defaultSampleRate, hostAPIName: d.hostAPIName }));
  const def = hostApis[host.defaultHostAPI]?.defaultInput ?? null;
  const defaultInputId = def !== null && devices.some((d) => d.id === def) ? def : null;
  return { devices, hostApis, defaultInputId };
}

function pick(devices: AudioInputDevice[], defaultInputId: number | null, sel: DeviceSelector): AudioInputDevice | string {
  if (sel.kind === 'default') {
    const d = devices.find((x) => x.id === defaultInputId);
    return d ?? `no default input device (PortAudio lists ${devices.length} input${devices.length === 1 ? '' : 's'})`;
  }
  if (sel.kind === 'id') return devices.find((x) => x.id === sel.id) ?? `no input device with id ${sel.id}`;
  const exact = devices.find((x) => x.name === sel.name);
  if (exact) return exact;
  if (sel.exact) return `input device "${sel.name}" is not present`;
  const low = sel.name.toLowerCase();
  return devices.find((x) => x.name.toLowerCase().includes(low)) ?? `no input device name contains "${sel.name}"`;
}

function main(): void {
  const req = JSON.parse(process.argv[2] ?? '{}') as PortAudioChildRequest;
  let pa: Naudiodon;
  try {
    pa = load();
  } catch (e) {
    send({ type: 'error', message: `naudiodon could not be loaded: ${(e as Error).message}` });
    process.disconnect?.();
    return;
  }
  const listed = enumerate(pa);
  if (req.op === 'list') {
    send({ type: 'devices', ...listed });
    process.disconnect?.();
    return;
  }
  const device = pick(listed.devices, listed.defaultInputId, req.device);
  if (typeof device === 'string') {
    send({ type: 'error', message: device });
    process.disconnect?.();
    return;
  }
  const channelCount = Math.min(req.channelCount, device.maxInputChannels);
  const io = pa.AudioIO({
    inOptions: {
      deviceId: device.id,
      sampleRate: req.sampleRate,
      channelCount,
      sampleFormat: req.sampleFormat === 'int16' ? pa.SampleFormat16Bit : pa.SampleFormatFloat32,
      framesPerBuffer: req.framesPerBuffer,
      // naudiodon's queue between PortAudio's callback and JS blocks the callback when full (2 by default), and a
      // blocked callback loses audio: hold about half a second so a garbage-collection pause costs nothing.
      maxQueue: Math.max(8, Math.ceil((0.5 * req.sampleRate) / req.framesPerBuffer)),
      // An occasional overflow must not close the stream (that would be a device loss and a reopen): naudiodon then
      // prints it instead, which lands in the debug log. A device that really stops is caught by lineIn's watchdog.
      closeOnError: false,
    },
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // naudiodon's abort() throws ("Quit expects 1 argument"); quit() stops and closes the stream.
    io.quit(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  // Ctrl-C in a terminal signals the whole process group; the engine decides when we stop (it disconnects us),
  // otherwise its shutdown would log this device as lost.
  process.on('SIGINT', () => undefined);
  const int16 = req.sampleFormat === 'int16';
  // Backpressure: at most AUDIO_WINDOW audio messages unacknowledged by the engine; beyond, blocks are dropped
  // here (and said once per overrun), so a source faster than real time costs a bounded amount of memory.
  let inFlight = 0;
  let dropped = 0;
  let overrunSaid = false;
  process.on('message', (m: PortAudioParentMessage) => {
    if (m?.type !== 'ack' || !(m.n > 0)) return;
    inFlight = Math.max(0, inFlight - m.n);
    if (inFlight < AUDIO_WINDOW) overrunSaid = false;
  });
  io.on('data', (buf: Buffer) => {
    if (inFlight >= AUDIO_WINDOW) {
      dropped += 1;
      if (!overrunSaid) {
        overrunSaid = true;
        send({ type: 'overrun', dropped });
      }
      return;
    }
    inFlight += 1;
    let frames: Float32Array;
    if (int16) {
      frames = new Float32Array(buf.length >> 1);
      for (let i = 0; i < frames.length; i++) frames[i] = buf.readInt16LE(i * 2) / 32768;
    } else {
      // Copy: the Buffer may be a view at an offset that is not 4-byte aligned.
      frames = new Float32Array(buf.length >> 2);
      new Uint8Array(frames.buffer).set(buf.subarray(0, frames.length * 4));
    }
    send({ type: 'audio', data: frames });
  });
  io.on('error', (e: Error) => {
    send({ type: 'error', message: e.message });
    stop();
  });
  io.on('end', () => {
    send({ type: 'end' });
    stop();
  });
  try {
    io.start();
  } catch (e) {
    send({ type: 'error', message: (e as Error).message });
    stop();
    return;
  }
  send({ type: 'open', device, channelCount, sampleRate: req.sampleRate });
}

main();
