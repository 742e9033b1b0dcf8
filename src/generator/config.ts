import { z } from 'zod';

/** Execution providers of onnxruntime, 'auto' first (the order 'auto' tries is the generator's). */
export const executionProviders = ['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;

/** Settings of the generator stage. Defaults live here and nowhere else. */
export const generatorConfigSchema = z
  .strictObject({
    model: z.string().min(1).default('default').describe("model directory (generator.onnx + manifest.json); 'default' is models/default"),
    ep: z.enum(executionProviders).default('auto').describe("execution provider; 'auto' tries cuda, dml, coreml, webgpu, cpu in that order"),
    threads: z.number().int().min(0).max(256).default(0).describe('intra-op threads for the CPU provider; 0 lets onnxruntime choose (one per core)'),
    /** Inter-op threads (only used with parallel execution); 0 lets onnxruntime choose. */
    interOpThreads: z.number().int().min(0).max(256).default(0),
    /** onnxruntime graph optimisation level. */
    graphOptimization: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
    /**
     * Let idle intra-op threads spin between ops. Spinning shortens each op's start by a few µs but burns the
     * cores between frames, which on a small machine steals time from audio and the display; off by default.
     */
    spin: z.boolean().default(false),
    /** Cache the optimised model on disk (beside the model, in .cache/) so later starts skip the optimisation. */
    cacheOptimized: z.boolean().default(true),
    /** Prefer the model's fp16 variant on GPU providers when the manifest lists one. */
    fp16: z.boolean().default(true),
    /** Inference runs before the first frame (warm-up: allocations, kernel selection, caches). */
    warmupRuns: z.number().int().min(0).max(50).default(2),
    /** Seconds between the rolling summary lines in the log (0: never). */
    statsIntervalS: z.number().min(0).default(5),
  })
  .prefault({});
export type GeneratorConfig = z.output<typeof generatorConfigSchema>;
