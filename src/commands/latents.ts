/**
 * `latentvj latents --model m [--banks dir]`: the /latents page without a show running (browse seeds, blend,
 * nudge, walk directions, save banks), for preparing a set. `latentvj live` serves the same page beside the
 * output, saving banks beside its mapping.
 */
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { EngineServer } from '../output/server.js';
import { registerPages } from '../output/pages.js';
import { registerLatentStudio } from '../output/latentStudio.js';
import { readManifest } from '../generator/graph/manifest.js';
import { isLoopback, tokenMatches } from '../control/api.js';
import { logger } from '../log.js';
import { intFlag, modelFlag } from './options.js';

interface LatentsFlags {
  model: string;
  banks: string;
  host: string;
  port: string;
}

export function register(program: Command): void {
  program
    .command('latents')
    .description('serve the /latents page for a model: browse seeds, blend, nudge, walk directions, save banks for mappings')
    .option('--model <dir>', "model directory written by latentvj convert, or 'default'", 'default')
    .option('--banks <dir>', 'folder saved banks go to (put it beside the mapping that loads them)', '.')
    .option('--host <host>', 'address to serve on (0.0.0.0: the LAN, with a token for saving)', '127.0.0.1')
    .option('--port <n>', 'port', '7879')
    .action(async (flags: LatentsFlags) => {
      const log = logger('latents');
      const port = intFlag('--port', flags.port, 0, 65535);
      const modelDir = await modelFlag(flags.model);
      const manifest = await readManifest(modelDir);
      const token = isLoopback(flags.host) ? null : randomBytes(12).toString('hex');
      const server = new EngineServer({ host: flags.host, port });
      registerPages(server);
      const studio = registerLatentStudio(server, {
        modelDir,
        manifest,
        banksDir: resolve(flags.banks),
        mayWrite: (remote, given) => token === null || (remote !== undefined && isLoopback(remote)) || tokenMatches(token, given),
      });
      await server.listen();
      log.info(`latents of ${modelDir}: ${server.url('/latents')}${token ? ` (saving from the LAN: ${server.url(`/latents?token=${token}`)})` : ''}; banks go to ${resolve(flags.banks)}`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await studio.close();
      await server.close();
    });
}
