/**
 * `render --queue`: the render command's inputs handed to the coordinator, with the progress sink and the
 * summary line. Loaded only when --queue is given (BullMQ and its Redis client stay out of plain renders).
 */
import { logger } from '../log.js';
import { queuedRender, queuedSummary, type QueuedRenderOptions } from './coordinator.js';
import type { QueueChoice } from './renderFlags.js';

const log = logger('queue');

export type RenderInputs = Omit<QueuedRenderOptions, 'address' | 'shared' | 'chunkSegments' | 'maxWarmupSegments' | 'progress'>;

export async function renderOnQueue(q: QueueChoice, r: RenderInputs): Promise<void> {
  const segmentS = r.segmentFrames / r.window.fps;
  const chunkSegments = Math.max(1, Math.round(q.chunkS / segmentS));
  const stats = await queuedRender({
    ...r,
    address: q.address,
    shared: q.shared,
    chunkSegments,
    // A cut may cost at most one chunk's worth of warm-up (generator only) before the chunk.
    maxWarmupSegments: chunkSegments,
    progress: { isTTY: !!process.stderr.isTTY, columns: process.stderr.columns, write: (s) => process.stderr.write(s) },
  });
  log.info(queuedSummary(r.out, stats, r.window.fps, r.window.frameCount));
}
