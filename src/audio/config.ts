import { z } from 'zod';

/** Settings of the audio edge. Defaults live here and nowhere else. */
export const audioConfigSchema = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .default('auto')
      .describe("audio: 'auto' (the default line-in, else the demo track), 'demo', a file, or device:<id|name substring>"),
    sampleRate: z.number().int().min(8000).max(192000).default(48000).describe('sample rate to open the line-in at, Hz (files keep their own)'),
    /** Channels a file or device lacks are dropped with a warning. */
    channels: z.array(z.number().int().min(1).max(64)).min(1).default([1, 2]).describe('1-based input channels to use (mixed to mono by audio.mix)'),
    /** 'mono': average the chosen channels into one (what analysis expects); 'keep': one channel each, in the order given. */
    mix: z.enum(['mono', 'keep']).default('mono'),
    /**
     * Sample format asked of the line-in. 'int16' (96 dB of range, ample for analysis) works with every device and
     * is the path our ALSA tests exercise; 'float32' skips one conversion where the hardware delivers float.
     */
    sampleFormat: z.enum(['int16', 'float32']).default('int16'),
    blockSize: z.number().int().min(16).max(16384).default(512).describe('frames per block delivered by the source (and fed to the analysis)'),
    gainDb: z.number().min(-60).max(60).default(0).describe('input gain applied at the source, dB'),
    /** Loop a file or the demo track when it ends (live mode). */
    loop: z.boolean().default(true),
  })
  .prefault({});
export type AudioConfig = z.output<typeof audioConfigSchema>;
