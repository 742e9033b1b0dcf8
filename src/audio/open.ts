/**
 * Turns the audio config into a source: the line-in, a file, or the demo track. The engine subscribes once to
 * `blocks$` (and shares it itself).
 *
 * `auto` plays the default input device when PortAudio has one, and otherwise the demo track, saying so in one
 * line with the reason, so `npm start` shows something on a machine without a sound card.
 */
import type { AudioSource } from '../contracts/stages.js';
import type { AudioConfig } from './config.js';
import type { AudioSourceInfo } from './types.js';
import { UserError, describeError } from '../errors.js';
import { logger, type Logger } from '../log.js';
import { renderDemoTrack, DEMO_BPM } from './demo.js';
import { readAudioFile } from './readAudio.js';
import { fileBlocks$, memoryReader, prepareAudio, type BlockReader } from './fileSource.js';
import { openWavStream } from './wavStream.js';
import { WAV_MAX_CHANNELS, WAV_MAX_RATE, WAV_MIN_RATE } from './wav.js';
import { dbToGain, mixInto, outputChannels, resolveChannels } from './channels.js';
import { sniffAudio } from './readAudio.js';
import { lineIn$ } from './lineIn.js';
import { listAudioInputs, formatDevice, type AudioDeviceList, type AudioInputDevice } from './devices.js';
import type { DeviceSelector } from './portaudioProtocol.js';
import type { PacingClock } from './clock.js';
import { parseSourceSpec } from './sourceSpec.js';

export { parseSourceSpec, type ParsedSource } from './sourceSpec.js';

