/**
 * One generator case of the device kit, in its own process (the kit's bench.ts forks it and kills it past its
 * cap: a hanging or crashing GPU driver ends this case, not the run). Prints one CaseRecord.
 *
 * The session is opened on the one provider the case names, never with the engine's fallback list: a WebGPU
 * case that cannot start must say so, not quietly measure the CPU. It is first opened with onnxruntime's CPU
 * fallback disabled; if that fails because some ops have no WebGPU kernel, it is reopened with fallback and, time
 * permitting, a profiled run names the ops that went to the CPU.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { loadModelFiles } from '../../src/generator/runtime/modelFiles.js';
import { shortReason } from '../../src/generator/runtime/providers.js';
import { quantile } from '../../src/generator/runtime/stats.js';
import { SeededNormal } from '../../src/generator/randomModel.js';
import { referenceId, type CaseRecord, type CaseSpec } from './cases.js';
import { runEngineCase } from './engineCase.js';
import { batchFeeds, pictureDiff } from './feeds.js';
import { nodePlacement, takeProfile } from './profile.js';

export interface CaseJob {
  spec: CaseSpec;
  modelDir: string;
  /** Folder of reference pictures (`<case id>.rgba`), written by reference cases, read by the others. */
  refDir: string;
  threads: number;
  /** The GPU adapter as the kit found it (Vulkan's device list), for WebGPU records. */
  adapter: string | null;
}

/**
 * Extra WebGPU provider options from KIT_WEBGPU_OPTIONS (JSON, e.g. '{"preferredLayout":"NHWC"}'), so a device
 * session can try provider settings from the command line without packing again.
 */
