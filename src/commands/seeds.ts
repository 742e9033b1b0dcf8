/**
 * `latentvj seeds --model m --seeds 100-163 [--truncation ψ] [--out sheet.png]`: a contact sheet of seeds, each
 * tile labelled with its seed, made in one process with batched inference (the graph's batch axis is dynamic),
 * to pick latents for a bank. Seeds are NVIDIA's (see generator/seeds.ts), so a seed picked here is the seed
 * upstream's tools know.
 */
import type { Command } from 'commander';
import { rename, rm, writeFile } from 'node:fs/promises';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import { PACKAGE_ROOT } from '../paths.js';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { encodePng } from '../contracts/png.js';
import { NEUTRAL_CONTROLS } from '../generator/controls.js';
import { OfflineModel } from '../generator/offline.js';
import { makePictures } from '../generator/pictures.js';
import { parseSeedList } from '../contracts/seeds.js';
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

function int(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${flag}: '${v}' is not an integer in ${min}..${max}`);
  return n;
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
      let seeds: number[];
      try {
        seeds = parseSeedList(flags.seeds, 1024);
      } catch (e) {
        throw new UserError(`--seeds: ${(e as Error).message}`);
      }
      const truncation = Number(flags.truncation);
      if (!Number.isFinite(truncation)) throw new UserError(`--truncation: '${flags.truncation}' is not a number`);
      const model = resolveModelDir(flags.model, PACKAGE_ROOT);
      if (flags.model === 'default') await ensureDefaultModel(model);
      const sheet = await renderSheet({
        model,
        seeds,
        truncation,
        classIndex: flags.class !== undefined ? int('--class', flags.class, 0, 1e6) : undefined,
        shrinkBy: int('--shrink', flags.shrink, 1, 64),
        columns: flags.columns !== undefined ? int('--columns', flags.columns, 1, 1024) : undefined,
        batch: int('--batch', flags.batch, 1, 256),
      });
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
