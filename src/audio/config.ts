import { z } from 'zod';

/** Settings of the audio edge. Defaults live here and nowhere else. */
export const audioConfigSchema = z
  .strictObject({
    /** 'auto' (default line-in, demo track when there is none), 'demo', a file path, or 'device:<id|name substring>'. */
    source: z.string().min(1).default('auto'),
    /** Sample rate to open the line-in at (Hz); files keep their own. */
    sampleRate: z.number().int().min(8000).max(192000).default(48000),
    /** 1-based input channels to use, e.g. [1, 2]; channels a file or device lacks are dropped with a warning. */
    channels: z.array(z.number().int().min(1).max(64)).min(1).default([1, 2]),
    /** 'mono': average the chosen channels into one (what analysis expects); 'keep': one channel each, in the order given. */
    mix: z.enum(['mono', 'keep']).default('mono'),
    /**
     * Sample format asked of the line-in. 'int16' (96 dB of range, ample for analysis) works with every device and
     * is the path our ALSA tests exercise; 'float32' skips one conversion where the hardware delivers float.
     */
    sampleFormat: z.enum(['int16', 'float32']).default('int16'),
    /** Frames per block delivered by the source. */
    blockSize: z.number().int().min(16).max(16384).default(512),
    /** Input gain applied at the source, dB. */
    gainDb: z.number().min(-60).max(60).default(0),
    /** Loop a file or the demo track when it ends (live mode). */
    loop: z.boolean().default(true),
  })
  .prefault({});
export type AudioConfig = z.output<typeof audioConfigSchema>;
