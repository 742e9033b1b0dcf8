/**
 * Throughput benchmark of the generator stage as the engine uses it: frames rendered back to back through the
 * worker (submit the next params when a frame arrives), with slowly moving latents so every frame is real work.
 * Shared by `latentvj bench generator` and bench/generator.bench.ts.
 */
import { loadavg } from 'node:os';
import { lastValueFrom, take, tap } from '../../rx.js';
import type { GeneratorConfig } from '../config.js';
import { createGenerator, type CreateGeneratorOptions, type RuntimeGenerator } from './generator.js';
import { neutralParams } from './params.js';
import { quantile } from './stats.js';
import { SeededNormal } from '../randomModel.js';

export interface GeneratorBenchOptions extends Partial<Omit<GeneratorConfig, 'model'>> {
  modelDir: string;
  frames: number;
  candidates?: CreateGeneratorOptions['candidates'];
}

export interface GeneratorBenchResult {
  fps: number;
  msMedian: number;
  msP95: number;
  ep: string;
  width: number;
  height: number;
  frames: number;
  threads: number;
  /** Time per frame outside inference (median over frames): building inputs, messages, output hand-over. */
  overheadMsMedian: number;
  overheadMsP95: number;
  /** 1-minute load average of the machine when the run ended (others' work shares these cores). */
  load1: number;
  /** Every frame's inference time (ms), sorted. */
  inferMs: number[];
}

export async function benchGenerator(o: GeneratorBenchOptions): Promise<GeneratorBenchResult> {
  const { frames, modelDir, ...rest } = o;
  const g = await createGenerator({ statsIntervalS: 0, ...rest, modelDir });
  try {
    return await measureFrames(g, frames, o.threads ?? 0);
  } finally {
    await g.close();
  }
}

/** Renders `frames` frames back to back on an open generator (rounds of a benchmark can share one). */
export async function measureFrames(g: RuntimeGenerator, frames: number, threads: number): Promise<GeneratorBenchResult> {
  const m = g.info.manifest;
  const params = neutralParams(m);
  // A random direction in W, walked slowly (0.02 per frame): consecutive frames differ a little, like a set.
  const dir = new SeededNormal(3).fill(new Float32Array(params.ws.length), 0.02);
  const inferMs: number[] = [];
  const overheadFrom = g.overhead().length;
  const t0 = performance.now();
  const done = lastValueFrom(
    g.frames$.pipe(
      take(frames),
      tap((f) => {
        inferMs.push(f.stamps.inferEnd - f.stamps.inferStart);
        params.frame = f.frame + 1;
        for (let i = 0; i < params.ws.length; i++) params.ws[i]! += dir[i]!;
        g.submit(params, performance.now());
      }),
    ),
  );
  g.submit(params, performance.now());
  await done;
  const elapsedMs = performance.now() - t0;
  const sorted = inferMs.sort((a, b) => a - b);
  const over = g
    .overhead()
    .slice(overheadFrom)
    .map((s) => s.beforeMs + s.afterMs)
    .sort((a, b) => a - b);
  return {
    fps: (frames * 1000) / elapsedMs,
    msMedian: quantile(sorted, 0.5),
    msP95: quantile(sorted, 0.95),
    ep: g.info.ep,
    width: g.width,
    height: g.height,
    frames,
    threads,
    overheadMsMedian: quantile(over, 0.5),
    overheadMsP95: quantile(over, 0.95),
    load1: loadavg()[0] ?? 0,
    inferMs: sorted,
  };
}
