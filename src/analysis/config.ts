import { z } from 'zod';

/** Settings of the analysis stage (FFT sizes, hops, bands, thresholds). Defaults live here and nowhere else. */
export const analysisConfigSchema = z
  .strictObject({
    /** Analysis hop in samples at 44.1/48 kHz (about 100 Hz feature rate). */
    hopSamples: z.number().int().min(64).max(4096).optional(),
  })
  .prefault({});
export type AnalysisConfig = z.output<typeof analysisConfigSchema>;
