/**
 * `latentvj seeds --model m --seeds 100-163 [--truncation ψ] [--out sheet.png]`: a contact sheet of seeds, each
 * tile labelled with its seed, made in one process with batched inference (the graph's batch axis is dynamic),
 * to pick latents for a bank. Seeds are NVIDIA's (see generator/seeds.ts), so a seed picked here is the seed
 * upstream's tools know.
 */
import type { Command } from 'commander';
import { rename, rm, writeFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { encodePng } from '../contracts/png.js';
import { NEUTRAL_CONTROLS } from '../generator/controls.js';
import { OfflineModel } from '../generator/offline.js';
import { makePictures } from '../generator/pictures.js';
import { intFlag, modelFlag, numFlag, optionalIntFlag, seedsFlag } from './options.js';
import { composeSheet, sheetLayout, shrink } from '../generator/sheet.js';

export interface SheetOptions {
  model: string;
  seeds: number[];
  truncation: number;
  classIndex?: number;
  /** Shrink each tile by this integer factor (1 = full size). */
  shrinkBy: number;
  columns?: number;
  batch?: number;
}

/** The sheet's RGBA and size, and the seeds in tile order (left to right, top to bottom). */
export async function renderSheet(o: SheetOptions): Promise<{ width: number; height: number; rgba: Uint8Array; tileW: number; tileH: number; columns: number }> {
  const model = await OfflineModel.open(o.model);
  try {
    const pictures = await makePictures(model, {
      seeds: o.seeds,
      classIndex: o.classIndex,
      truncation: o.truncation,
      directions: [],
      controls: NEUTRAL_CONTROLS,
      batch: o.batch,
    });
    const { width, height } = model.manifest;
    const tiles = pictures.map((p) => shrink(p.rgba, width, height, o.shrinkBy));
    const layout = sheetLayout(tiles.length, tiles[0]!.width, tiles[0]!.height, o.columns);
    const rgba = composeSheet(
      tiles.map((t) => t.rgba),
      o.seeds.map((s) => String(s)),
      layout,
    );
    return { width: layout.width, height: layout.height, rgba, tileW: layout.tileW, tileH: layout.tileH, columns: layout.columns };
  } finally {
    await model.close();
  }
}

interface SeedsFlags {
  model: string;
  seeds: string;
  truncation: string;
  class?: string;
  shrink: string;
  columns?: string;
  batch: string;
  out: string;
}

export function register(program: Command): void {
  program
    .command('seeds')
    .description('a labelled contact sheet of seeds in one run (batched inference), to pick latents for a bank')
    .requiredOption('--model <dir>', "model directory written by latentvj convert, or 'default' (built if missing)")
    .option('--seeds <list>', "NVIDIA-style seeds: 100-163, 1,2,3, or a mix", '0-15')
    .option('--truncation <psi>', 'truncation ψ toward w_avg (1 = none)', '1')
    .option('--class <k>', 'class of a conditional model')
    .option('--shrink <n>', 'shrink each tile n times (box filter)', '1')
    .option('--columns <n>', 'tiles per row (default: about square)')
    .option('--batch <n>', 'pictures per inference run', '8')
    .option('--out <png>', 'sheet to write', 'seeds.png')
    .action(async (flags: SeedsFlags) => {
      const log = logger('seeds');
      const t0 = performance.now();
      const seeds = seedsFlag('--seeds', flags.seeds, 1024);
      const truncation = numFlag('--truncation', flags.truncation, -10, 10);
      const classIndex = optionalIntFlag('--class', flags.class, 0, 1e6);
      const shrinkBy = intFlag('--shrink', flags.shrink, 1, 64);
      const columns = optionalIntFlag('--columns', flags.columns, 1, 1024);
      const batch = intFlag('--batch', flags.batch, 1, 256);
      const sheet = await renderSheet({ model: await modelFlag(flags.model), seeds, truncation, classIndex, shrinkBy, columns, batch });
      const tmp = `${flags.out}.tmp-${process.pid}`;
      try {
        await writeFile(tmp, encodePng(sheet.rgba, sheet.width, sheet.height));
        await rename(tmp, flags.out);
      } catch (e) {
        await rm(tmp, { force: true });
        throw new UserError(`${flags.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      log.info(`${flags.out}: ${seeds.length} seeds, ${sheet.columns} per row, ${sheet.width}×${sheet.height} in ${Math.round(performance.now() - t0)} ms`);
    });
}
