/**
 * The generator stage: FrameParams in, Frames out, inference in a worker thread.
 *
 * Ownership: submit() copies what it keeps (into the slab when idle, into its own pending params when busy), so the
 * caller may reuse its buffers at once.
 * Scheduling is exhaustMap-with-latest: while the worker renders, a newer submit replaces the pending params
 * (the replaced one counts as dropped) and nothing queues, so a frame is never late by more than one inference.
 * Inputs travel through a SharedArrayBuffer slab that the main thread writes only while the worker is idle;
 * outputs come back as transferred buffers. Timing stamps are converted to the main thread's clock.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Subject, type Observable } from '../../rx.js';
import { UserError } from '../../errors.js';
import { getLogLevel, logger } from '../../log.js';
import type { GeneratorStage, GeneratorStats } from '../../contracts/stages.js';
import { copyFrameParams, type FrameParams } from '../../contracts/frameParams.js';
import { generatorConfigSchema, type GeneratorConfig } from '../config.js';
import type { Frame, Manifest } from '../types.js';
import { loadModelFiles } from './modelFiles.js';
import { neutralParams, paramsMismatch, writeParams, type SlabEntry } from './params.js';
import type { Fallback, FromWorker, ToWorker, WebGpuVerdict, WorkerInit } from './protocol.js';
import { providerCandidates, type ProviderName } from './providers.js';
import { formatStats, RollingStats } from './stats.js';
import { webGpuProbe } from './webgpuProbe.js';

const log = logger('generator');

export interface CreateGeneratorOptions extends Partial<Omit<GeneratorConfig, 'model'>> {
  /** Model directory (manifest.json + generator.onnx). */
  modelDir: string;
  /** Explicit provider list (overrides `ep`); testing and benchmarks. */
  candidates?: ProviderName[];
  /**
   * Starts an inference worker for `init` (each start, restarts included). Default: the runtime's own
   * worker.js. Tests inject one that wraps it (a worker that dies, a provider that fails at run time).
   */
  workerFactory?: WorkerFactory;
}

export type WorkerFactory = (init: WorkerInit) => Worker;

const defaultWorker: WorkerFactory = (init) => new Worker(new URL('./worker.js', import.meta.url), { workerData: init });

/** What the worker reported at start, for the CLI and the monitor. */
export interface GeneratorInfo {
  ep: ProviderName;
  file: string;
  fallbacks: Fallback[];
  loadMs: number;
  warmupMs: number;
  cached: 'hit' | 'written' | 'off';
  manifest: Manifest;
}

/** Per-frame time spent outside inference (ms), for the benchmark: input building, messaging, output hand-over. */
export interface OverheadSample {
  /** submit → inference start (writing the slab, the message, the worker copying inputs). Idle worker only. */
  beforeMs: number;
  /** inference end → frame emitted on the main thread (transfer, stamps). */
  afterMs: number;
}

export interface RuntimeGenerator extends GeneratorStage {
  info: GeneratorInfo;
  /** The most recent frames' overhead samples (only frames submitted to an idle worker). */
  overhead(): OverheadSample[];
}

const OVERHEAD_CAPACITY = 256;
/** Least time stop() waits for the worker to finish its frame in flight before terminating it. */
const CLOSE_DEADLINE_MS = 30_000;

/** The generator section's defaults, from its schema (the one place they are declared). */
const DEFAULTS: Omit<GeneratorConfig, 'model'> = (({ model: _model, ...rest }) => rest)(generatorConfigSchema.parse({}));

export async function createGenerator(opts: CreateGeneratorOptions): Promise<RuntimeGenerator> {
  const o = { ...DEFAULTS, ...opts };
  const files = loadModelFiles(o.modelDir);
  const { manifest } = files;
  const candidates = o.candidates ?? providerCandidates(o.ep);
  // WebGPU is probed in a child process (webgpuProbe.ts: Dawn's native stderr stays out of ours), also when chosen
  // explicitly: a driver that crashes while starting then ends the probe, not the show, and --verbose shows what
  // Dawn said. The probe runs while the worker starts; the worker waits for the verdict only at WebGPU's turn.
  const probe = candidates.includes('webgpu')
    ? webGpuProbe().then(
        (p): WebGpuVerdict => ({ ok: p.ok, reason: p.ok || o.ep !== 'webgpu' || !p.stderr ? p.reason : `${p.reason} (--verbose shows Dawn's messages)` }),
      )
    : null;
  const init: WorkerInit = {
    generatorFile: files.generatorFile,
    generatorFp16File: o.fp16 ? files.generatorFp16File : null,
    manifestFile: files.manifestFile,
    manifest,
    candidates,
    session: { threads: o.threads, interOpThreads: o.interOpThreads, graphOptimization: o.graphOptimization, spin: o.spin },
    cacheDir: o.cacheOptimized ? resolve(files.dir, '.cache') : null,
    warmupRuns: o.warmupRuns,
    ortLogLevel: getLogLevel() === 'debug' ? 'error' : 'fatal',
    webgpuProbed: probe !== null,
  };
  const factory = o.workerFactory ?? defaultWorker;
  const { worker, ready } = await startWorker(factory, init, probe);
  return new WorkerGenerator(init, probe, factory, worker, ready, manifest, o.statsIntervalS);
}

