/**
 * The MIDI layer below the native port: a pure, table-driven decoder fed the exact `(deltaTime, [status, d1, d2])`
 * messages RtMidi delivers (@julusian/midi 'message' events). It turns bytes into named control sources
 * (`midi:cc:<channel 1-16>:<cc>`), relative steps, notes, scene recalls and clock events. No I/O here, so every
 * encoding is tested without a sequencer (TESTING.md).
 */
import type { EncoderMode } from './config.js';

/** What one MIDI message means for the performer's controls. */
export type MidiControlEvent =
  /** An absolute position 0..1 of a physical control (fader, knob, pad velocity, pitch wheel). */
  | { kind: 'value'; source: string; value: number }
  /** Relative encoder / NRPN increment: signed steps. */
  | { kind: 'steps'; source: string; steps: number }
  | { kind: 'note'; source: string; on: boolean; velocity: number }
  | { kind: 'program'; channel: number; program: number }
  /** MIDI clock and transport; `tSec` is the port's message clock (sum of RtMidi's deltaTime). */
  | { kind: 'clock'; tSec: number }
  | { kind: 'start'; tSec: number }
  | { kind: 'continue'; tSec: number }
  | { kind: 'stop'; tSec: number }
  /** Song position pointer, in MIDI beats (16th notes = 6 clocks). */
  | { kind: 'position'; sixteenths: number; tSec: number };

/** Per-control decoding settings the decoder needs (a subset of MidiControlConfig). */
export interface MidiDecodeSettings {
  highRes: boolean;
  encoder: EncoderMode;
}

const CHANNELS = 16;
// Source names are precomputed so that decoding a message allocates no strings.
const ccNames: string[] = [];
const noteNames: string[] = [];
const polyNames: string[] = [];
const bendNames: string[] = [];
const pressureNames: string[] = [];
for (let ch = 0; ch < CHANNELS; ch++) {
  for (let n = 0; n < 128; n++) {
    ccNames.push(`midi:cc:${ch + 1}:${n}`);
    noteNames.push(`midi:note:${ch + 1}:${n}`);
    polyNames.push(`midi:at:${ch + 1}:${n}`);
  }
  bendNames.push(`midi:pb:${ch + 1}`);
  pressureNames.push(`midi:at:${ch + 1}`);
}

export const ccSource = (channel1: number, cc: number): string => ccNames[(channel1 - 1) * 128 + cc]!;
export const noteSource = (channel1: number, note: number): string => noteNames[(channel1 - 1) * 128 + note]!;
export const pitchbendSource = (channel1: number): string => bendNames[channel1 - 1]!;
export const nrpnSource = (channel1: number, param: number): string => `midi:nrpn:${channel1}:${param}`;

/**
 * A parsed MIDI source name, e.g. 'midi:cc:1:7' → { type: 'cc', channel: 1, number: 7 }. The names are the
 * mapping's (src/mapping/sources.ts): cc, note, pb (pitch bend), at (aftertouch, per note with a number), nrpn.
 */
export interface MidiSourceId {
  type: 'cc' | 'nrpn' | 'note' | 'pb' | 'at';
  channel: number;
  number: number;
}

export function parseMidiSource(source: string): MidiSourceId | null {
  const m = /^midi:(cc|nrpn|note|pb|at):(\d{1,2})(?::(\d{1,5}))?$/.exec(source);
  if (!m) return null;
  const type = m[1] as MidiSourceId['type'];
  const channel = Number(m[2]);
  const number = m[3] === undefined ? -1 : Number(m[3]);
  if (channel < 1 || channel > 16) return null;
  const max = type === 'nrpn' ? 16383 : 127;
  if (type === 'pb' ? number !== -1 : type === 'at' ? number > max : number < 0 || number > max) return null;
  return { type, channel, number };
}

