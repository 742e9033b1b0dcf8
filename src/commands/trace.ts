import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { from } from 'rxjs';
import { UserError } from '../errors.js';
import { resolveConfig } from '../config.js';
import type { GlobalOptions } from '../cli.js';
import { logger } from '../log.js';
import type { AudioBlock } from '../audio/types.js';
import type { Manifest } from '../generator/types.js';
import { createMapper } from '../mapping/index.js';
import { PACKAGE_ROOT } from '../mapping/load.js';
import { traceLine, traceMapper } from '../mapping/trace.js';
import { createOnnxLatentProvider } from '../visual/latents.js';

const log = logger('trace');

interface TraceFlags {
  mapping: string;
  model?: string;
  fps: string;
  format: string;
  out?: string;
}

/** Audio as mono blocks: a file through the audio stage's decoder, or `demo` for the built-in demo track. */
async function loadAudio(spec: string): Promise<{ sampleRate: number; mono: Float32Array }> {
  let sampleRate: number;
  let channels: Float32Array[];
  if (spec === 'demo') {
    const { renderDemoTrack } = await import('../audio/demo.js');
    ({ sampleRate, channels } = renderDemoTrack());
  } else {
    if (!existsSync(spec)) throw new UserError(`${spec}: no such audio file (or use 'demo' for the demo track)`);
    const { readAudioFile } = await import('../audio/readAudio.js');
    ({ sampleRate, channels } = await readAudioFile(spec));
  }
  const n = channels[0]?.length ?? 0;
  const mono = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) mono[i] = mono[i]! + c[i]! / channels.length;
  return { sampleRate, mono };
}

export function blocksOf(mono: Float32Array, sampleRate: number, blockSize = 512): AudioBlock[] {
  const out: AudioBlock[] = [];
  for (let t0 = 0; t0 < mono.length; t0 += blockSize) out.push({ sampleRate, t0, channels: [mono.slice(t0, Math.min(mono.length, t0 + blockSize))] });
  return out;
}

/** The model's manifest; the default model is built by setup when it is missing. */
export async function loadManifestFor(dirFlag: string | undefined): Promise<{ dir: string; manifest: Manifest }> {
  const { readManifest } = await import('../generator/graph/manifest.js');
  const dir = dirFlag ?? join(PACKAGE_ROOT, 'models', 'default');
  if (!dirFlag && !existsSync(join(dir, 'manifest.json'))) {
    const setup = join(PACKAGE_ROOT, 'dist', 'src', 'setup.js');
    if (!existsSync(setup)) throw new UserError(`${dir}: no default model yet; run \`npm run prepare\` (or pass --model <dir>)`);
    log.info(`building the default model in ${dir} first`);
    const { runSetup } = (await import(pathToFileURL(setup).href)) as { runSetup(o: { root: string }): Promise<void> };
    await runSetup({ root: PACKAGE_ROOT });
  }
  return { dir, manifest: await readManifest(dir) };
}

export function register(program: Command): void {
  program
    .command('trace')
    .description('run analysis and a mapping over an audio file at the frame rate (no generator) and write the resolved targets per frame')
    .argument('<audio>', "audio file (WAV; mp3/flac/ogg through ffmpeg) or 'demo' for the demo track")
    .option('-m, --mapping <file>', 'mapping file or preset name', 'default')
    .option('--model <dir>', 'model directory (manifest.json + mapping.onnx); default: models/default')
    .option('--fps <n>', 'frames per second of the virtual clock', '30')
    .option('--format <format>', 'output format: jsonl', 'jsonl')
    .option('-o, --out <file>', 'write here instead of stdout')
    .action(async (audio: string, flags: TraceFlags, cmd: Command) => {
      // The analysis settings of --config, so trace hears what `live` hears with the same file.
      const cfg = resolveConfig((cmd.optsWithGlobals() as GlobalOptions).config, {});
      const fps = Number(flags.fps);
      if (!Number.isFinite(fps) || fps < 1 || fps > 240) throw new UserError(`--fps ${flags.fps}: expected a number from 1 to 240`);
      if (flags.format !== 'jsonl') throw new UserError(`--format ${flags.format}: expected jsonl`);
      if (audio !== 'demo' && !existsSync(audio)) throw new UserError(`${audio}: no such audio file (or use 'demo' for the demo track)`);
      const { dir, manifest } = await loadManifestFor(flags.model);
      const latents = await createOnnxLatentProvider(dir, manifest);
      const mapper = await createMapper({ file: flags.mapping, manifest, latents, watch: false });
      const { sampleRate, mono } = await loadAudio(audio);
      const { createAnalysis } = await import('../analysis/index.js');
      const features$ = createAnalysis(cfg.analysis)(from(blocksOf(mono, sampleRate)));
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      let buf = '';
      const frames = await traceMapper(features$, mapper, { fps, durationS: mono.length / sampleRate }, (r) => {
        buf += traceLine(r) + '\n';
        if (buf.length > 1 << 16) {
          out.write(buf);
          buf = '';
        }
      });
      out.write(buf);
      await mapper.close();
      await latents.close?.();
      if (flags.out) {
        await new Promise<void>((resolve, reject) => (out as NodeJS.WritableStream).end(() => resolve()).on?.('error', reject));
        log.info(`${frames} frames → ${flags.out}`);
      }
    });
}
