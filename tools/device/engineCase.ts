/**
 * An engine-path case: the model through the engine's own generator stage (createGenerator: worker thread,
 * input slab, transferred output, the engine's fp16 preference on GPU providers), frames back to back as in
 * `latentvj bench generator`, in rounds until the case's timed window is spent. Batch 1: the stage has no batch.
 * The candidate list is the case's provider alone, so a provider that cannot start fails the case instead of
 * falling back to the CPU.
 */
import { cpus } from 'node:os';
import { setLogLevel } from '../../src/log.js';
import { measureFrames } from '../../src/generator/runtime/bench.js';
import { createGenerator } from '../../src/generator/runtime/generator.js';
import { shortReason } from '../../src/generator/runtime/providers.js';
import { quantile } from '../../src/generator/runtime/stats.js';
import { webGpuProbe } from '../../src/generator/runtime/webgpuProbe.js';
import type { CaseRecord } from './cases.js';
import type { CaseJob } from './caseRun.js';

const ROUND_FRAMES = 10;

export async function runEngineCase(job: CaseJob): Promise<CaseRecord> {
  const { spec } = job;
  const base: CaseRecord = { kind: 'case', id: spec.id, path: 'engine', model: spec.model, size: spec.size, ep: spec.ep, precision: spec.precision, batch: 1, ok: false };
  setLogLevel('error');
  const t0 = performance.now();
  let g;
  try {
    g = await createGenerator({ modelDir: job.modelDir, candidates: [spec.ep], threads: spec.ep === 'cpu' ? job.threads : 0, fp16: spec.precision === 'fp16', cacheOptimized: false, statsIntervalS: 0, warmupRuns: 2 });
  } catch (e) {
    // When every candidate was skipped the engine's error blames the model file; the probe says why WebGPU was.
    const why = spec.ep === 'webgpu' ? await webGpuProbe().then((p) => (p.ok ? '' : `; WebGPU probe: ${p.reason}`)) : '';
    return { ...base, error: `${shortReason(e)}${why}`, stage: 'load' };
  }
  const loadMs = performance.now() - t0;
  const inferMs: number[] = [];
  const overheadMs: number[] = [];
  let frames = 0;
  const start = performance.now();
  try {
    while (frames < spec.maxRuns && (frames < 3 || performance.now() - start < spec.measureS * 1000)) {
      const r = await measureFrames(g, ROUND_FRAMES, job.threads);
      inferMs.push(...r.inferMs);
      overheadMs.push(r.overheadMsMedian);
      frames += r.frames;
    }
  } catch (e) {
    await g.close();
    return { ...base, loadMs, error: shortReason(e), stage: 'run' };
  }
  const elapsedS = (performance.now() - start) / 1000;
  const ep = g.info.ep;
  const file = g.info.file.split(/[\\/]/).pop() ?? '';
  await g.close();
  const sorted = inferMs.sort((a, b) => a - b);
  return {
    ...base,
    // What the engine actually opened: its fp16 file only when the provider took it.
    precision: file.includes('fp16') ? 'fp16' : 'fp32',
    ok: true,
    fps: frames / elapsedS,
    msMedian: quantile(sorted, 0.5),
    msP95: quantile(sorted, 0.95),
    runs: frames,
    loadMs,
    // The engine warms up inside createGenerator (warmupRuns 2): included in loadMs.
    warmupMs: 0,
    provider: ep,
    cpuOps: null,
    adapter: spec.ep === 'webgpu' ? job.adapter : (cpus()[0]?.model ?? null),
    maxDiff: null,
    meanDiff: null,
    overheadMs: quantile([...overheadMs].sort((a, b) => a - b), 0.5),
    threads: spec.ep === 'cpu' ? job.threads : 0,
  };
}
