/**
 * The kit's render timing: seconds of the demo track through the render path, every frame, split by stage.
 *
 *  1. analysis + mapping: the pipeline's virtual run (src/pipeline/offline.ts, the default mapping) on the
 *     virtual clock; a timing wrapper around the mapper splits each frame's time into analysis (the work done
 *     since the previous frame's mapping returned) and mapping (mapper.frame itself);
 *  2. generator: each frame's params through an onnxruntime session on the case's provider (batch 1), the
 *     picture copied back to the host inside the run, as onnxruntime-node returns it;
 *  3. fit: the model's picture filled to the output size (fit.ts), into one preallocated frame;
 *  4. pipe: the frame written into a pipe to a process that discards it (where `render` feeds ffmpeg).
 *
 * This stands in for `latentvj render` until that command exists; when it does, bench.ts calls it instead (see
 * README.md: only `runRender` below changes) and this file goes.
 */
import { spawn } from 'node:child_process';
import ort from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { createAnalysis } from '../../src/analysis/index.js';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { resolveConfig } from '../../src/config.js';
import { loadModelFiles } from '../../src/generator/runtime/modelFiles.js';
import { expectedInputShape, slabLayout, writeParams } from '../../src/generator/runtime/params.js';
import { shortReason } from '../../src/generator/runtime/providers.js';
import { quantile } from '../../src/generator/runtime/stats.js';
import { createMapper, type Mapper } from '../../src/mapping/index.js';
import type { ResolvedState } from '../../src/mapping/compile.js';
import { VirtualRun } from '../../src/pipeline/offline.js';
import type { MapperInput } from '../../src/contracts/stages.js';
import { createOnnxLatentProvider } from '../../src/visual/latents.js';
import type { FrameParams } from '../../src/visual/types.js';
import type { RenderRecord, RenderSpec } from './cases.js';
import { webgpuOptions } from './caseRun.js';
import { makeFill } from './fit.js';

export interface RenderJob {
  spec: RenderSpec;
  modelDir: string;
  threads: number;
}

const copyParams = (p: FrameParams): FrameParams => ({
  ...p,
  ws: p.ws.slice(),
  noiseMix: p.noiseMix.slice(),
  noiseStrength: p.noiseStrength.slice(),
  noiseMask: p.noiseMask.slice(),
  bend: p.bend.slice(),
  rewrite: p.rewrite.slice(),
});

function summary(ms: number[]): { msMedian: number; msP95: number; msTotal: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { msMedian: quantile(s, 0.5), msP95: quantile(s, 0.95), msTotal: ms.reduce((a, b) => a + b, 0) };
}

/** Stage 1: analysis and mapping over the audio, every frame's params kept (copied: the mapper reuses buffers). */
async function analyseAndMap(mapper: Mapper, mono: Float32Array, sampleRate: number, fps: number): Promise<{ params: FrameParams[]; analysisMs: number[]; mappingMs: number[] }> {
  const params: FrameParams[] = [];
  const analysisMs: number[] = [];
  const mappingMs: number[] = [];
  let lastEnd = performance.now();
  const timed = {
    frame(input: MapperInput): FrameParams {
      const t0 = performance.now();
      const p = mapper.frame(input);
      const t1 = performance.now();
      analysisMs.push(t0 - lastEnd);
      mappingMs.push(t1 - t0);
      params.push(copyParams(p));
      lastEnd = performance.now();
      return p;
    },
    resolved: () => ({}) as ResolvedState,
  } as unknown as Mapper;
  const audio = { info: { description: 'demo track (kit)', kind: 'demo' as const, sampleRate, channels: 1 }, sampleRate, channels: [mono], durationS: mono.length / sampleRate, file: null };
  lastEnd = performance.now();
  await new VirtualRun({ fps, audio, blockSize: 512, analysis: createAnalysis(resolveConfig(undefined, {}).analysis), mapper: timed }).run();
  return { params, analysisMs, mappingMs };
}

