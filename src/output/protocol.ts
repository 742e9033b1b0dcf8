/**
 * The wire protocol between the engine and its display pages. Shared by the Node side and the browser pages
 * (bundled by esbuild), so it uses only DataView / typed arrays, no Node APIs.
 *
 * Binary message on `/frames`: a fixed 64-byte little-endian header, then height × width × 4 RGBA bytes.
 * The header is 64 bytes so the pixels start 8-aligned and the page can view them without copying.
 *
 * | off | type | field                                      |
 * | 0   | u32  | magic 'LVJF' (0x464a564c read as LE)         |
 * | 4   | u8   | protocol version (1)                        |
 * | 5   | u8   | pixel format (1 = RGBA8)                    |
 * | 6   | u16  | header bytes (64)                           |
 * | 8   | u32  | frame number                                |
 * | 12  | u32  | width                                       |
 * | 16  | u32  | height                                      |
 * | 20  | u32  | reserved (0)                                |
 * | 24  | f64  | audioT: audio time of the features, seconds |
 * | 32  | f64  | paramsAt: engine ms (performance.now)      |
 * | 40  | f64  | inferStart, engine ms                      |
 * | 48  | f64  | inferEnd, engine ms                        |
 * | 56  | f64  | sentAt, engine ms                          |
 *
 * Text messages (JSON) on `/frames` and `/state` carry everything else; see the message types below.
 */

import { neutralPostParams, type PostParams } from '../contracts/frameParams.js';

export const FRAME_MAGIC = 0x464a564c; // 'LVJF' in little-endian byte order
export const FRAME_PROTOCOL_VERSION = 1;
export const FRAME_HEADER_BYTES = 64;
export const PIXEL_FORMAT_RGBA8 = 1;

export interface FrameHeader {
  frame: number;
  width: number;
  height: number;
  format: number;
  audioT: number;
  paramsAt: number;
  inferStart: number;
  inferEnd: number;
  sentAt: number;
}

/** Bytes of a whole frame message. */
export function frameMessageBytes(width: number, height: number): number {
  return FRAME_HEADER_BYTES + width * height * 4;
}

/**
 * Writes the header and copies the pixels into `out` (which must hold frameMessageBytes()); allocation-free,
 * so the engine can reuse one buffer per frame size.
 */
export function encodeFrameInto(
  out: Uint8Array,
  h: Omit<FrameHeader, 'format'>,
  rgba: Uint8Array,
): number {
  const pixelBytes = h.width * h.height * 4;
  if (rgba.length !== pixelBytes) {
    throw new RangeError(`frame ${h.frame}: rgba has ${rgba.length} bytes, expected ${h.width}×${h.height}×4 = ${pixelBytes}`);
  }
  const total = FRAME_HEADER_BYTES + pixelBytes;
  if (out.length < total) throw new RangeError(`frame buffer holds ${out.length} bytes, frame ${h.frame} needs ${total}`);
  const v = new DataView(out.buffer, out.byteOffset, FRAME_HEADER_BYTES);
  v.setUint32(0, FRAME_MAGIC, true);
  v.setUint8(4, FRAME_PROTOCOL_VERSION);
  v.setUint8(5, PIXEL_FORMAT_RGBA8);
  v.setUint16(6, FRAME_HEADER_BYTES, true);
  v.setUint32(8, h.frame >>> 0, true);
  v.setUint32(12, h.width, true);
  v.setUint32(16, h.height, true);
  v.setUint32(20, 0, true);
  v.setFloat64(24, h.audioT, true);
  v.setFloat64(32, h.paramsAt, true);
  v.setFloat64(40, h.inferStart, true);
  v.setFloat64(48, h.inferEnd, true);
  v.setFloat64(56, h.sentAt, true);
  out.set(rgba, FRAME_HEADER_BYTES);
  return total;
}

/** Why a binary message is not a frame, or null when it is one. */
export function checkFrameMessage(buf: ArrayBuffer | Uint8Array): string | null {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  if (bytes.length < FRAME_HEADER_BYTES) return `frame message of ${bytes.length} bytes is shorter than the ${FRAME_HEADER_BYTES}-byte header`;
  const v = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  if (v.getUint32(0, true) !== FRAME_MAGIC) return `bad magic 0x${v.getUint32(0, true).toString(16)}, expected 0x${FRAME_MAGIC.toString(16)} ('LVJF')`;
  const version = v.getUint8(4);
  if (version !== FRAME_PROTOCOL_VERSION) return `protocol version ${version}, this page speaks ${FRAME_PROTOCOL_VERSION}`;
  const format = v.getUint8(5);
  if (format !== PIXEL_FORMAT_RGBA8) return `pixel format ${format}, expected ${PIXEL_FORMAT_RGBA8} (RGBA8)`;
  const width = v.getUint32(12, true);
  const height = v.getUint32(16, true);
  const expected = v.getUint16(6, true) + width * height * 4;
  if (bytes.length !== expected) return `frame ${width}×${height} should be ${expected} bytes, got ${bytes.length}`;
  return null;
}

