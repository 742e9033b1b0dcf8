/**
 * `latentvj worker --queue redis://host:port/name --shared <dir>`: renders chunks of queued renders (see
 * `render --queue`) until stopped. Wiring only: the work is in src/queue/.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import type { GeneratorConfig } from '../generator/config.js';
import { readManifest } from '../generator/graph/manifest.js';
import { logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';
import { requireFfmpeg } from '../render/ffmpegPath.js';
import { parseQueueUrl } from '../queue/connection.js';
import { startWorker } from '../queue/worker.js';
import { EPS, numFlag } from './options.js';

const log = logger('worker');

interface WorkerFlags {
  queue: string;
  shared: string;
  model: string;
  ep: string;
  threads: string;
  lock: string;
  name?: string;
}


export function register(program: Command): void {
  program
    .command('worker')
    .description('render chunks of queued renders (render --queue) from a BullMQ queue on Redis, until Ctrl-C')
    .requiredOption('--queue <url>', 'the queue: redis://host:port/name (as given to render --queue)')
    .requiredOption('--shared <dir>', "this machine's mount of the shared folder given to render --shared")
    .option('--model <dir>', "model directory, or 'default' (built if missing); must be the coordinator's model", 'default')
    .option('--ep <provider>', `execution provider: ${EPS.join(', ')}`, 'auto')
    .option('--threads <n>', "generator threads (0: onnxruntime's default)", '0')
    .option('--lock <s>', "seconds a chunk's lock lives without renewal: how soon a dead worker's chunk is rendered elsewhere", '30')
    .option('--name <name>', 'name in logs and progress (default: host:pid)')
    .action(async (flags: WorkerFlags) => {
      const address = parseQueueUrl(flags.queue);
      const shared = resolve(flags.shared);
      if (!existsSync(shared) || !statSync(shared).isDirectory()) throw new UserError(`--shared ${flags.shared}: no such folder (mount the shared folder first)`);
      const ep = EPS.find((e) => e === flags.ep);
      if (!ep) throw new UserError(`--ep ${flags.ep}: expected one of ${EPS.join(', ')}`);
      const threads = numFlag('--threads', flags.threads, 0, 256, true);
      const lockMs = Math.round(numFlag('--lock', flags.lock, 1, 3600) * 1000);
      if (flags.name !== undefined && !/^[\w.:@-]{1,64}$/.test(flags.name)) throw new UserError(`--name ${flags.name}: 1–64 letters, digits or . : @ _ -`);
      const ffmpeg = requireFfmpeg();
      const modelDir = resolveModelDir(flags.model, PACKAGE_ROOT);
      if (flags.model === 'default') await ensureDefaultModel(modelDir);
      const manifest = await readManifest(modelDir);

      const w = await startWorker({ address, shared, modelDir, manifest, ep: ep as GeneratorConfig['ep'], threads, ffmpeg, lockMs, ...(flags.name ? { name: flags.name } : {}) });
      const onSignal = (): void => {
        process.stderr.write(`\nlatentvj: worker ${w.name} stops after the chunk it renders\n`);
        void w.close();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const s = await w.stopped;
      await w.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (s.reason === 'refused') throw new UserError(s.message ?? `worker ${w.name} refused a job`);
      log.info(`worker ${w.name} stopped`);
    });
}