type Ready = Extract<FromWorker, { type: 'ready' }>;

/** Starts a worker and waits for its session to be ready (provider chosen, warmed up). */
async function startWorker(factory: WorkerFactory, init: WorkerInit, probe: Promise<WebGpuVerdict> | null): Promise<{ worker: Worker; ready: Ready }> {
  const worker = factory(init);
  // A worker that has already exited ignores the message.
  void probe?.then((v) => worker.postMessage({ type: 'webgpu', ...v } satisfies ToWorker));
  const ready = await new Promise<Ready>((res, rej) => {
    const onMessage = (m: FromWorker) => {
      if (m.type === 'ready') {
        cleanup();
        res(m);
      } else if (m.type === 'fatal') {
        cleanup();
        void worker.terminate();
        rej(new UserError(m.message));
      } else if (m.type === 'fallback') {
        log.warn(`provider ${m.from} failed during warm-up (${m.reason}); now on ${m.to}`);
      }
    };
    const onError = (e: Error) => {
      cleanup();
      rej(new UserError(`${init.generatorFile}: generator worker failed to start (${e.message})`));
    };
    const onExit = (code: number) => {
      cleanup();
      rej(new UserError(`${init.generatorFile}: generator worker exited (code ${code}) before it was ready`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
  for (const f of ready.fallbacks) log.info(`provider ${f.ep} skipped: ${f.reason}`);
  log.info(
    `provider ${ready.ep} (${ready.file.split(/[\\/]/).pop()}, ${init.manifest.width}×${init.manifest.height}, ` +
      `load ${ready.loadMs.toFixed(0)} ms${ready.cached === 'hit' ? ' from the optimised-model cache' : ''}, warm-up ${ready.warmupMs.toFixed(0)} ms)`,
  );
  return { worker, ready };
}

class WorkerGenerator implements RuntimeGenerator {
  readonly width: number;
  readonly height: number;
  readonly info: GeneratorInfo;
  private readonly frames = new Subject<Frame>();
  readonly frames$: Observable<Frame> = this.frames.asObservable();
  private slab!: Float32Array;
  private entries!: SlabEntry[];
  private readonly wAvg: Float32Array | null;
  /** Worker clock → main clock (ms). */
  private clockOffset = 0;
  private worker!: Worker;
  private restarting = false;
  private restartDelayMs = 500;
  private readonly rolling = new RollingStats();
  private busy = false;
  private busySubmittedAt = 0;
  private busyIdleSubmit = false;
  private pending: FrameParams | null = null;
  /** The generator's own copy of the waiting params: the mapper reuses its buffers a few frames on. */
  private pendingCopy: FrameParams | undefined;
  private pendingAt = 0;
  private closed = false;
  private readonly statsTimer: NodeJS.Timeout | null;
  private readonly overheadBefore = new Float64Array(OVERHEAD_CAPACITY);
  private readonly overheadAfter = new Float64Array(OVERHEAD_CAPACITY);
  private overheadCount = 0;
  private readonly runMsg: { type: 'run'; frame: number; t: number; paramsAt: number } = { type: 'run', frame: 0, t: 0, paramsAt: 0 };

  constructor(
    private readonly init: WorkerInit,
    private readonly probe: Promise<WebGpuVerdict> | null,
    private readonly factory: WorkerFactory,
    worker: Worker,
    ready: Ready,
    manifest: Manifest,
    statsIntervalS: number,
  ) {
    this.width = ready.width;
    this.height = ready.height;
    this.wAvg = manifest.wAvg.length === manifest.wDim ? Float32Array.from(manifest.wAvg) : null;
    this.info = { ep: ready.ep, file: ready.file, fallbacks: ready.fallbacks, loadMs: ready.loadMs, warmupMs: ready.warmupMs, cached: ready.cached, manifest };
    this.attach(worker, ready);
    this.statsTimer =
      statsIntervalS > 0
        ? setInterval(() => {
            if (this.rolling.frames > 0) log.info(formatStats(this.stats()));
          }, statsIntervalS * 1000)
        : null;
    this.statsTimer?.unref();
  }

  /** Takes over a ready worker: its input slab, its clock, its messages. */
  private attach(worker: Worker, ready: Ready): void {
    this.worker = worker;
    this.slab = new Float32Array(ready.slab);
    this.entries = ready.entries;
    this.clockOffset = ready.timeOrigin - performance.timeOrigin;
    this.rolling.ep = ready.ep;
    this.info.ep = ready.ep;
    writeParams(this.slab, this.entries, neutralParams(this.info.manifest), this.wAvg);
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => log.error(`inference worker crashed: ${e.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) void this.restart(code);
    });
  }

  /**
   * A worker that died (a native crash in a provider, out of memory) is replaced; meanwhile submits only keep
   * the newest params pending and the last picture stays on screen. Retries back off up to 30 s.
   */
  private async restart(code: number): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    this.busy = true; // hold new params as pending until the new worker is ready
    this.rolling.drop();
    log.error(`inference worker exited (code ${code}); restarting it in ${this.restartDelayMs} ms`);
    while (!this.closed) {
      await new Promise((r) => setTimeout(r, this.restartDelayMs));
      if (this.closed) break;
      try {
        const { worker, ready } = await startWorker(this.factory, this.init, this.probe);
        if (this.closed) {
          await worker.terminate();
          break;
        }
        this.attach(worker, ready);
        this.restartDelayMs = 500;
        this.busy = false;
        this.sendPending();
        break;
      } catch (e) {
        this.restartDelayMs = Math.min(30000, this.restartDelayMs * 2);
        log.error(`inference worker restart failed (${e instanceof Error ? e.message : String(e)}); next try in ${this.restartDelayMs} ms`);
      }
    }
    this.restarting = false;
  }

  submit(params: FrameParams, paramsAtMs: number): void {
    if (this.closed) return;
    const bad = paramsMismatch(params, this.entries);
    if (bad) {
      // A mapper bug must not stop the show: say so (rate-limited) and keep the last good picture.
      log.limited('error', 'params', `frame ${params.frame}: ${bad}; frame skipped`);
      this.rolling.drop();
      return;
    }
    if (this.busy) {
      if (this.pending) this.rolling.drop();
      // Copy on submit: what waits here must stay as submitted however long inference takes.
      this.pendingCopy = copyFrameParams(params, this.pendingCopy);
      this.pending = this.pendingCopy;
      this.pendingAt = paramsAtMs;
      return;
    }
    this.send(params, paramsAtMs, true);
  }

  private send(params: FrameParams, paramsAtMs: number, idleSubmit: boolean): void {
    writeParams(this.slab, this.entries, params, this.wAvg);
    this.busy = true;
    this.busySubmittedAt = performance.now();
    this.busyIdleSubmit = idleSubmit;
    const msg = this.runMsg;
    msg.frame = params.frame;
    msg.t = params.t;
    msg.paramsAt = paramsAtMs;
    this.worker.postMessage(msg satisfies ToWorker);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'frame') {
      const now = performance.now();
      const inferStart = m.inferStart + this.clockOffset;
      const inferEnd = m.inferEnd + this.clockOffset;
      this.rolling.record(m.inferEnd - m.inferStart, now);
      const frame: Frame = {
        frame: m.frame,
        width: this.width,
        height: this.height,
        rgba: m.rgba,
        stamps: { audioT: m.t, paramsAt: m.paramsAt, inferStart, inferEnd },
      };
      if (this.busyIdleSubmit) this.pushOverhead(inferStart - this.busySubmittedAt, performance.now() - inferEnd);
      this.busy = false;
      this.sendPending();
      if (!this.closed) this.frames.next(frame);
      return;
    }
    if (m.type === 'runError') {
      this.busy = false;
      this.rolling.drop();
      log.limited('error', 'run', `frame ${m.frame}: inference failed on every provider (${m.message}); keeping the last picture`);
      this.sendPending();
      return;
    }
    if (m.type === 'fallback') {
      log.warn(`provider ${m.from} failed at run time (${m.reason}); continuing on ${m.to}`);
      this.info.ep = m.to;
      this.rolling.ep = m.to;
    }
  }

  private sendPending(): void {
    if (this.pending && !this.closed) {
      const p = this.pending;
      this.pending = null;
      this.send(p, this.pendingAt, false);
    }
  }

  private pushOverhead(beforeMs: number, afterMs: number): void {
    const i = this.overheadCount % OVERHEAD_CAPACITY;
    this.overheadBefore[i] = beforeMs;
    this.overheadAfter[i] = afterMs;
    this.overheadCount += 1;
  }

  overhead(): OverheadSample[] {
    const n = Math.min(this.overheadCount, OVERHEAD_CAPACITY);
    return Array.from({ length: n }, (_, i) => ({ beforeMs: this.overheadBefore[i]!, afterMs: this.overheadAfter[i]! }));
  }

  stats(): GeneratorStats {
    return this.rolling.summary(performance.now());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.frames.complete();
    const worker = this.worker;
    if (worker.threadId < 0) return; // already gone
    const exited = new Promise<void>((res) => worker.once('exit', () => res()));
    // The worker finishes the frame in flight, releases its session and exits by itself. Terminating it while a
    // run is in native code aborts the whole process ("terminate called after throwing Napi::Error"), so the
    // deadline is generous and scales with the slowest frame seen; it is only for a worker that truly hangs.
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    const p95 = this.rolling.summary(performance.now()).msP95;
    const deadlineMs = Math.max(CLOSE_DEADLINE_MS, 4 * (Number.isFinite(p95) ? p95 : 0));
    const timer = setTimeout(() => {
      log.error(`inference worker still busy ${(deadlineMs / 1000).toFixed(0)} s after stop; terminating it`);
      void worker.terminate();
    }, deadlineMs);
    await exited;
    clearTimeout(timer);
  }
}
