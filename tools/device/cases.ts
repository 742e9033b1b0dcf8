/**
 * The device kit's plan: which generator cases run, in which order, with which time caps, and the one-line JSON
 * records the kit prints. A table, so the README, the test and the runner all read the same list.
 *
 * Order matters on a lent GPU with minutes of time: per model, CPU fp32 batch 1 runs first (its picture is the
 * reference every other case of that model is compared with), then the WebGPU cases; the CPU cases that only
 * complete the grid (batch 4, fp16) come last, so a run that spends its budget early loses the least useful ones.
 */

export type KitMode = 'quick' | 'full';
export type KitModel = 'default' | 'full';
export type KitEp = 'webgpu' | 'cpu';
export type KitPrecision = 'fp32' | 'fp16';

export interface ModelSpec {
  /** Folder name under the run's work dir, and the key cases refer to. */
  key: string;
  model: KitModel;
  /** Output side (square). */
  size: number;
}

export interface CaseSpec {
  /** Stable id, e.g. `full1024-webgpu-fp16-b4`, `default256-engine-webgpu`. */
  id: string;
  /**
   * 'session': one onnxruntime session driven directly (any batch); 'engine': the engine's generator stage
   * (worker thread, input slab, output hand-over, its own provider choice and fp16 preference), batch 1.
   */
  path: 'session' | 'engine';
  modelKey: string;
  model: KitModel;
  size: number;
  ep: KitEp;
  precision: KitPrecision;
  batch: number;
  /** Timed window: runs stop after this many seconds (or maxRuns), after warm-up. */
  measureS: number;
  maxRuns: number;
  /** Hard cap for the whole case (load, warm-up, reference picture, timed window): the child is killed past it. */
  capS: number;
}

/** A full-size StyleGAN2 as NVIDIA's config-f: channel_base 16384 (min(16384/res, 512) channels), 8 mapping layers. */
export const FULL_SIZE = { seed: 1, channelBase: 16384, channelMax: 512, mappingLayers: 8 } as const;

export function modelsFor(mode: KitMode): ModelSpec[] {
  const sizes = mode === 'quick' ? [256] : [256, 1024, 512];
  return [{ key: 'default256', model: 'default', size: 256 }, ...sizes.map((size) => ({ key: `full${size}`, model: 'full' as const, size }))];
}

/** Seconds a case may take, by output side: load and shader compilation grow with the graph's weights. */
function capsFor(mode: KitMode, size: number, ep: KitEp): Pick<CaseSpec, 'measureS' | 'maxRuns' | 'capS'> {
  // Quick mode proves the kit on 2 shared cores, where a full-size 256² batch of 4 takes seconds per run.
  if (mode === 'quick') return { measureS: 1.5, maxRuns: 30, capS: ep === 'webgpu' ? 30 : 180 };
  const big = size >= 1024;
  return { measureS: big ? 4 : 3, maxRuns: 400, capS: big ? 45 : size >= 512 ? 30 : 20 };
}

const caseId = (m: ModelSpec, ep: KitEp, p: KitPrecision, batch: number): string => `${m.key}-${ep}-${p}-b${batch}`;

export function casesFor(mode: KitMode): CaseSpec[] {
  const models = modelsFor(mode);
  const make = (m: ModelSpec, ep: KitEp, precision: KitPrecision, batch: number): CaseSpec => ({
    id: caseId(m, ep, precision, batch),
    path: 'session',
    modelKey: m.key,
    model: m.model,
    size: m.size,
    ep,
    precision,
    batch,
    ...capsFor(mode, m.size, ep),
  });
  const first: CaseSpec[] = [];
  const rest: CaseSpec[] = [];
  for (const m of models) {
    first.push(make(m, 'cpu', 'fp32', 1));
    for (const batch of [1, 4]) for (const p of ['fp16', 'fp32'] as const) first.push(make(m, 'webgpu', p, batch));
    // The same model through the engine's stage, as `live` runs it (fp16 on the GPU, as the engine prefers).
    first.push({ ...make(m, 'webgpu', 'fp16', 1), id: `${m.key}-engine-webgpu`, path: 'engine' });
  }
  for (const m of models) {
    if (m.model === 'default') rest.push({ ...make(m, 'cpu', 'fp32', 1), id: `${m.key}-engine-cpu`, path: 'engine' });
    rest.push(make(m, 'cpu', 'fp32', 4));
    for (const batch of [1, 4]) rest.push(make(m, 'cpu', 'fp16', batch));
  }
  return [...first, ...rest];
}

/** The case whose picture a case is compared with: CPU fp32 batch 1 of the same model. */
export function referenceId(c: Pick<CaseSpec, 'modelKey'>): string {
  return `${c.modelKey}-cpu-fp32-b1`;
}

