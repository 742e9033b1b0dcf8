/**
 * WAV (RIFF/WAVE) decoding and encoding in-process.
 *
 * Written here rather than taken from npm: the format is small and fixed, the installed packages have no decoder,
 * and we want errors that name the file and the chunk that is wrong. Reads PCM 8/16/24/32-bit integer and 32/64-bit
 * float, plain or WAVE_FORMAT_EXTENSIBLE, any channel count and sample rate, walking chunks (LIST, fact, bext,
 * JUNK… are skipped; odd-sized chunks are padded as RIFF requires).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/** Decoded audio: planar float channels in -1..1. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Sample encodings the encoder writes (and the decoder reads). */
export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface WavEncodeOptions {
  /** Write a WAVE_FORMAT_EXTENSIBLE header (as many DAWs do for >2 channels or >16 bits). */
  extensible?: boolean;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface WavFormat {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  float: boolean;
}

const ascii = (b: Uint8Array, at: number, n: number): string => {
  let s = '';
  for (let i = 0; i < n && at + i < b.length; i++) {
    const c = b[at + i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
};

/**
 * Sample rates a WAV may declare. Below 8 kHz nothing the analysis listens for fits (a 1 Hz file would "play"
 * silence for minutes); above 384 kHz is no audio interface's rate. Checked when the file is opened.
 */
export const WAV_MIN_RATE = 8000;
export const WAV_MAX_RATE = 384000;
export const WAV_MAX_CHANNELS = 64;

/** Parses the fmt chunk body. */
export function parseFmt(view: DataView, at: number, size: number, name: string): WavFormat {
  if (size < 16) throw new UserError(`${name}: fmt chunk is ${size} bytes, expected at least 16`);
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new UserError(`${name}: WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, expected 40`);
    // The sub-format GUID starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT).
    formatTag = view.getUint16(at + 24, true);
  }
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new UserError(
      `${name}: WAV sample format 0x${formatTag.toString(16).padStart(4, '0')} is not supported; expected PCM (1) or IEEE float (3) — convert it with ffmpeg, or give the file an .mp3/.flac extension`,
    );
  }
  const float = formatTag === WAVE_FORMAT_IEEE_FLOAT;
  const okBits = float ? [32, 64] : [8, 16, 24, 32];
  if (!okBits.includes(bitsPerSample)) {
    throw new UserError(`${name}: ${bitsPerSample}-bit ${float ? 'float' : 'PCM'} WAV is not supported; expected ${okBits.join('/')}-bit`);
  }
  if (channels < 1) throw new UserError(`${name}: fmt chunk says 0 channels`);
  if (channels > WAV_MAX_CHANNELS) throw new UserError(`${name}: fmt chunk says ${channels} channels; at most ${WAV_MAX_CHANNELS} are supported`);
  if (sampleRate < WAV_MIN_RATE || sampleRate > WAV_MAX_RATE) {
    throw new UserError(`${name}: sample rate ${sampleRate} Hz is outside ${WAV_MIN_RATE}–${WAV_MAX_RATE} Hz; resample it (ffmpeg -i in.wav -ar 48000 out.wav)`);
  }
  const expectAlign = (channels * bitsPerSample) / 8;
  if (blockAlign !== expectAlign) {
    throw new UserError(`${name}: fmt block align is ${blockAlign}, expected ${expectAlign} for ${channels} × ${bitsPerSample}-bit`);
  }
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign, float };
}

