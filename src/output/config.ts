import { z } from 'zod';

/** Settings of the outputs (HTTP/ws server, window). Defaults live here and nowhere else. */
export const outputConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    /** HTTP + ws port for the output page, monitor and control API. */
    port: z.number().int().min(0).max(65535).default(7878),
    /** Open an Electron window when electron is installed. */
    window: z.boolean().default(true),
    /** Display index or name substring for the fullscreen output window. */
    display: z.union([z.number().int().min(0), z.string()]).default(0),
  })
  .prefault({});
export type OutputConfig = z.output<typeof outputConfigSchema>;