/** Reads the header into `out` (reused by the caller: no allocation per frame). Call checkFrameMessage first. */
export function readFrameHeader(bytes: Uint8Array, out: FrameHeader): FrameHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  out.format = v.getUint8(5);
  out.frame = v.getUint32(8, true);
  out.width = v.getUint32(12, true);
  out.height = v.getUint32(16, true);
  out.audioT = v.getFloat64(24, true);
  out.paramsAt = v.getFloat64(32, true);
  out.inferStart = v.getFloat64(40, true);
  out.inferEnd = v.getFloat64(48, true);
  out.sentAt = v.getFloat64(56, true);
  return out;
}

export function emptyFrameHeader(): FrameHeader {
  return { frame: 0, width: 0, height: 0, format: 0, audioT: 0, paramsAt: 0, inferStart: 0, inferEnd: 0, sentAt: 0 };
}

/** The post-processing state a display applies: PostParams plus the scene for crossfades. */
export interface DisplayPost extends PostParams {
  scene: number | string;
}

export const neutralPost = (): DisplayPost => ({ ...neutralPostParams(), scene: 0 });

/** Engine → page text messages on `/frames`. */
export type FramesServerMessage =
  | { type: 'hello'; engineNow: number; protocol: number }
  | { type: 'post'; post: DisplayPost }
  | { type: 'pong'; id: number; pageT: number; engineNow: number };

/** Page → engine text messages on `/frames`. */
export type FramesClientMessage =
  /** Clock sync: the page's performance.now() when sent. */
  | { type: 'ping'; id: number; pageT: number }
  /**
   * A frame reached the screen. Times are converted to the engine clock by the page (ping/pong offset).
   * `receivedAt` is when its bytes arrived, `presentedAt` when the compositor showed it (next animation frame).
   */
  | {
      type: 'presented';
      frame: number;
      audioT: number;
      sentAt: number;
      receivedAt: number;
      presentedAt: number;
      /** Frames this page received but never drew (a newer one came before the next animation frame), so far. */
      skipped?: number;
    };

/** Meters for the monitor, as plain JSON (typed arrays become number arrays). */
export interface FeaturesSnapshot {
  t: number;
  chroma: number[];
  bassChroma: number[];
  onset: { all: number; kick: number; snare: number; hats: number };
  /** Max of each onset envelope since the previous snapshot (hop rate is higher than the snapshot rate). */
  onsetMax: { all: number; kick: number; snare: number; hats: number };
  /** Every event that fired since the previous snapshot. */
  events: string[];
  rms: number;
  rmsSlow: number;
  bandRms: { low: number; mid: number; high: number };
  novelty: number;
  section: number;
  tempo: { bpm: number; beatPhase: number; barPhase: number; confidence: number; source: string };
}

export interface LatencySummary {
  /** Number of samples in the window. */
  n: number;
  last: number;
  median: number;
  p95: number;
}

export interface OutputStatsSnapshot {
  /** Displays on /frames (output pages; previews not counted). */
  clients: number;
  /** Preview clients on /frames (the monitor's small picture). */
  previews: number;
  framesIn: number;
  /** Frame messages written to sockets, all clients together. */
  framesSent: number;
  /** Frames skipped for a client that was still busy with an older one, all clients together. */
  framesDropped: number;
  /** Frames the displays received but did not draw (they refresh slower than frames arrive), all displays. */
  framesSkippedAtDisplays: number;
  /** Frames per second arriving from the generator (last second). */
  fpsIn: number;
  /** Frames per second presented by the displays (from their reports). */
  fpsPresented: number;
  /** Audio time of a frame → presented on a display, ms (needs an audio source that runs in real time). */
  audioToDisplayMs: LatencySummary;
  /** Handed to the outputs → presented, ms (transport + upload + draw + compositor). */
  sendToDisplayMs: LatencySummary;
}

export interface EngineSnapshot {
  /** The engine's own counters, when the lead wires a provider (frames, missedTicks, mapperMs...). */
  engine?: Record<string, number>;
  /** Generator stats (fps, msMedian, msP95, dropped, ep). */
  generator?: { fps: number; msMedian: number; msP95: number; dropped: number; ep: string };
}

/** Engine → monitor text message on `/state` (about 30 per second). */
export interface StateMessage {
  type: 'state';
  engineNow: number;
  features: FeaturesSnapshot | null;
  post: DisplayPost;
  /** The mapping's resolved target values (mapper.targets()). */
  targets: Record<string, number>;
  output: OutputStatsSnapshot;
  engine: EngineSnapshot;
  /** Overrides set from the monitor (blackout/freeze panic). */
  panic: { blackout: boolean; freeze: boolean };
  /** Whether the control stage's ws endpoint exists (the monitor sends learn/set there). */
  control: boolean;
}

/** Monitor → engine on `/state`: the output-side panic overrides (work even when no control stage runs). */
export type StateClientMessage = { type: 'set'; target: 'output.blackout' | 'output.freeze'; value: number };
