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
    /** How the picture fills the display: keep aspect with bars (fit), crop (fill), or distort (stretch). */
    fit: z.enum(['fit', 'fill', 'stretch']).default('fit'),
    /** Open the monitor in a second Electron window. */
    monitorWindow: z.boolean().default(true),
    /** Monitor state messages per second on /state. */
    stateHz: z.number().min(1).max(120).default(30),
    /** Frames per second sent to the monitor's preview (it only needs a glance). */
    previewFps: z.number().min(1).max(120).default(10),
    /**
     * Host names this engine answers to besides its IP addresses, localhost and this machine's name. A request
     * naming another host is refused: that is how a foreign web page reaches 127.0.0.1 (DNS rebinding).
     */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /**
     * Web pages other than the engine's own that may read state and frames and drive the engine, by origin
     * (e.g. 'http://192.168.1.20:9980'), or '*' for any. Empty: only /output and /monitor of this engine.
     */
    allowedOrigins: z.array(z.string().min(1)).default([]),
    /** With no display or preview connected, skip inference (the analysis and control keep running). */
    idleWithoutDisplay: z.boolean().default(true),
  })
  .prefault({});
export type OutputConfig = z.output<typeof outputConfigSchema>;
