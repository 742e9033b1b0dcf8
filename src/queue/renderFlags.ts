/**
 * The `render` flags that send a render to the queue (`--queue`, `--shared`, `--chunk`), checked with the other
 * flags before anything is computed, and the summary of a queued render. Kept here so the render command only
 * branches on them.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { parseQueueUrl, type QueueAddress } from './connection.js';

export interface QueueFlags {
  queue?: string;
  shared?: string;
  chunk: string;
}

export interface QueueChoice {
  address: QueueAddress;
  shared: string;
  chunkS: number;
}

export function addQueueOptions(cmd: Command): Command {
  return cmd
    .option('--queue <url>', 'render on workers (latentvj worker) through a BullMQ queue: redis://host:port/name')
    .option('--shared <dir>', 'with --queue: the folder every worker also mounts (NFS/SMB), where segments are written')
    .option('--chunk <s>', 'with --queue: seconds of video per chunk (whole segments)', '60');
}

/** Null when --queue is not given; a UserError naming the flag when the queue flags are wrong. */
export function parseQueueFlags(f: QueueFlags, segmentS: number): QueueChoice | null {
  if (!f.queue) {
    if (f.shared) throw new UserError('--shared: only with --queue (the folder workers share)');
    return null;
  }
  const address = parseQueueUrl(f.queue);
  if (!f.shared) throw new UserError('--queue: also give --shared <dir>, a folder every worker mounts, for the segments');
  const shared = resolve(f.shared);
  if (!existsSync(shared) || !statSync(shared).isDirectory()) throw new UserError(`--shared ${f.shared}: no such folder`);
  const chunkS = Number(f.chunk);
  if (f.chunk.trim() === '' || !Number.isFinite(chunkS) || chunkS < segmentS || chunkS > 24 * 3600) {
    throw new UserError(`--chunk ${f.chunk}: expected seconds from one segment (--segment ${segmentS}) to 86400`);
  }
  return { address, shared, chunkS };
}
