/**
 * The main thread's side of parseWorker.ts: one worker, started ahead of the first reload, requests matched by id.
 * A parse that runs past its deadline or out of the worker's heap ends the worker (a pure-JS worker terminates
 * cleanly) and refuses the file; the next parse starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { UserError, describeError } from '../errors.js';
import type { LoadedMapping } from './load.js';
import type { MappingSpec } from './schema.js';
import type { ParseReply, ParseRequest } from './parseWorker.js';

interface Pending {
  resolve(l: LoadedMapping): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  text: string;
  file: string;
}

export class MappingParser {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly timeoutMs = 10_000,
    private readonly heapMb = 256,
  ) {}

  /** Start the worker now, so the first reload does not wait for it to load its modules. */
  warm(): void {
    this.ensure();
  }

  parse(text: string, file: string): Promise<LoadedMapping> {
    const worker = this.ensure();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new UserError(`${file}: parsing took longer than ${(this.timeoutMs / 1000).toFixed(0)} s; is it really a mapping?`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, text, file });
      worker.postMessage({ id, text, file } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new UserError(`${p.file}: the mapper was closed during a reload`));
    }
    this.pending.clear();
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./parseWorker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    w.unref(); // an idle parser never keeps the process alive
    w.on('message', (m: ParseReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve({ file: p.file, text: p.text, spec: m.spec as MappingSpec });
      else p.reject(m.user ? new UserError(m.error) : new Error(m.error));
    });
    w.on('error', (e) => {
      if (this.worker === w) this.fail(new UserError(`the mapping could not be parsed (${describeError(e)})`), false);
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.fail(new UserError(`the mapping parser stopped (exit ${code})`), false);
    });
    this.worker = w;
    return w;
  }

  /** End the worker and refuse every parse in flight (they share the worker that failed). */
  private fail(e: UserError, terminate = true): void {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e.message.startsWith(p.file) ? e : new UserError(`${p.file}: ${e.message}`));
    }
    this.pending.clear();
    if (terminate) void w?.terminate();
  }
}
