/**
 * The inference worker: owns the onnxruntime session (whose `run` blocks its thread; see session.ts), so the
 * main thread with audio, MIDI, OSC and the server never waits on inference.
 *
 * Per frame: the main thread has written the inputs into the shared slab (it only does so while this worker is
 * idle) and sends a small 'run' message; the worker copies the slab into its preallocated input tensors, runs
 * with a preallocated output tensor, and transfers that output's buffer back (no copy). A run that fails on the
 * current provider moves to the next candidate and re-runs the same frame: the show goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { Fallback, FromWorker, ToWorker, WebGpuVerdict, WorkerInit } from './protocol.js';
import { assertReadable, InputSet, layoutFor, ModelError, openFirstWorking, type OpenSession } from './session.js';
import { shortReason } from './providers.js';

const port = parentPort;
if (!port) throw new Error('generator worker: must run as a worker thread');
const init = workerData as WorkerInit;
// Providers that cannot start (no CUDA library, no Vulkan adapter) make onnxruntime log errors of its own, in
// red on stderr; we report each fallback with its reason once, so its logger only speaks for fatal problems,
// unless --verbose asks for its detail (e.g. which CUDA library dlopen missed).
ort.env.logLevel = init.ortLogLevel;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

// The WebGPU probe runs in the main thread's child process while this worker loads onnxruntime; its verdict
// arrives as a message and is awaited only when WebGPU's turn comes.
let webgpuVerdict: ((v: WebGpuVerdict) => void) | null = null;
const webgpu = init.webgpuProbed ? new Promise<WebGpuVerdict>((res) => (webgpuVerdict = res)) : null;

let current: OpenSession;
let inputs: InputSet;
const outputShape = [init.manifest.height, init.manifest.width, 4];
const outputBytes = init.manifest.height * init.manifest.width * 4;

function openOptions() {
  return {
    generatorFile: init.generatorFile,
    generatorFp16File: init.generatorFp16File,
    manifestFile: init.manifestFile,
    manifest: init.manifest,
    session: init.session,
    cacheDir: init.cacheDir,
    ...(webgpu ? { webgpu } : {}),
  };
}

async function runOnce(out: Uint8Array): Promise<void> {
  const fetches: Record<string, OrtTensor> = { rgba: new ort.Tensor('uint8', out, outputShape) };
  await current.session.run(inputs.feeds, fetches as InferenceSession.FetchesType);
}

/** Runs the current inputs, moving down the provider list on failure. Throws when no provider is left. */
async function runWithFallback(out: Uint8Array): Promise<void> {
  for (;;) {
    try {
      await runOnce(out);
      return;
    } catch (e) {
      const failed = current;
      const reason = shortReason(e);
      if (failed.index + 1 >= init.candidates.length) throw e;
      const fallbacks: Fallback[] = [];
      let next: OpenSession;
      try {
        next = await openFirstWorking(init.candidates, failed.index + 1, openOptions(), fallbacks);
      } catch {
        throw e;
      }
      void failed.session.release().catch(() => undefined);
      current = next;
      post({ type: 'fallback', from: failed.ep, to: next.ep, reason: `${reason}${fallbacks.length ? `; skipped ${fallbacks.map((f) => `${f.ep} (${f.reason})`).join(', ')}` : ''}` });
    }
  }
}

async function start(): Promise<void> {
  const t0 = performance.now();
  assertReadable(init.generatorFile);
  const fallbacks: Fallback[] = [];
  current = await openFirstWorking(init.candidates, 0, openOptions(), fallbacks);
  const layout = layoutFor(current.session, init.manifest);
  const slab = new SharedArrayBuffer(Math.max(4, layout.length * 4));
  inputs = new InputSet(layout.entries, new Float32Array(slab));
  const t1 = performance.now();
  // Warm-up: the first runs allocate the arena and pick kernels; do it before the first real frame. The
  // inputs are zeros here; the main thread writes neutral params before its first frame anyway.
  const scratch = new Uint8Array(outputBytes);
  for (let i = 0; i < init.warmupRuns; i++) await runWithFallback(scratch);
  const t2 = performance.now();
  post({
    type: 'ready',
    ep: current.ep,
    file: current.file,
    fallbacks,
    entries: layout.entries,
    slab,
    width: init.manifest.width,
    height: init.manifest.height,
    timeOrigin: performance.timeOrigin,
    loadMs: t1 - t0,
    warmupMs: t2 - t1,
    cached: current.cached,
  });
}

/** The frame being inferred: closing waits for it, since releasing or ending a session mid-run aborts natively. */
let inFlight: Promise<void> | null = null;
let closing = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'webgpu') {
    webgpuVerdict?.({ ok: m.ok, reason: m.reason });
    return;
  }
  if (m.type === 'close') {
    closing = true;
    void (inFlight ?? Promise.resolve())
      .then(() => current?.session.release())
      .catch(() => undefined)
      .finally(() => port.close());
    return;
  }
  if (closing) return;
  inFlight = (async () => {
    inputs.refill();
    // A fresh buffer per frame: it is transferred to the main thread and owned by the Frame from then on.
    const rgba = new Uint8Array(outputBytes);
    const inferStart = performance.now();
    try {
      await runWithFallback(rgba);
    } catch (e) {
      post({ type: 'runError', frame: m.frame, message: `${current.ep}: ${shortReason(e)}` });
      return;
    }
    const inferEnd = performance.now();
    post({ type: 'frame', frame: m.frame, t: m.t, paramsAt: m.paramsAt, inferStart, inferEnd, rgba }, [rgba.buffer as ArrayBuffer]);
  })().finally(() => {
    inFlight = null;
  });
});

start().catch((e: unknown) => {
  post({ type: 'fatal', message: e instanceof ModelError ? e.message : `${init.generatorFile}: ${shortReason(e)}` });
});

