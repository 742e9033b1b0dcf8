import { z } from 'zod';

/** Settings of the outputs (HTTP/ws server, window). Defaults live here and nowhere else. */
export const outputConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('HTTP/ws host; 0.0.0.0 serves the LAN (control then needs the printed token)'),
    port: z.number().int().min(0).max(65535).default(7878).describe('HTTP/ws port for /output, /monitor and the control API (0: any free port)'),
    window: z.boolean().default(true).describe('open an Electron window when electron is installed (without: print the URL to open in a browser)'),
    display: z.union([z.number().int().min(0), z.string()]).default(0).describe('display for the fullscreen output window, by index or name substring'),
    fit: z
      .enum(['fit', 'fill', 'stretch'])
      .default('fit')
      .describe('how the picture fills the display: keep aspect with bars (fit), crop (fill), or distort (stretch)'),
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
    /** Empty: only /output and /monitor of this engine. */
    allowedOrigins: z
      .array(z.string().min(1))
      .default([])
      .describe("web pages other than the engine's own that may read and drive it, by origin (e.g. http://192.168.1.20:9980) or '*'"),
    /** With no display or preview connected, skip inference (the analysis and control keep running). */
    idleWithoutDisplay: z.boolean().default(true),
  })
  .prefault({});
export type OutputConfig = z.output<typeof outputConfigSchema>;
