import { z } from 'zod';

/** Settings of the generator stage. Defaults live here and nowhere else. */
export const generatorConfigSchema = z
  .strictObject({
    /** Model directory (generator.onnx + manifest.json); 'default' is models/default. */
    model: z.string().min(1).default('default'),
    /** Execution provider. */
    ep: z.enum(['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu']).default('auto'),
    /** Intra-op threads for the CPU provider; 0 lets onnxruntime choose. */
    threads: z.number().int().min(0).max(256).default(0),
  })
  .prefault({});
export type GeneratorConfig = z.output<typeof generatorConfigSchema>;
