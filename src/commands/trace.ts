import { createWriteStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { resolveConfig, type Config } from '../config.js';
import type { GlobalOptions } from './options.js';
import { logger } from '../log.js';
import { traceLine, traceRecord } from '../mapping/trace.js';
import { openOffline } from '../pipeline/index.js';
import { addConfigFlags, configFlags } from './configFlags.js';

const log = logger('trace');

interface TraceFlags {
  mapping?: string;
  model?: string;
  fps?: number;
  format: string;
  out?: string;
  session?: string;
}

/**
 * The config a trace runs: the --config file (analysis, audio channels and gain, model) with the audio, mapping,
 * model and fps of the command line, so trace hears and maps exactly what `live` would with the same file.
 */
export function traceConfig(globalConfig: string | undefined, audio: string, flags: Pick<TraceFlags, 'mapping' | 'model' | 'fps'>): Config {
  return resolveConfig(globalConfig, {
    fps: flags.fps,
    mapping: flags.mapping,
    audio: { source: audio },
    generator: { model: flags.model },
  });
}

/** The config keys trace takes as flags (ranges, help and defaults from the schema, as live's). */
const TRACE_FLAGS = configFlags('--mapping', '--model', '--fps');

/** Writes JSON lines to --out or stdout, in 64 KiB writes. */
async function writeLines(outFile: string | undefined, each: (line: (s: string) => void) => Promise<number>): Promise<number> {
  const out = outFile ? createWriteStream(outFile) : process.stdout;
  let buf = '';
  const frames = await each((s) => {
    buf += s + '\n';
    if (buf.length > 1 << 16) {
      out.write(buf);
      buf = '';
    }
  });
  out.write(buf);
  if (outFile) {
    await new Promise<void>((resolve, reject) => (out as NodeJS.WritableStream).end(() => resolve()).on?.('error', reject));
    log.info(`${frames} frames → ${outFile}`);
  }
  return frames;
}

/**
 * `trace --session`: the session through the pipeline as render re-renders it, with the controls each frame saw
 * (scene, overrides, blackout, freeze) beside the mapper's resolved state. At the recorded fps and model the log
 * says how far the params are from those live showed.
 */
async function traceSession(flags: TraceFlags, cmd: Command): Promise<void> {
  if (flags.format !== 'jsonl') throw new UserError(`--format ${flags.format}: expected jsonl`);
  const { readSession } = await import('../session/reader.js');
  const { openSessionReplay } = await import('../pipeline/replay.js');
  const { resolveModelDir } = await import('../generator/defaultModel.js');
  const { readManifest } = await import('../generator/graph/manifest.js');
  const { PACKAGE_ROOT } = await import('../paths.js');
  const session = readSession(flags.session!);
  const fps = flags.fps ?? session.header.fps;
  let model;
  if (flags.model) {
    const dir = resolveModelDir(flags.model, PACKAGE_ROOT);
    model = { dir, manifest: await readManifest(dir) };
  }
  const replay = await openSessionReplay(session, { fps, ...(model ? { model } : {}) });
  const same = fps === session.header.fps && replay.model.manifest.origin.sha256 === session.header.model.id;
  let maxDiff = 0;
  let compared = 0;
  try {
    await writeLines(flags.out, async (line) =>
      replay.run.run((f) => {
        const c = replay.control.state();
        line(traceLine({ ...traceRecord(f, replay.mapper), controls: { scene: c.scene, overrides: Object.fromEntries(c.targets), blackout: c.blackout, freeze: c.freeze } } as ReturnType<typeof traceRecord>));
        if (same && f.frame < session.frames.length) {
          const r = session.params(f.frame).params;
          for (let i = 0; i < r.ws.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.ws[i]! - f.params.ws[i]!));
          compared += 1;
        }
      }),
    );
  } finally {
    await replay.close();
  }
  if (same) log.info(`session ${session.dir}: ${compared} of ${session.frames.length} recorded frames compared, W+ within ${maxDiff.toExponential(2)} of what live showed`);
}

export function register(program: Command): void {
  const trace = program
    .command('trace')
    .description('run analysis and a mapping over an audio file at the frame rate (no generator) and write the resolved targets per frame')
    .argument('[audio]', "audio file (WAV; mp3/flac/ogg through ffmpeg) or 'demo' for the demo track (not with --session)");
  // Unset, each takes the --config file's value, then the schema's default, as live does.
  addConfigFlags(trace, TRACE_FLAGS)
    .option('--format <format>', 'output format: jsonl', 'jsonl')
    .option('-o, --out <file>', 'write here instead of stdout')
    .option('--session <dir>', 'trace a recorded session (live --record) from its inputs, controls included, at the recorded fps and model unless --fps/--model say otherwise')
    .action(async (audio: string | undefined, flags: TraceFlags, cmd: Command) => {
      if (flags.session && audio !== undefined) throw new UserError(`trace: give either an audio file or --session ${flags.session}, not both`);
      if (flags.session) return traceSession(flags, cmd);
      if (audio === undefined) throw new UserError("trace: which audio? give a file, 'demo', or --session <dir>");
      if (flags.format !== 'jsonl') throw new UserError(`--format ${flags.format}: expected jsonl`);
      if (audio !== 'demo' && !existsSync(audio)) throw new UserError(`${audio}: no such audio file (or use 'demo' for the demo track)`);
      const cfg = traceConfig((cmd.optsWithGlobals() as GlobalOptions).config, audio, { mapping: flags.mapping, model: flags.model, fps: flags.fps });
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
