/**
 * What the performer needs to know about the mapping now running, for the monitor and `GET /api/state`: its file,
 * version and load time, its scenes and cues, and the error of the last save when that save was refused (the
 * previous mapping keeps running until a good save clears it). Pure over the reload results the mapper reports.
 */
import type { CueQuantise } from '../visual/sections.js';

/** A refused save: where (file:line:col, when the message names them) and the message itself. */
export interface MappingErrorInfo {
  file: string;
  line: number | null;
  col: number | null;
  /** The message without the `file:line:col: ` prefix of its first line (further lines kept). */
  text: string;
  /** Epoch ms of the refused save. */
  atMs: number;
}

export interface MappingStatus {
  file: string;
  /** Increments on every successful (re)load. */
  version: number;
  /** Epoch ms of the last successful (re)load. */
  loadedAtMs: number;
  /** The error of the last save, until a save that loads clears it. */
  error: MappingErrorInfo | null;
  /** Section sets (the scenes a performer recalls), in file order. */
  scenes: string[];
  /** Cue names the routes read (`control:cue:<name>`), sorted. */
  cues: string[];
  /** When a scene recall takes effect (`sections.cueQuantise`). */
  cueQuantise: CueQuantise;
}

const CUE_PREFIX = 'control:cue:';

/** The cue names among route sources, without duplicates, sorted. */
export function cuesOf(sources: readonly string[]): string[] {
  return [...new Set(sources.filter((s) => s.startsWith(CUE_PREFIX)).map((s) => s.slice(CUE_PREFIX.length)))].filter((n) => n !== '').sort();
}

/**
 * Splits `file:line:col: text` (the mapping's error format, src/mapping/load.ts) into its parts. The file is
 * matched as the known path first, since a path may itself hold colons (`C:\sets\live.yaml`).
 */
export function locateErrorMessage(message: string, file: string, atMs: number): MappingErrorInfo {
  const rest = message.startsWith(`${file}:`) ? message.slice(file.length + 1) : null;
  const m = rest !== null ? /^(\d+)(?::(\d+))?: ?([\s\S]*)$/.exec(rest) : /^(.+?):(\d+)(?::(\d+))?: ([\s\S]*)$/.exec(message);
  if (!m) {
    // `file: cannot read (ENOENT)` and other messages without a line.
    const text = rest !== null ? rest.replace(/^ /, '') : message;
    return { file, line: null, col: null, text, atMs };
  }
  if (rest !== null) return { file, line: Number(m[1]), col: m[2] ? Number(m[2]) : null, text: m[3]!, atMs };
  return { file: m[1]!, line: Number(m[2]), col: m[3] ? Number(m[3]) : null, text: m[4]!, atMs };
}

/** Keeps the status up to date from the mapper's reload results. */
export class MappingStatusTracker {
  private status: MappingStatus;

  constructor(file: string, loadedAtMs: number, private readonly describe: () => Pick<MappingStatus, 'scenes' | 'cues' | 'cueQuantise'>) {
    this.status = { file, version: 1, loadedAtMs, error: null, ...describe() };
  }

  loaded(version: number, atMs: number): void {
    this.status = { ...this.status, version, loadedAtMs: atMs, error: null, ...this.describe() };
  }

  refused(message: string, atMs: number): void {
    this.status = { ...this.status, error: locateErrorMessage(message, this.status.file, atMs) };
  }

  /** The file reads back as the mapping now running (a save undone): nothing is wrong any more. */
  unchanged(): void {
    if (this.status.error) this.status = { ...this.status, error: null };
  }

  /** A copy the caller may keep (the monitor serialises it). */
  get(): MappingStatus {
    return { ...this.status, scenes: [...this.status.scenes], cues: [...this.status.cues] };
  }
}
