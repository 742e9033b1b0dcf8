import { createWriteStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { resolveConfig, type Config } from '../config.js';
import type { GlobalOptions } from './options.js';
import { logger } from '../log.js';
import { traceLine, traceRecord } from '../mapping/trace.js';
import { openOffline } from '../pipeline/index.js';

const log = logger('trace');

interface TraceFlags {
  mapping: string;
  model?: string;
  fps: string;
  format: string;
  out?: string;
}

/**
 * The config a trace runs: the --config file (analysis, audio channels and gain, model) with the audio, mapping,
 * model and fps of the command line, so trace hears and maps exactly what `live` would with the same file.
 */
export function traceConfig(globalConfig: string | undefined, audio: string, flags: Pick<TraceFlags, 'mapping' | 'model'> & { fps: number }): Config {
  return resolveConfig(globalConfig, {
    fps: flags.fps,
    mapping: flags.mapping,
    audio: { source: audio },
    generator: { model: flags.model },
  });
}

export function register(program: Command): void {
  program
    .command('trace')
    .description('run analysis and a mapping over an audio file at the frame rate (no generator) and write the resolved targets per frame')
    .argument('<audio>', "audio file (WAV; mp3/flac/ogg through ffmpeg) or 'demo' for the demo track")
    .option('-m, --mapping <file>', 'mapping file or preset name', 'default')
    .option('--model <dir>', "model directory (manifest.json + mapping.onnx), or 'default'; default: generator.model of --config")
    .option('--fps <n>', 'frames per second of the virtual clock', '30')
    .option('--format <format>', 'output format: jsonl', 'jsonl')
    .option('-o, --out <file>', 'write here instead of stdout')
    .action(async (audio: string, flags: TraceFlags, cmd: Command) => {
      const fps = Number(flags.fps);
      if (!Number.isFinite(fps) || fps < 1 || fps > 240) throw new UserError(`--fps ${flags.fps}: expected a number from 1 to 240`);
      if (flags.format !== 'jsonl') throw new UserError(`--format ${flags.format}: expected jsonl`);
      if (audio !== 'demo' && !existsSync(audio)) throw new UserError(`${audio}: no such audio file (or use 'demo' for the demo track)`);
      const cfg = traceConfig((cmd.optsWithGlobals() as GlobalOptions).config, audio, { mapping: flags.mapping, model: flags.model, fps });
      const p = await openOffline(cfg);
      const mapper = p.mapper!;
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      let buf = '';
      let frames = 0;
      try {
        frames = await p.run.run((f) => {
          buf += traceLine(traceRecord(f, mapper)) + '\n';
          if (buf.length > 1 << 16) {
            out.write(buf);
            buf = '';
          }
        });
        out.write(buf);
      } finally {
        await p.close();
      }
      if (flags.out) {
        await new Promise<void>((resolve, reject) => (out as NodeJS.WritableStream).end(() => resolve()).on?.('error', reject));
        log.info(`${frames} frames → ${flags.out}`);
      }
    });
}
