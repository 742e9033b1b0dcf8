/**
 * The runtime's inference worker, which dies (as a native crash would end it) when asked for its second run.
 * Registered before the real worker's own listener, so it acts first.
 */
import { parentPort } from 'node:worker_threads';

let runs = 0;
parentPort!.on('message', (m: { type: string }) => {
  if (m.type === 'run' && ++runs === 2) process.exit(3);
});
await import('../../../src/generator/runtime/worker.js');