export interface RenderSpec {
  id: string;
  modelKey: string;
  ep: KitEp;
  width: number;
  height: number;
  fps: number;
  /** Seconds of the demo track rendered. */
  durationS: number;
  capS: number;
}

export function rendersFor(mode: KitMode): RenderSpec[] {
  if (mode === 'quick') return [{ id: 'render-default256-cpu', modelKey: 'default256', ep: 'cpu', width: 1920, height: 1080, fps: 30, durationS: 1, capS: 90 }];
  return [
    { id: 'render-default256-webgpu', modelKey: 'default256', ep: 'webgpu', width: 1920, height: 1080, fps: 30, durationS: 10, capS: 45 },
    { id: 'render-full1024-webgpu', modelKey: 'full1024', ep: 'webgpu', width: 1920, height: 1080, fps: 30, durationS: 10, capS: 60 },
    { id: 'render-default256-cpu', modelKey: 'default256', ep: 'cpu', width: 1920, height: 1080, fps: 30, durationS: 10, capS: 45 },
  ];
}

/**
 * The run's time budget from the benchmark's start (model builds included): cases stop being started at
 * totalS − rendersS, renders at totalS. Full mode fits the device tool's 600 s call with unpacking and slack.
 */
export function budgetFor(mode: KitMode): { totalS: number; rendersS: number; buildS: number } {
  return mode === 'quick' ? { totalS: 900, rendersS: 120, buildS: 300 } : { totalS: 460, rendersS: 110, buildS: 120 };
}

/** One printed line per case. Figures are absent when `ok` is false; `error` then says why. */
export interface CaseRecord {
  kind: 'case';
  id: string;
  path?: CaseSpec['path'];
  model: KitModel;
  size: number;
  ep: KitEp;
  precision: KitPrecision;
  batch: number;
  ok: boolean;
  /** Pictures per second over the timed window (batch × runs / seconds). */
  fps?: number;
  /** Per run (one batch), ms. */
  msMedian?: number;
  msP95?: number;
  runs?: number;
  loadMs?: number;
  warmupMs?: number;
  /** 'webgpu' when every node ran there, 'webgpu+cpu' when onnxruntime placed some on the CPU, 'cpu'. */
  provider?: string;
  /** Engine cases: median per-frame time outside inference (slab, messages, hand-over), ms. */
  overheadMs?: number;
  /** Ops onnxruntime put on the CPU in a WebGPU session (from a profiled run), when it did. */
  cpuOps?: string[] | null;
  adapter?: string | null;
  /** Largest |Δ| of any RGB byte against the reference case's picture (same inputs), in 1/255 steps. */
  maxDiff?: number | null;
  meanDiff?: number | null;
  threads?: number;
  error?: string;
  /** Where it failed: loading the session, running it, past its cap, or never started (budget spent). */
  stage?: 'load' | 'run' | 'timeout' | 'skipped' | 'crash';
}

export interface RenderRecord {
  kind: 'render';
  id: string;
  ep: KitEp;
  ok: boolean;
  width?: number;
  height?: number;
  fps?: number;
  frames?: number;
  framesPlanned?: number;
  /** Whole render, frames per second of wall time. */
  renderFps?: number;
  /** Per-frame ms by stage (median / p95): analysis share, mapping, generator, readback (fit to size + pipe). */
  stages?: Record<string, { msMedian: number; msP95: number; msTotal: number }>;
  provider?: string;
  path?: string;
  error?: string;
  stage?: CaseRecord['stage'];
}

const NUMBER_FIELDS = ['fps', 'msMedian', 'msP95', 'runs', 'loadMs', 'warmupMs'] as const;

/** Why a printed case line breaks the record's promise, or null: the test and the summary both use it. */
export function caseRecordProblem(r: unknown): string | null {
  if (typeof r !== 'object' || r === null) return 'not an object';
  const c = r as Record<string, unknown>;
  if (c.kind !== 'case') return `kind is ${JSON.stringify(c.kind)}, expected "case"`;
  for (const k of ['id', 'model', 'ep', 'precision'] as const) if (typeof c[k] !== 'string') return `${k} missing`;
  if (typeof c.ok !== 'boolean') return 'ok missing';
  if (!c.ok) return typeof c.error === 'string' && c.error.length > 0 ? null : 'a failed case must say why (error)';
  for (const k of NUMBER_FIELDS) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${k} is ${JSON.stringify(v)}, expected a finite number ≥ 0`;
  }
  if ((c.msP95 as number) < (c.msMedian as number)) return 'msP95 below msMedian';
  if (typeof c.provider !== 'string' || !/^(webgpu|webgpu\+cpu|cpu)$/.test(c.provider)) return `provider is ${JSON.stringify(c.provider)}`;
  if (c.maxDiff !== null && (typeof c.maxDiff !== 'number' || c.maxDiff < 0 || c.maxDiff > 255)) return `maxDiff is ${JSON.stringify(c.maxDiff)}`;
  return null;
}
