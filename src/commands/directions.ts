/**
 * `latentvj directions --model m [--count 16] [--samples 8192]`: GANSpace and SeFa latent directions for a
 * converted model, written beside it as directions.json; `generate --direction k:amount` walks along them.
 */
import type { Command } from 'commander';
import { intFlag, modelFlag } from './options.js';
import { logger } from '../log.js';
import { computeDirections, writeDirections } from '../generator/directions.js';
import { OfflineModel } from '../generator/offline.js';

interface DirectionsFlags {
  model: string;
  count: string;
  samples: string;
  seed: string;
}

export function register(program: Command): void {
  program
    .command('directions')
    .description('compute latent directions (GANSpace PCA of W, SeFa of the style weights) and store them with the model')
    .requiredOption('--model <dir>', "model directory written by latentvj convert, or 'default'")
    .option('--count <k>', 'directions per method', '16')
    .option('--samples <n>', 'W samples for GANSpace (and for σ)', '8192')
    .option('--seed <N>', 'seed of the sampled z', '0')
    .action(async (flags: DirectionsFlags) => {
      const log = logger('directions');
      const t0 = performance.now();
      const dir = await modelFlag(flags.model);
      const model = await OfflineModel.open(dir);
      try {
        const count = intFlag('--count', flags.count, 1, model.manifest.wDim);
        const samples = intFlag('--samples', flags.samples, Math.max(2 * count, 16), 1_000_000);
        const d = await computeDirections(model, { count, samples, seed: intFlag('--seed', flags.seed, 0, 2 ** 32 - 1) });
        const file = await writeDirections(dir, d);
        const share = d.ganspace.sigmas.slice(0, 3).map((s) => s.toFixed(3)).join(', ');
        log.info(`${file}: ${count} GANSpace + ${count} SeFa directions from ${samples} samples (σ of the first: ${share}) in ${Math.round(performance.now() - t0)} ms`);
      } finally {
        await model.close();
      }
    });
}