export async function runRender(job: RenderJob): Promise<RenderRecord> {
  const { spec } = job;
  const base: RenderRecord = { kind: 'render', id: spec.id, ep: spec.ep, ok: false, path: 'kit' };
  const deadline = performance.now() + spec.capS * 800;
  const files = loadModelFiles(job.modelDir);
  const m = files.manifest;
  const demo = renderDemoTrack();
  const samples = Math.min(demo.channels[0]!.length, Math.round(spec.durationS * demo.sampleRate));
  const mono = new Float32Array(samples);
  for (const c of demo.channels) for (let i = 0; i < samples; i++) mono[i] = mono[i]! + c[i]! / demo.channels.length;

  const latents = await createOnnxLatentProvider(job.modelDir, m);
  const mapper = await createMapper({ file: 'default', manifest: m, latents, watch: false });
  const t0 = performance.now();
  const { params, analysisMs, mappingMs } = await analyseAndMap(mapper, mono, demo.sampleRate, spec.fps);
  await mapper.close();
  await latents.close?.();

  ort.env.logLevel = 'fatal';
  const file = spec.ep === 'webgpu' && files.generatorFp16File ? files.generatorFp16File : files.generatorFile;
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      executionProviders: [spec.ep === 'webgpu' ? ({ ...webgpuOptions(), name: 'webgpu' } as InferenceSession.ExecutionProviderConfig) : { name: 'cpu' }],
      intraOpNumThreads: spec.ep === 'cpu' ? job.threads : 0,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
  } catch (e) {
    return { ...base, error: shortReason(e), stage: 'load' };
  }
  const layout = slabLayout(session.inputNames.map((name) => ({ name, shape: expectedInputShape(name, m)! })), m);
  const slab = new Float32Array(layout.length);
  const feeds: Record<string, OrtTensor> = {};
  for (const e of layout.entries) feeds[e.name] = new ort.Tensor('float32', new Float32Array(e.length), e.shape);
  const wAvg = m.wAvg.length === m.wDim ? Float32Array.from(m.wAvg) : null;
  const picture = new Uint8Array(m.width * m.height * 4);
  const fetches = { rgba: new ort.Tensor('uint8', picture, [m.height, m.width, 4]) };
  const fit = makeFill(m.width, m.height, spec.width, spec.height);
  const frame = new Uint8Array(spec.width * spec.height * 4);
  const sink = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
  const write = (b: Uint8Array) => new Promise<void>((res, rej) => sink.stdin.write(b, (e) => (e ? rej(e) : res())));

  const generatorMs: number[] = [];
  const fitMs: number[] = [];
  const pipeMs: number[] = [];
  try {
    for (const p of params) {
      if (performance.now() > deadline) break;
      const a = performance.now();
      writeParams(slab, layout.entries, p, wAvg);
      for (const e of layout.entries) (feeds[e.name]!.data as Float32Array).set(slab.subarray(e.offset, e.offset + e.length));
      await session.run(feeds, fetches as InferenceSession.FetchesType);
      const b = performance.now();
      fit(picture, frame);
      const c = performance.now();
      await write(frame);
      const d = performance.now();
      generatorMs.push(b - a);
      fitMs.push(c - b);
      pipeMs.push(d - c);
    }
  } catch (e) {
    return { ...base, error: shortReason(e), stage: 'run', frames: generatorMs.length };
  } finally {
    sink.stdin.end();
    await session.release();
  }
  const wallS = (performance.now() - t0) / 1000;
  const n = generatorMs.length;
  return {
    ...base,
    ok: true,
    width: spec.width,
    height: spec.height,
    fps: spec.fps,
    frames: n,
    framesPlanned: params.length,
    renderFps: n / wallS,
    provider: spec.ep,
    stages: {
      analysis: summary(analysisMs.slice(0, n)),
      mapping: summary(mappingMs.slice(0, n)),
      generator: summary(generatorMs),
      fit: summary(fitMs),
      pipe: summary(pipeMs),
    },
  };
}

if (process.argv[1]?.endsWith('renderStages.js')) {
  const job = JSON.parse(process.argv[2] ?? '{}') as RenderJob;
  const r = await runRender(job).catch((e: unknown): RenderRecord => ({ kind: 'render', id: job.spec?.id ?? '?', ep: job.spec?.ep, ok: false, error: shortReason(e), stage: 'crash' }));
  process.stdout.write(JSON.stringify(r) + '\n');
  // The latent provider's or onnxruntime's threads must not keep the process alive past its record.
  process.exit(0);
}