/** Steps encoded in one relative-encoder CC value (0..127), per the three common conventions. */
export function relativeSteps(mode: EncoderMode, v: number): number {
  switch (mode) {
    case 'relative-signed': // sign and magnitude: bit 6 is the sign, 1..63 up, 65..127 down
      return v & 0x40 ? -(v & 0x3f) || 0 : v & 0x3f;
    case 'relative-offset': // binary offset: 64 is zero
      return v - 64;
    case 'relative-twos': // two's complement in 7 bits: 1..63 up, 127..64 = -1..-64
      return v < 64 ? v : v - 128;
    case 'absolute':
      return 0;
  }
}

/** NRPN/RPN selection of one channel. */
interface ParamSelect {
  kind: 'none' | 'nrpn' | 'rpn';
  msb: number;
  lsb: number;
  dataMsb: number;
}

/**
 * Stateful decoder for one input port (14-bit pairs and NRPN selection are state). Settings are looked up by
 * source name; controls without settings are 7-bit absolute.
 */
export class MidiDecoder {
  /** The port's message clock, seconds (RtMidi's deltaTime is the time since the previous message). */
  tSec = 0;
  /** Messages that were not valid MIDI (wrong length, data byte as status). */
  malformed = 0;
  private readonly msb = new Uint8Array(CHANNELS * 32);
  private readonly params: ParamSelect[] = Array.from({ length: CHANNELS }, () => ({
    kind: 'none' as const,
    msb: 127,
    lsb: 127,
    dataMsb: 0,
  }));

  constructor(private readonly settings: (source: string) => MidiDecodeSettings | undefined = () => undefined) {}

  /** Decode one RtMidi message; pushes 0..n events into `out` (cleared first) and returns it. */
  decode(deltaTime: number, bytes: readonly number[], out: MidiControlEvent[] = []): MidiControlEvent[] {
    out.length = 0;
    if (Number.isFinite(deltaTime) && deltaTime > 0) this.tSec += deltaTime;
    const status = bytes[0];
    if (status === undefined || status < 0x80 || status > 0xff) {
      this.malformed += 1;
      return out;
    }
    if (status >= 0xf0) return this.system(status, bytes, out);
    const type = status & 0xf0;
    const ch = status & 0x0f;
    const need = type === 0xc0 || type === 0xd0 ? 2 : 3;
    if (bytes.length < need || !isData(bytes[1]) || (need === 3 && !isData(bytes[2]))) {
      this.malformed += 1;
      return out;
    }
    const d1 = bytes[1]!;
    const d2 = need === 3 ? bytes[2]! : 0;
    switch (type) {
      case 0x80:
        out.push({ kind: 'note', source: noteNames[ch * 128 + d1]!, on: false, velocity: 0 });
        break;
      case 0x90: // velocity 0 is note off (running-status convention)
        out.push({ kind: 'note', source: noteNames[ch * 128 + d1]!, on: d2 > 0, velocity: d2 / 127 });
        break;
      case 0xa0:
        out.push({ kind: 'value', source: polyNames[ch * 128 + d1]!, value: d2 / 127 });
        break;
      case 0xb0:
        this.controlChange(ch, d1, d2, out);
        break;
      case 0xc0:
        out.push({ kind: 'program', channel: ch + 1, program: d1 });
        break;
      case 0xd0:
        out.push({ kind: 'value', source: pressureNames[ch]!, value: d1 / 127 });
        break;
      case 0xe0: // pitch bend: LSB first, 8192 = centre
        out.push({ kind: 'value', source: bendNames[ch]!, value: ((d2 << 7) | d1) / 16383 });
        break;
    }
    return out;
  }

  private system(status: number, bytes: readonly number[], out: MidiControlEvent[]): MidiControlEvent[] {
    switch (status) {
      case 0xf8:
        out.push({ kind: 'clock', tSec: this.tSec });
        break;
      case 0xfa:
        out.push({ kind: 'start', tSec: this.tSec });
        break;
      case 0xfb:
        out.push({ kind: 'continue', tSec: this.tSec });
        break;
      case 0xfc:
        out.push({ kind: 'stop', tSec: this.tSec });
        break;
      case 0xf2:
        if (bytes.length >= 3 && isData(bytes[1]) && isData(bytes[2])) {
          out.push({ kind: 'position', sixteenths: (bytes[2]! << 7) | bytes[1]!, tSec: this.tSec });
        } else this.malformed += 1;
        break;
      // Sysex, MTC quarter frames, song select, active sensing, reset: nothing a VJ control needs.
    }
    return out;
  }