/** Decodes a WAV file held in memory. `name` is used in error messages (the file path). */
export function decodeWav(bytes: Uint8Array, name = '<buffer>'): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // RF64 (EBU Tech 3306, WAV over 4 GB, also what ffmpeg -rf64 writes) has the same layout; its 32-bit data size is
  // 0xFFFFFFFF, with the real size in a ds64 chunk: we read the data chunk to the end of the file then.
  const magic = ascii(bytes, 0, 4);
  if (bytes.length < 12 || (magic !== 'RIFF' && magic !== 'RF64') || ascii(bytes, 8, 4) !== 'WAVE') {
    const head = bytes.length === 0 ? 'is empty' : `starts with "${ascii(bytes, 0, 12)}"`;
    throw new UserError(`${name}: not a WAV file (${head}; expected "RIFF....WAVE")`);
  }
  let fmt: WavFormat | null = null;
  let dataAt = -1;
  let dataSize = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    const remaining = bytes.length - body;
    if (id === 'data') {
      // 0xFFFFFFFF (and 0) are written by streaming encoders that never came back to fix the size: read to the end.
      if (size === 0xffffffff || (size === 0 && remaining > 0)) size = remaining;
      if (size > remaining) {
        throw new UserError(`${name}: truncated WAV: data chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
      }
      dataAt = body;
      dataSize = size;
      if (fmt) break;
    } else if (id === 'fmt ') {
      if (size > remaining) throw new UserError(`${name}: truncated WAV: fmt chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
      fmt = parseFmt(view, body, size, name);
      if (dataAt >= 0) break;
    } else if (size > remaining) {
      throw new UserError(`${name}: truncated WAV: "${id}" chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new UserError(`${name}: WAV has no fmt chunk (truncated or not a WAV file)`);
  if (dataAt < 0) throw new UserError(`${name}: WAV has no data chunk (truncated?)`);

  const frames = Math.floor(dataSize / fmt.blockAlign);
  const channels: Float32Array[] = [];
  for (let c = 0; c < fmt.channels; c++) channels.push(new Float32Array(frames));
  decodeFrames(bytes, dataAt, frames, fmt, channels, 0);
  return { sampleRate: fmt.sampleRate, channels };
}

/** Decodes `frames` interleaved frames starting at byte `at` of `bytes` into planar `out` at `outOffset`. */
export function decodeFrames(bytes: Uint8Array, at: number, frames: number, fmt: WavFormat, out: Float32Array[], outOffset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPer = fmt.bitsPerSample / 8;
  const nc = fmt.channels;
  for (let f = 0; f < frames; f++) {
    const base = at + f * fmt.blockAlign;
    for (let c = 0; c < nc; c++) {
      const p = base + c * bytesPer;
      let v: number;
      if (fmt.float) v = bytesPer === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bytesPer === 2) v = view.getInt16(p, true) / 32768;
      else if (bytesPer === 3) {
        const u = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16);
        v = ((u << 8) >> 8) / 8388608;
      } else if (bytesPer === 4) v = view.getInt32(p, true) / 2147483648;
      else v = (bytes[p]! - 128) / 128; // 8-bit WAV is unsigned
      out[c]![outOffset + f] = v;
    }
  }
}

/** Reads and decodes a WAV file; errors name the path. */
export function readWavFile(path: string): DecodedAudio {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read audio file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  return decodeWav(bytes, path);
}

const FORMAT_BITS: Record<WavSampleFormat, { bits: number; float: boolean }> = {
  pcm8: { bits: 8, float: false },
  pcm16: { bits: 16, float: false },
  pcm24: { bits: 24, float: false },
  pcm32: { bits: 32, float: false },
  float32: { bits: 32, float: true },
  float64: { bits: 64, float: true },
};

/** Encodes planar float audio as a WAV file. Integer formats clamp to -1..(1 − 1 LSB) and round to nearest. */
export function encodeWav(audio: DecodedAudio, format: WavSampleFormat = 'pcm16', opts: WavEncodeOptions = {}): Buffer {
  const { bits, float } = FORMAT_BITS[format];
  const nc = audio.channels.length;
  if (nc < 1) throw new RangeError('encodeWav: no channels');
  const frames = audio.channels[0]!.length;
  for (const ch of audio.channels) if (ch.length !== frames) throw new RangeError('encodeWav: channels differ in length');
  const bytesPer = bits / 8;
  const blockAlign = nc * bytesPer;
  const dataSize = frames * blockAlign;
  const fmtSize = opts.extensible ? 40 : 16;
  const padded = dataSize + (dataSize & 1);
  const buf = Buffer.alloc(12 + 8 + fmtSize + 8 + padded);
  let o = 0;
  buf.write('RIFF', o, 'ascii');
  buf.writeUInt32LE(buf.length - 8, 4);
  buf.write('WAVE', 8, 'ascii');
  o = 12;
  buf.write('fmt ', o, 'ascii');
  buf.writeUInt32LE(fmtSize, o + 4);
  const tag = float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  buf.writeUInt16LE(opts.extensible ? WAVE_FORMAT_EXTENSIBLE : tag, o + 8);
  buf.writeUInt16LE(nc, o + 10);
  buf.writeUInt32LE(audio.sampleRate, o + 12);
  buf.writeUInt32LE(audio.sampleRate * blockAlign, o + 16);
  buf.writeUInt16LE(blockAlign, o + 20);
  buf.writeUInt16LE(bits, o + 22);
  if (opts.extensible) {
    buf.writeUInt16LE(22, o + 24); // cbSize
    buf.writeUInt16LE(bits, o + 26); // valid bits per sample
    buf.writeUInt32LE(nc <= 32 ? 2 ** nc - 1 : 0, o + 28); // channel mask: the first nc speakers
    // Sub-format GUID: {0000000X-0000-0010-8000-00AA00389B71}.
    buf.writeUInt16LE(tag, o + 32);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(buf, o + 34);
  }
  o += 8 + fmtSize;
  buf.write('data', o, 'ascii');
  buf.writeUInt32LE(dataSize, o + 4);
  o += 8;
  const full = 2 ** (bits - 1);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nc; c++) {
      const v = audio.channels[c]![f]!;
      if (float) {
        if (bits === 32) buf.writeFloatLE(v, o);
        else buf.writeDoubleLE(v, o);
      } else {
        const q = Math.max(-full, Math.min(full - 1, Math.round(v * full)));
        if (bits === 8) buf.writeUInt8(q + 128, o);
        else if (bits === 16) buf.writeInt16LE(q, o);
        else if (bits === 24) buf.writeIntLE(q, o, 3);
        else buf.writeInt32LE(q, o);
      }
      o += bytesPer;
    }
  }
  return buf;
}
