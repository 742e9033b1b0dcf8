/**
 * `latentvj meter [--audio …] [--duration s]`: a level meter to check the signal before the show. Redraws in
 * place on a TTY; otherwise prints one plain line per second, e.g. `peak -6.0 dBFS  rms -9.0 dBFS` (`CLIP` added
 * when a sample reached full scale). Files and the demo are paced in real time like a device (a meter shows what
 * is playing); `--fast` measures a file as fast as it decodes.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../config.js';
import type { GlobalOptions } from './options.js';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { openAudioSource } from '../audio/open.js';
import { formatReading, levels, meterBar, type LevelReading } from '../audio/meter.js';
import { takeWhile } from '../rx.js';
import { addConfigFlags, configFlags } from './configFlags.js';

interface MeterFlags {
  audio?: string;
  duration?: string;
  gain?: string;
  fast?: boolean;
}

const log = logger('meter');

function parsePositive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${flag} ${v}: expected a number of seconds above 0`);
  return n;
}

export async function runMeter(flags: MeterFlags, global: GlobalOptions, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const durationS = parsePositive('--duration', flags.duration);
  const audioFlags: Record<string, unknown> = {};
  if (flags.audio !== undefined) audioFlags['source'] = flags.audio;
  if (flags.gain !== undefined) {
    const g = Number(flags.gain);
    if (!Number.isFinite(g)) throw new UserError(`--gain ${flags.gain}: expected a number of dB`);
    audioFlags['gainDb'] = g;
  }
  const cfg = resolveConfig(global.config, { audio: audioFlags });
  const source = await openAudioSource(cfg.audio, { realtime: !flags.fast });
  log.info(`metering ${source.info.description}${durationS ? ` for ${durationS} s` : ' (Ctrl-C to stop)'}`);

  const tty = out.isTTY === true;
  const windowS = tty ? 0.1 : 1;
  let holdPeak = -Infinity;
  let holdUntil = 0;
  let clipUntil = 0;
  const draw = (r: LevelReading): void => {
    if (!tty) {
      out.write(formatReading(r) + '\n');
      return;
    }
    // Peak hold for 1.5 s and a clip light for 2 s, so short events can be read.
    if (r.peakDb >= holdPeak || r.t >= holdUntil) {
      holdPeak = r.peakDb;
      holdUntil = r.t + 1.5;
    }
    if (r.clip) clipUntil = r.t + 2;
    const shown = { ...r, peakDb: holdPeak, clip: r.t < clipUntil };
    out.write(`\r\x1b[2K${meterBar(shown)} ${formatReading(shown)}`);
  };

  await new Promise<void>((resolve, reject) => {
    const sub = source.blocks$
      .pipe(
        takeWhile((b) => durationS === undefined || b.t0 / b.sampleRate < durationS - 1e-9),
        levels(windowS),
      )
      .subscribe({
        next: (r) => {
          if (durationS !== undefined && r.t - r.durationS >= durationS - 1e-9) return;
          draw(r);
        },
        error: reject,
        complete: resolve,
      });
    const stop = (): void => {
      sub.unsubscribe();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    sub.add(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  });
  if (tty) out.write('\n');
}

export function register(program: Command): void {
  const meter = program
    .command('meter')
    .description('show the input level (peak and RMS in dBFS, clip indicator) to check the signal before the show');
  addConfigFlags(meter, configFlags('--audio'))
    .option('-d, --duration <seconds>', 'stop after this many seconds of audio (default: until Ctrl-C)')
    .option('-g, --gain <dB>', 'input gain in dB applied before metering')
    .option('--fast', 'measure a file as fast as it decodes instead of in real time')
    .action(async (flags: MeterFlags, cmd: Command) => {
      await runMeter(flags, cmd.optsWithGlobals() as GlobalOptions);
    });
}