  private controlChange(ch: number, cc: number, v: number, out: MidiControlEvent[]): void {
    const p = this.params[ch]!;
    // Parameter number selection (NRPN 99/98, RPN 101/100) is consumed, never a control of its own.
    if (cc === 99 || cc === 98) {
      if (p.kind !== 'nrpn') p.msb = p.lsb = 127;
      p.kind = 'nrpn';
      if (cc === 99) p.msb = v;
      else p.lsb = v;
      p.dataMsb = 0;
      return;
    }
    if (cc === 101 || cc === 100) {
      if (p.kind !== 'rpn') p.msb = p.lsb = 127;
      p.kind = 'rpn';
      if (cc === 101) p.msb = v;
      else p.lsb = v;
      if (p.msb === 127 && p.lsb === 127) p.kind = 'none'; // RPN null deselects
      return;
    }
    if (p.kind !== 'none' && (cc === 6 || cc === 38 || cc === 96 || cc === 97)) {
      if (p.kind === 'rpn') return; // RPNs (bend range, tuning) are synth settings, not controls
      const source = nrpnSource(ch + 1, (p.msb << 7) | p.lsb);
      if (cc === 6) {
        p.dataMsb = v; // a new MSB resets the LSB (MIDI 1.0), so 7-bit-only senders work too
        out.push({ kind: 'value', source, value: (v << 7) / 16383 });
      } else if (cc === 38) {
        out.push({ kind: 'value', source, value: ((p.dataMsb << 7) | v) / 16383 });
      } else {
        out.push({ kind: 'steps', source, steps: cc === 96 ? 1 : -1 });
      }
      return;
    }
    const source = ccNames[ch * 128 + cc]!;
    const s = this.settings(source);
    if (s && s.encoder !== 'absolute') {
      const steps = relativeSteps(s.encoder, v);
      if (steps !== 0) out.push({ kind: 'steps', source, steps });
      return;
    }
    if (cc < 32 && s?.highRes) {
      this.msb[ch * 32 + cc] = v;
      out.push({ kind: 'value', source, value: (v << 7) / 16383 });
      return;
    }
    if (cc >= 32 && cc < 64) {
      const msbSource = ccNames[ch * 128 + cc - 32]!;
      if (this.settings(msbSource)?.highRes) {
        out.push({ kind: 'value', source: msbSource, value: ((this.msb[ch * 32 + cc - 32]! << 7) | v) / 16383 });
        return;
      }
    }
    out.push({ kind: 'value', source, value: v / 127 });
  }
}

function isData(b: number | undefined): boolean {
  return b !== undefined && Number.isInteger(b) && b >= 0 && b < 0x80;
}

/** The bytes that set a control on a controller (LED ring, motor fader) to `value` 0..1; empty if not sendable. */
export function feedbackMessages(id: MidiSourceId, value: number, highRes: boolean): number[][] {
  const v = Math.min(1, Math.max(0, value));
  const ch = id.channel - 1;
  switch (id.type) {
    case 'cc':
      if (highRes && id.number < 32) {
        const v14 = Math.round(v * 16383);
        return [
          [0xb0 | ch, id.number, v14 >> 7],
          [0xb0 | ch, id.number + 32, v14 & 0x7f],
        ];
      }
      return [[0xb0 | ch, id.number, Math.round(v * 127)]];
    case 'note':
      return [[0x90 | ch, id.number, Math.round(v * 127)]];
    case 'nrpn': {
      const v14 = Math.round(v * 16383);
      return [
        [0xb0 | ch, 99, id.number >> 7],
        [0xb0 | ch, 98, id.number & 0x7f],
        [0xb0 | ch, 6, v14 >> 7],
        [0xb0 | ch, 38, v14 & 0x7f],
      ];
    }
    case 'pb': {
      const v14 = Math.round(v * 16383);
      return [[0xe0 | ch, v14 & 0x7f, v14 >> 7]];
    }
    case 'at':
      return [];
  }
}
