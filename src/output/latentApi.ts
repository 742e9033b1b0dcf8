/**
 * `GET /api/latent`: the W+ latents [numWs, wDim] of the newest frame, as painted (truncation toward w_avg
 * applied), so a moment of the show can be kept: `?format=npy` answers a float32 .npy [1, numWs, wDim] that
 * `latentvj generate --ws` and a bank file take; JSON otherwise ({ v, frame, numWs, wDim, ws: [[…], …] }).
 * Reading needs no token (like GET /api/state). 503 until the first frame.
 */
import type { Manifest } from '../generator/types.js';
import type { FrameParams } from '../visual/types.js';
import type { EngineServer } from './server.js';
import { encodeNpy } from '../contracts/npy.js';
import { registerLatentStudio, type LatentStudioOptions } from './latentStudio.js';

export interface LatentApi {
  /** Keep the newest params (copied into one buffer: nothing allocated per frame). */
  observe(p: FrameParams): void;
  /** Stops the /latents page's generator (when it was registered). */
  close(): Promise<void>;
}

/** With `studio`, the /latents page's API is registered too (src/output/latentStudio.ts). */
export function registerLatentApi(server: EngineServer, manifest: Manifest, studio?: Omit<LatentStudioOptions, 'manifest'>): LatentApi {
  const page = studio ? registerLatentStudio(server, { ...studio, manifest }) : null;
  const { numWs, wDim } = manifest;
  const latest = new Float32Array(numWs * wDim);
  let frame = -1;
  let truncation = 1;
  server.route('GET /api/latent', (_req, res, url) => {
    if (frame < 0) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ v: 1, ok: false, error: 'no frame yet' }));
      return;
    }
    const ws = Float32Array.from(latest);
    if (truncation !== 1) for (let i = 0; i < ws.length; i++) ws[i] = manifest.wAvg[i % wDim]! + truncation * (ws[i]! - manifest.wAvg[i % wDim]!);
    if (url.searchParams.get('format') === 'npy') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="latent-${frame}.npy"`, 'cache-control': 'no-store' });
      res.end(encodeNpy({ shape: [1, numWs, wDim], data: ws }));
      return;
    }
    const rows = Array.from({ length: numWs }, (_, r) => Array.from(ws.subarray(r * wDim, (r + 1) * wDim)));
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ v: 1, ok: true, frame, numWs, wDim, ws: rows }));
  });
  return {
    observe(p) {
      if (p.ws.length !== latest.length) return;
      latest.set(p.ws);
      frame = p.frame;
      truncation = p.truncation;
    },
    close: async () => page?.close(),
  };
}
