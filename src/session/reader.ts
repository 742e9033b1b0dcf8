/**
 * Reads a session folder (docs/session.md). Hostile or cut-short input: a torn last line or a partial last params
 * record is what a killed engine leaves, and is dropped; anything else wrong is one UserError naming the file
 * (and line) and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, isAbsolute } from 'node:path';
import { decodeWav, type DecodedAudio } from '../audio/wav.js';
import { UserError } from '../errors.js';
import { FILES, PARAM_FIELDS, recordFloats, SESSION_FORMAT, SESSION_VERSION, type ControlLine, type FrameLine, type MappingLine, type RecordedFrame, type SessionHeader } from './format.js';

export interface Session {
  dir: string;
  header: SessionHeader;
  /** False when the session was cut short (no `ended` in the header). */
  complete: boolean;
  audio: DecodedAudio;
  controls: ControlLine[];
  mappings: Array<MappingLine & { text: string }>;
  frames: FrameLine[];
  /** Frame i's recorded params (whole records only). */
  params(i: number): RecordedFrame;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function readHeader(dir: string): SessionHeader {
  const file = join(dir, FILES.header);
  if (!existsSync(file)) throw new UserError(`${dir}: not a session folder (no ${FILES.header})`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(raw) || raw['format'] !== SESSION_FORMAT) throw new UserError(`${file}: not a latentvj session (format is not "${SESSION_FORMAT}")`);
  if (raw['version'] !== SESSION_VERSION) throw new UserError(`${file}: session format version ${String(raw['version'])}; this latentvj reads version ${SESSION_VERSION}`);
  const audio = raw['audio'];
  if (!isObj(audio) || !finite(audio['sampleRate']) || !finite(audio['channels'])) throw new UserError(`${file}: "audio" needs sampleRate and channels`);
  if (!finite(raw['fps']) || (raw['fps'] as number) <= 0) throw new UserError(`${file}: "fps" must be a positive number`);
  const layout = raw['paramsLayout'];
  if (!isObj(layout) || !PARAM_FIELDS.every((f) => Number.isInteger(layout[f]) && (layout[f] as number) >= 0)) {
    throw new UserError(`${file}: "paramsLayout" needs a non-negative integer for each of ${PARAM_FIELDS.join(', ')}`);
  }
  return raw as unknown as SessionHeader;
}

/** JSON lines; a torn last line (no newline at the end) is dropped, a bad complete line is an error. */
function readLines<T>(file: string, check: (v: unknown) => string | null): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = lines.pop(); // '' when the file ends with a newline
  void torn;
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new UserError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    const bad = check(v);
    if (bad) throw new UserError(`${file}:${i + 1}: ${bad}`);
    out.push(v as T);
  });
  return out;
}

const checkControl = (v: unknown): string | null => {
  if (!isObj(v) || !finite(v['t'])) return 'expected {"t": <seconds>, "event": {...}}';
  const e = v['event'];
  if (!isObj(e)) return 'expected an "event" object';
  switch (e['kind']) {
    case 'midi':
      return typeof e['port'] === 'string' && finite(e['deltaTime']) && Array.isArray(e['bytes']) && e['bytes'].every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? null : 'a "midi" event needs "port", "deltaTime" and "bytes" (integers 0–255)';
    case 'osc':
      return typeof e['address'] === 'string' && typeof e['from'] === 'string' && Array.isArray(e['args']) && e['args'].every((a) => ['number', 'string', 'boolean'].includes(typeof a))
        ? null
        : 'an "osc" event needs "address", "from" and "args" (numbers, strings, booleans)';
    case 'command':
      return isObj(e['command']) && typeof e['command']['type'] === 'string' && typeof e['source'] === 'string' ? null : 'a "command" event needs a "command" with a "type", and a "source"';
    default:
      return `unknown event kind ${JSON.stringify(e['kind'])}; expected midi, osc or command`;
  }
};
const checkMapping = (v: unknown): string | null =>
  !isObj(v) || !finite(v['t']) || !Number.isInteger(v['version']) || typeof v['file'] !== 'string' ? 'expected {"t", "version", "file", "source"}' : null;
const checkFrame = (v: unknown): string | null =>
  !isObj(v) || !Number.isInteger(v['frame']) || !finite(v['t']) || !finite(v['dt']) || !finite(v['truncation']) || !isObj(v['post']) ? 'expected {"frame", "t", "dt", "truncation", "scene", "post"}' : null;

export function readSession(dir: string): Session {
  const header = readHeader(dir);
  const audioFile = join(dir, FILES.audio);
  if (!existsSync(audioFile)) throw new UserError(`${audioFile}: missing (the session's audio)`);
  const audio = decodeWav(readFileSync(audioFile), audioFile);
  if (audio.sampleRate !== header.audio.sampleRate || audio.channels.length !== header.audio.channels) {
    throw new UserError(`${audioFile}: ${audio.channels.length} channels at ${audio.sampleRate} Hz, but ${FILES.header} says ${header.audio.channels} at ${header.audio.sampleRate} Hz`);
  }
  const controls = readLines<ControlLine>(join(dir, FILES.controls), checkControl);
  const mappings = readLines<MappingLine>(join(dir, FILES.mappings), checkMapping).map((m, i) => {
    const rel = normalize(m.file);
    // A session folder from elsewhere must not make us read outside it.
    if (isAbsolute(rel) || rel.startsWith('..')) throw new UserError(`${join(dir, FILES.mappings)}:${i + 1}: "file" must stay inside the session folder, got ${m.file}`);
    const path = join(dir, rel);
    if (!existsSync(path)) throw new UserError(`${join(dir, FILES.mappings)}:${i + 1}: ${m.file} is missing`);
    return { ...m, text: readFileSync(path, 'utf8') };
  });
  const paramsFile = join(dir, FILES.params);
  const per = recordFloats(header.paramsLayout);
  const bytes = existsSync(paramsFile) ? readFileSync(paramsFile) : Buffer.alloc(0);
  const whole = per > 0 ? Math.floor(bytes.length / (per * 4)) : Infinity;
  // Frames whose record was written (the record goes first; a killed writer can leave a record without its line).
  const frames = readLines<FrameLine>(join(dir, FILES.frames), checkFrame).slice(0, whole);
  const floats = new Float32Array(per * frames.length);
  for (let i = 0; i < floats.length; i++) floats[i] = bytes.readFloatLE(i * 4);
  return {
    dir,
    header,
    complete: header.ended !== undefined,
    audio,
    controls,
    mappings,
    frames,
    params(i: number): RecordedFrame {
      const line = frames[i];
      if (!line) throw new RangeError(`session frame ${i}: the session has ${frames.length}`);
      let at = i * per;
      const p = {} as RecordedFrame['params'];
      for (const f of PARAM_FIELDS) {
        const len = header.paramsLayout[f];
        p[f] = floats.subarray(at, at + len);
        at += len;
      }
      return { ...line, params: p };
    },
  };
}
