/**
 * Captured latents survive a restart: the slots of every `capture` bank are kept in
 * `<mapping>.captures.json` beside the mapping file, read when the bank loads and written when they change.
 *
 * The mapper stores a capture into the bank's own slot arrays (the Float32Arrays loadBank returned), so the store
 * only holds references to them and compares against what it last wrote; nothing is added to the per-frame
 * path. A write goes to a temporary file and is renamed over the old one; a failed write is logged, never thrown
 * (the show goes on), and a damaged file is reported once and ignored.
 */
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { logger } from '../log.js';

const log = logger('captures');

export class CaptureStore {
  readonly file: string;
  private saved = new Map<string, number[][]>();
  private tracked = new Map<string, Float32Array[]>();
  private lastWritten = '';

  constructor(mappingFile: string) {
    this.file = join(dirname(mappingFile), `${basename(mappingFile).replace(/\.(ya?ml|json)$/i, '')}.captures.json`);
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // none captured yet
    }
    try {
      const json = JSON.parse(text) as { banks?: Record<string, unknown> };
      for (const [name, slots] of Object.entries(json.banks ?? {})) {
        if (Array.isArray(slots) && slots.every((s) => Array.isArray(s) && s.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
          this.saved.set(name, slots as number[][]);
        } else {
          log.warn(`${this.file}: bank '${name}' is not a list of latents; its captures start afresh`);
        }
      }
      this.lastWritten = text;
    } catch (e) {
      log.warn(`${this.file}: not valid JSON (${(e as Error).message}); captures start afresh`);
    }
  }

  private pending = new Map<string, Float32Array[]>();

  /**
   * Fills a bank's slots from what was captured before (the latest values of the slots followed now, else the
   * file's; where the sizes still fit). They are followed once `commit()` says the mapping compiled.
   */
  adopt(bank: string, slots: Float32Array[]): void {
    const live = this.tracked.get(bank);
    const before = live ? live.map((s) => Array.from(s)) : this.saved.get(bank);
    if (before) for (let i = 0; i < slots.length && i < before.length; i++) if (before[i]!.length === slots[i]!.length) slots[i]!.set(before[i]!);
    this.pending.set(bank, slots);
  }

  /** The mapping compiled: follow the slots adopted for it (those of a replaced mapping are kept as saved). */
  commit(): void {
    for (const [name, slots] of this.tracked) this.saved.set(name, slots.map((s) => Array.from(s)));
    this.tracked = this.pending;
    this.pending = new Map();
    // Slots as loaded are not news: only a capture makes a write.
    if (this.lastWritten === '') this.lastWritten = this.text();
  }

  /** The mapping did not compile: forget what was adopted for it. */
  discard(): void {
    this.pending.clear();
  }

  private text(): string {
    const banks: Record<string, number[][]> = {};
    for (const [name, slots] of this.saved) banks[name] = slots;
    for (const [name, slots] of this.tracked) banks[name] = slots.map((s) => Array.from(s));
    return JSON.stringify({ version: 1, note: 'latents captured live (banks.<name>.capture), reloaded at start', banks }) + '\n';
  }

  /** Writes the file when the slots changed since the last write; true when it wrote. */
  async flush(): Promise<boolean> {
    if (this.tracked.size === 0 && this.saved.size === 0) return false;
    const text = this.text();
    if (text === this.lastWritten) return false;
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      await writeFile(tmp, text);
      await rename(tmp, this.file);
      this.lastWritten = text;
      return true;
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      log.warn(`${this.file}: cannot save the captured latents (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      this.lastWritten = text; // do not repeat the warning every second
      return false;
    }
  }
}
