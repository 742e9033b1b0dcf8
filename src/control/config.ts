import { z } from 'zod';

/** Settings of performer control (MIDI, OSC, tempo). Defaults live here and nowhere else. */
export const controlConfigSchema = z
  .strictObject({
    oscHost: z.string().min(1).default('127.0.0.1'),
    /** UDP port for OSC in; clear of Resolume (7000), LiveOSC (9000/9001) and AbletonOSC (11000/11001). */
    oscPort: z.number().int().min(0).max(65535).default(7979),
    /** MIDI input ports by name substring or index. */
    midiInputs: z.array(z.union([z.string(), z.number().int().min(0)])).default([]),
  })
  .prefault({});
export type ControlConfig = z.output<typeof controlConfigSchema>;
