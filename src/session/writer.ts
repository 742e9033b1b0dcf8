/**
 * Records a session folder while a show runs. Every file is appended to as things happen (synchronous appends of
 * small buffers: a few hundred bytes per control event or frame, and one audio block at a time), so a session
 * cut short at any moment is readable up to where it stopped. `close()` writes the final sizes into the WAV
 * header and `ended` into session.json.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { extname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { ControlInput } from '../control/index.js';
import type { Manifest } from '../generator/types.js';
import type { FrameParams } from '../visual/types.js';
import { FILES, layoutFor, PARAM_FIELDS, recordFloats, SESSION_FORMAT, SESSION_VERSION, type FrameLine, type MappingLine, type ParamsLayout, type SessionHeader } from './format.js';

export interface SessionWriterOptions {
  dir: string;
  sampleRate: number;
  channels: number;
  fps: number;
  modelDir: string;
  manifest: Manifest;
  config: unknown;
  writer?: string;
  /** The engine's audio time (s) of the session's first sample, when recording started mid-set. */
  startS?: number;
}

const WAV_HEADER_BYTES = 44;

/** A 32-bit float WAV header; sizes 0xFFFFFFFF ("to the end of the file") until they are known. */
function wavHeader(sampleRate: number, channels: number, dataBytes: number | null): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(dataBytes === null ? 0xffffffff : 36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(3, 20); // IEEE float
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 4, 28);
  h.writeUInt16LE(channels * 4, 32);
  h.writeUInt16LE(32, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes === null ? 0xffffffff : dataBytes, 40);
  return h;
}

export class SessionWriter {
  private readonly fds: Record<'audio' | 'controls' | 'mappings' | 'frames' | 'params', number>;
  private readonly header: SessionHeader;
  private readonly layout: ParamsLayout;
  private readonly record: Float32Array;
  private audioFrames = 0;
  private frames = 0;
  private mappingVersions = 0;
  private lastMappingText: string | null = null;
  private closed = false;

  constructor(private readonly o: SessionWriterOptions) {
    if (existsSync(o.dir) && readdirSync(o.dir).length > 0) throw new UserError(`--record ${o.dir}: the folder exists and is not empty; choose a new one`);
    mkdirSync(join(o.dir, FILES.mappingDir), { recursive: true });
    this.layout = layoutFor(o.manifest);
    this.record = new Float32Array(recordFloats(this.layout));
    this.header = {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      createdAt: new Date().toISOString(),
      writer: o.writer ?? 'latentvj',
      audio: { file: FILES.audio, sampleRate: o.sampleRate, channels: o.channels },
      fps: o.fps,
      model: { dir: o.modelDir, id: o.manifest.origin.sha256, width: o.manifest.width, height: o.manifest.height },
      paramsLayout: this.layout,
      config: o.config,
      ...(o.startS ? { startS: o.startS } : {}),
    };
    this.writeHeader();
    const open = (f: string): number => openSync(join(o.dir, f), 'a');
    // Not in append mode: close() rewrites the WAV header in place (positional writes are ignored in append mode).
    this.fds = { audio: openSync(join(o.dir, FILES.audio), 'w'), controls: open(FILES.controls), mappings: open(FILES.mappings), frames: open(FILES.frames), params: open(FILES.params) };
    writeSync(this.fds.audio, wavHeader(o.sampleRate, o.channels, null));
  }

  private writeHeader(): void {
    const file = join(this.o.dir, FILES.header);
    writeFileSync(`${file}.tmp`, JSON.stringify(this.header, null, 1) + '\n');
    renameSync(`${file}.tmp`, file);
  }

  /** Audio time (s) of the samples written so far: the time of the next block. */
  get audioS(): number {
    return this.audioFrames / this.o.sampleRate;
  }

  /** One block of the audio as heard (planar channels, equal lengths), interleaved into the WAV. */
  audio(channels: readonly Float32Array[]): void {
    if (this.closed) return;
    if (channels.length !== this.o.channels) throw new Error(`session audio: ${channels.length} channels, the session has ${this.o.channels}`);
    const n = channels[0]?.length ?? 0;
    const buf = Buffer.alloc(n * this.o.channels * 4);
    for (let i = 0; i < n; i++) for (let c = 0; c < this.o.channels; c++) buf.writeFloatLE(channels[c]![i]!, (i * this.o.channels + c) * 4);
    writeSync(this.fds.audio, buf, 0, buf.length, WAV_HEADER_BYTES + this.audioFrames * this.o.channels * 4);
    this.audioFrames += n;
  }

  control(t: number, event: ControlInput): void {
    if (this.closed) return;
    writeSync(this.fds.controls, JSON.stringify({ t, event }) + '\n');
  }

  /** A mapping version as loaded at audio time t (the same text twice in a row is one version). */
  mapping(t: number, text: string, source: string): void {
    if (this.closed || text === this.lastMappingText) return;
    this.lastMappingText = text;
    this.mappingVersions += 1;
    const file = `${FILES.mappingDir}/${String(this.mappingVersions).padStart(4, '0')}${extname(source) || '.yaml'}`;
    writeFileSync(join(this.o.dir, file), text);
    const line: MappingLine = { t, version: this.mappingVersions, file, source };
    writeSync(this.fds.mappings, JSON.stringify(line) + '\n');
  }

  /** The params of a frame that was shown. The record is written before its line, so a line always has its record. */
  frame(p: FrameParams, dt: number): void {
    if (this.closed) return;
    let at = 0;
    for (const f of PARAM_FIELDS) {
      const src = p[f];
      const len = this.layout[f];
      for (let i = 0; i < len; i++) this.record[at + i] = i < src.length ? src[i]! : 0;
      at += len;
    }
    writeSync(this.fds.params, new Uint8Array(this.record.buffer, this.record.byteOffset, this.record.byteLength));
    const line: FrameLine = { frame: p.frame, t: p.t, dt, truncation: p.truncation, scene: p.scene, post: p.post };
    writeSync(this.fds.frames, JSON.stringify(line) + '\n');
    this.frames += 1;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    writeSync(this.fds.audio, wavHeader(this.o.sampleRate, this.o.channels, this.audioFrames * this.o.channels * 4), 0, WAV_HEADER_BYTES, 0);
    for (const fd of Object.values(this.fds)) closeSync(fd);
    this.header.ended = { audioS: this.audioS, frames: this.frames };
    this.writeHeader();
  }
}
