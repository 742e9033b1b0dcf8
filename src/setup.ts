/**
 * First-run preparation, called by tools/postbuild.js after `npm install` builds, and by `live` at start:
 * builds models/default when it is missing or outdated (a second or two; deterministic from a seed).
 */
import { join } from 'node:path';
import { ensureDefaultModel } from './generator/defaultModel.js';
import { logger } from './log.js';

const log = logger('setup');

export interface SetupOptions {
  /** Repository (or install) root holding models/. */
  root: string;
}

export async function runSetup({ root }: SetupOptions): Promise<void> {
  const dir = join(root, 'models', 'default');
  const t0 = performance.now();
  if (await ensureDefaultModel(dir)) {
    log.info(`built the default model in ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    log.debug(`default model in ${dir} is up to date`);
  }
}