export function webgpuOptions(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const raw = env['KIT_WEBGPU_OPTIONS'];
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new Error(`KIT_WEBGPU_OPTIONS: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('KIT_WEBGPU_OPTIONS: expected a JSON object');
  return v as Record<string, unknown>;
}

const FALLBACK_REFUSED = /fallback|not assigned|assigned to the default CPU/i;

function options(job: CaseJob, strict: boolean, profilePrefix?: string): InferenceSession.SessionOptions {
  const { ep } = job.spec;
  return {
    executionProviders: [ep === 'webgpu' ? ({ ...webgpuOptions(), name: 'webgpu' } as InferenceSession.ExecutionProviderConfig) : { name: 'cpu' }],
    intraOpNumThreads: ep === 'cpu' ? job.threads : 0,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    logSeverityLevel: 3,
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
    // No spinning thread pools, as the engine's sessions (session.ts): spinning on cores that others share
    // (the render's other stages, a loaded machine) costs more than it saves.
    extra: {
      session: {
        intra_op: { allow_spinning: '0' },
        inter_op: { allow_spinning: '0' },
        ...(strict ? { disable_cpu_ep_fallback: '1' } : {}),
      },
    },
  };
}

export async function runCase(job: CaseJob): Promise<CaseRecord> {
  if (job.spec.path === 'engine') return runEngineCase(job);
  const t0 = performance.now();
  const { spec } = job;
  const base: CaseRecord = { kind: 'case', id: spec.id, path: 'session', model: spec.model, size: spec.size, ep: spec.ep, precision: spec.precision, batch: spec.batch, ok: false };
  const files = loadModelFiles(job.modelDir);
  const m = files.manifest;
  const file = spec.precision === 'fp16' ? files.generatorFp16File : files.generatorFile;
  if (!file) return { ...base, error: `${job.modelDir}: no fp16 variant (generator.fp16.onnx)`, stage: 'load' };
  ort.env.logLevel = 'fatal';

  let session: InferenceSession;
  let provider: string = spec.ep;
  try {
    session = await ort.InferenceSession.create(file, options(job, spec.ep === 'webgpu'));
  } catch (e) {
    if (spec.ep !== 'webgpu' || !FALLBACK_REFUSED.test(String(e))) return { ...base, error: shortReason(e), stage: 'load' };
    try {
      session = await ort.InferenceSession.create(file, options(job, false));
      provider = 'webgpu+cpu';
    } catch (e2) {
      return { ...base, error: shortReason(e2), stage: 'load' };
    }
  }
  const loadMs = performance.now() - t0;

  const { feeds, ws } = batchFeeds(session.inputNames, m, spec.batch);
  const pixels = m.width * m.height;
  const out = new Uint8Array(pixels * 4 * spec.batch);
  const fetches = { rgba: new ort.Tensor('uint8', out, [m.height * spec.batch, m.width, 4]) } as Record<string, OrtTensor>;
  const run = () => session.run(feeds, fetches as InferenceSession.FetchesType);

  let maxDiff: number | null = null;
  let meanDiff: number | null = null;
  const tw = performance.now();
  try {
    // Warm-up run 1 paints the reference inputs; run 2 settles allocations and kernel choices.
    await run();
    const refFile = join(job.refDir, `${referenceId(spec)}.rgba`);
    if (spec.id === referenceId(spec) && spec.batch === 1) {
      await writeFile(refFile, out.subarray(0, pixels * 4));
      maxDiff = 0;
      meanDiff = 0;
    } else if (existsSync(refFile)) {
      ({ maxDiff, meanDiff } = pictureDiff(out, new Uint8Array(await readFile(refFile)), pixels));
    }
    await run();
  } catch (e) {
    await session.release().catch(() => undefined);
    return { ...base, provider, loadMs, error: shortReason(e), stage: 'run' };
  }
  const warmupMs = performance.now() - tw;

  // Timed window: the latents walk a little every run, as in a set.
  const dir = new SeededNormal(3).fill(new Float32Array(ws.length), 0.02);
  const times: number[] = [];
  const start = performance.now();
  const until = start + spec.measureS * 1000;
  try {
    while (times.length < spec.maxRuns && (times.length < 3 || performance.now() < until)) {
      for (let i = 0; i < ws.length; i++) ws[i] = ws[i]! + dir[i]!;
      const a = performance.now();
      await run();
      times.push(performance.now() - a);
    }
  } catch (e) {
    await session.release().catch(() => undefined);
    return { ...base, provider, loadMs, warmupMs, error: shortReason(e), stage: 'run' };
  }
  const elapsedS = (performance.now() - start) / 1000;
  await session.release();

  let cpuOps: string[] | null = null;
  // Only a mixed session needs naming its CPU ops; skipped when the case's cap is near.
  if (provider === 'webgpu+cpu' && performance.now() - t0 < spec.capS * 500) cpuOps = await profiledCpuOps(job, file, feeds, fetches).catch(() => null);

  const sorted = times.sort((a, b) => a - b);
  return {
    ...base,
    ok: true,
    fps: (times.length * spec.batch) / elapsedS,
    msMedian: quantile(sorted, 0.5),
    msP95: quantile(sorted, 0.95),
    runs: times.length,
    loadMs,
    warmupMs,
    provider,
    cpuOps,
    adapter: spec.ep === 'webgpu' ? job.adapter : (cpus()[0]?.model ?? null),
    maxDiff,
    meanDiff,
    threads: spec.ep === 'cpu' ? job.threads : 0,
  };
}

async function profiledCpuOps(job: CaseJob, file: string, feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor>): Promise<string[]> {
  const prefix = join(job.refDir, `profile-${job.spec.id}`);
  const s = await ort.InferenceSession.create(file, options(job, false, prefix));
  try {
    await s.run(feeds, fetches as InferenceSession.FetchesType);
  } finally {
    s.endProfiling();
    await s.release();
  }
  return nodePlacement(await takeProfile(prefix)).cpuOps;
}

const isMain = process.argv[1]?.endsWith('caseRun.js');
if (isMain) {
  const job = JSON.parse(process.argv[2] ?? '{}') as CaseJob;
  const record = await runCase(job).catch(
    (e: unknown): CaseRecord => ({
      kind: 'case',
      id: job.spec?.id ?? '?',
      model: job.spec?.model,
      size: job.spec?.size,
      ep: job.spec?.ep,
      precision: job.spec?.precision,
      batch: job.spec?.batch,
      ok: false,
      error: shortReason(e),
      stage: 'load',
    }),
  );
  process.stdout.write(JSON.stringify(record) + '\n');
}