export interface OpenAudioOptions {
  /** Live: pace files and the demo in real time. Offline: as fast as the consumer takes blocks. */
  realtime: boolean;
  /** Environment of the PortAudio process (tests point ALSA_CONFIG_PATH at an ALSA file PCM). */
  env?: NodeJS.ProcessEnv;
  clock?: PacingClock;
  log?: Logger;
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
const chList = (ch: readonly number[]): string => ch.join('+');
const gainText = (db: number): string => (db === 0 ? '' : `, gain ${db > 0 ? '+' : ''}${db.toFixed(1)} dB`);

function findDevice(list: AudioDeviceList, sel: DeviceSelector): AudioInputDevice | undefined {
  if (sel.kind === 'default') return list.devices.find((d) => d.id === list.defaultInputId);
  if (sel.kind === 'id') return list.devices.find((d) => d.id === sel.id);
  const low = sel.name.toLowerCase();
  return list.devices.find((d) => d.name === sel.name) ?? list.devices.find((d) => d.name.toLowerCase().includes(low));
}

function deviceSource(cfg: AudioConfig, device: AudioInputDevice, opts: OpenAudioOptions): AudioSource {
  const nOut = cfg.mix === 'mono' ? 1 : cfg.channels.filter((c) => c <= device.maxInputChannels).length || 1;
  const info: AudioSourceInfo = {
    description: `line-in: "${device.name}" (${device.hostAPIName}, id ${device.id}) ${cfg.sampleRate} Hz ch ${chList(cfg.channels)}${cfg.mix === 'mono' && cfg.channels.length > 1 ? ' → mono' : ''}${gainText(cfg.gainDb)}`,
    kind: 'device',
    sampleRate: cfg.sampleRate,
    channels: nOut,
  };
  const blocks$ = lineIn$({
    // By exact name: the id can change if devices come and go before we open it.
    device: { kind: 'name', name: device.name, exact: true },
    sampleRate: cfg.sampleRate,
    channels: cfg.channels,
    mix: cfg.mix,
    blockSize: cfg.blockSize,
    gainDb: cfg.gainDb,
    sampleFormat: cfg.sampleFormat,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { info, blocks$ };
}

function demoSource(cfg: AudioConfig, opts: OpenAudioOptions): AudioSource {
  const demo = renderDemoTrack({ sampleRate: cfg.sampleRate });
  const prepared = prepareAudio(demo, { channels: cfg.channels, mix: cfg.mix, gainDb: cfg.gainDb, name: 'demo track' });
  const info: AudioSourceInfo = {
    description: `demo track (${DEMO_BPM} BPM, ${demo.truth.durationS.toFixed(0)} s, ${demo.sampleRate} Hz${cfg.loop ? ', looping' : ''}${gainText(cfg.gainDb)})`,
    kind: 'demo',
    sampleRate: demo.sampleRate,
    channels: prepared.channels.length,
  };
  return { info, blocks$: fileBlocks$(prepared, { ...cfg, realtime: opts.realtime, name: 'demo track', ...(opts.clock ? { clock: opts.clock } : {}) }) };
}

/**
 * A WAV file is read block by block from disk (any size, validated at open); other formats are decoded whole by
 * ffmpeg, and their rate and channel count are checked before playing.
 */
async function fileSource(cfg: AudioConfig, path: string, opts: OpenAudioOptions, log: Logger): Promise<AudioSource> {
  let reader: BlockReader;
  let fileChannels: number;
  if (sniffAudio(path).isWav) {
    const wav = openWavStream(path);
    fileChannels = wav.channelCount;
    const { use, dropped } = resolveChannels(cfg.channels, fileChannels);
    if (use.length === 0) {
      wav.close();
      throw new UserError(`${path}: has ${fileChannels} channel(s), none of the chosen channels [${cfg.channels.join(', ')}] exist; choose from 1 to ${fileChannels}`);
    }
    if (dropped.length > 0 && !(fileChannels === 1 && cfg.channels.join() === '1,2')) {
      log.info(`${path} has ${plural(fileChannels, 'channel')}; channel(s) ${dropped.join(', ')} ignored`);
    }
    const gain = dbToGain(cfg.gainDb);
    let scratch: Float32Array[] = [];
    reader = {
      sampleRate: wav.sampleRate,
      channels: outputChannels(use, cfg.mix),
      frames: wav.frames,
      read(pos, n, out, outOffset) {
        if ((scratch[0]?.length ?? 0) < n) scratch = Array.from({ length: fileChannels }, () => new Float32Array(n));
        wav.read(pos, n, scratch, 0);
        mixInto(scratch, use, cfg.mix, gain, 0, n, out, outOffset);
      },
    };
  } else {
    const audio = await readAudioFile(path);
    if (!(audio.sampleRate >= WAV_MIN_RATE && audio.sampleRate <= WAV_MAX_RATE)) {
      throw new UserError(`${path}: sample rate ${audio.sampleRate} Hz is outside ${WAV_MIN_RATE}–${WAV_MAX_RATE} Hz`);
    }
    if (audio.channels.length > WAV_MAX_CHANNELS) throw new UserError(`${path}: ${audio.channels.length} channels; at most ${WAV_MAX_CHANNELS} are supported`);
    // A header with no samples would end the source at once: live would start and stop with exit 0, meter print nothing.
    if ((audio.channels[0]?.length ?? 0) === 0) throw new UserError(`${path}: the file holds no audio samples`);
    fileChannels = audio.channels.length;
    const prepared = prepareAudio(audio, { channels: cfg.channels, mix: cfg.mix, gainDb: cfg.gainDb, name: path });
    if (prepared.dropped.length > 0 && !(fileChannels === 1 && cfg.channels.join() === '1,2')) {
      log.info(`${path} has ${plural(fileChannels, 'channel')}; channel(s) ${prepared.dropped.join(', ')} ignored`);
    }
    reader = memoryReader(prepared);
  }
  const seconds = reader.frames / reader.sampleRate;
  const mmss = `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  const info: AudioSourceInfo = {
    description: `file: ${path} (${reader.sampleRate} Hz, ${plural(fileChannels, 'channel')}${cfg.mix === 'mono' && fileChannels > 1 ? ' → mono' : ''}, ${mmss}${cfg.loop ? ', looping' : ''}${gainText(cfg.gainDb)})`,
    kind: 'file',
    sampleRate: reader.sampleRate,
    channels: reader.channels,
  };
  return { info, blocks$: fileBlocks$(reader, { ...cfg, realtime: opts.realtime, name: path, ...(opts.clock ? { clock: opts.clock } : {}) }) };
}

/** Opens the configured source. Bad files and unknown devices are UserErrors; a missing default device is not. */
export async function openAudioSource(cfg: AudioConfig, opts: OpenAudioOptions): Promise<AudioSource> {
  const log = opts.log ?? logger('audio');
  const spec = parseSourceSpec(cfg.source);
  const listOpts = opts.env ? { env: opts.env } : {};
  if (spec.kind === 'demo') return demoSource(cfg, opts);
  if (spec.kind === 'file') return fileSource(cfg, spec.path, opts, log);

  let list: AudioDeviceList | null = null;
  let listError = '';
  try {
    list = await listAudioInputs(listOpts);
  } catch (e) {
    listError = describeError(e);
  }

  if (spec.kind === 'auto') {
    const device = list ? findDevice(list, { kind: 'default' }) : undefined;
    if (device) return deviceSource(cfg, device, opts);
    let why: string;
    if (!list) why = `no audio input available (PortAudio: ${listError})`;
    else if (list.devices.length === 0) why = `no audio input device found (PortAudio lists 0 inputs)`;
    else why = `no default audio input (PortAudio lists ${plural(list.devices.length, 'input')}; pick one with --audio device:<id|name>)`;
    log.warn(`${why}; playing the demo track`);
    return demoSource(cfg, opts);
  }

  if (!list) throw new UserError(`audio source "${cfg.source}": PortAudio cannot list devices (${listError})`);
  const device = findDevice(list, spec.selector);
  if (!device) {
    const what = spec.selector.kind === 'default' ? 'there is no default input device' : spec.selector.kind === 'id' ? `no input device has id ${spec.selector.id}` : `no input device name contains "${spec.selector.name}"`;
    const avail = list.devices.length === 0 ? 'PortAudio lists no input devices' : `inputs are:\n${list.devices.map((d) => '  ' + formatDevice(d, d.id === list.defaultInputId)).join('\n')}`;
    throw new UserError(`audio source "${cfg.source}": ${what}; ${avail}`);
  }
  return deviceSource(cfg, device, opts);
}
