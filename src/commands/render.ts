/**
 * `latentvj render <audio>`: a music video from a track, every frame rendered on a virtual clock, the audio
 * muxed in, resumable after Ctrl-C. Wiring only: the work is in src/render/.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { GlobalOptions } from '../cli.js';
import { resolveConfig } from '../config.js';
import { UserError } from '../errors.js';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import type { GeneratorConfig } from '../generator/config.js';
import { readManifest } from '../generator/graph/manifest.js';
import { logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';
import { containerFor, parseCodec, parseCrf } from '../render/codecs.js';
import { requireFfmpeg } from '../render/ffmpegPath.js';
import { analyseTrack, frameWindow, loadTrack, traceFrameSource } from '../render/frameSource.js';
import { OfflineGenerator } from '../render/offlineGenerator.js';
import { fileIdentity, partialDirFor } from '../render/partial.js';
import { render, RenderInterrupted, summaryLine } from '../render/render.js';
import { parseFit, parseSize } from '../render/size.js';
import { withOfflineSections } from '../render/sections.js';
import { addQueueOptions, parseQueueFlags, type QueueFlags } from '../queue/renderFlags.js';

const log = logger('render');

interface RenderFlags extends QueueFlags {
  mapping: string;
  model: string;
  size?: string;
  fit: string;
  fps: string;
  out?: string;
  codec: string;
  crf?: string;
  ep: string;
  batch: string;
  start: string;
  duration?: string;
  segment: string;
  causal?: boolean;
  resume?: boolean;
  force?: boolean;
}

const EPS = ['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;

function num(flag: string, v: string, lo: number, hi: number, integer = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new UserError(`${flag} ${v}: expected ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
  }
  return n;
}

export function register(program: Command): void {
  const renderCmd = program
    .command('render')
    .description('render a track to a video file: every frame, audio muxed in, resumable (Ctrl-C, then --resume)')
    .argument('<audio>', "audio file (WAV; mp3/flac/ogg through ffmpeg) or 'demo' for the demo track")
    .option('-m, --mapping <file>', 'mapping file or preset name', 'default')
    .option('--model <dir>', "model directory, or 'default' (built if missing)", 'default')
    .option('--size <WxH>', "output size, e.g. 1280x720, 1080x1920, 1024x1024, 2048x1024 (default: the model's)")
    .option('--fit <mode>', "how the model's picture fills --size: fit (letterbox), fill (crop), stretch", 'fit')
    .option('--fps <n>', 'frames per second', '30')
    .option('-o, --out <file>', 'video file to write (default: <audio name>.mp4 here; .mov for prores/png)')
    .option('--codec <name>', 'h264, h265, prores (422 HQ) or png (lossless PNG-in-MOV)', 'h264')
    .option('--crf <n>', 'quality for h264/h265 (lower is better; default 18 / 22)')
    .option('--ep <provider>', `execution provider: ${EPS.join(', ')}`, 'auto')
    .option('--batch <N>', 'most frames per generator call (frames whose inputs differ only in W+ share a call)', '4')
    .option('--start <s>', 'start time in the audio (s)', '0')
    .option('--duration <s>', 'length to render (s; default: to the end)')
    .option('--segment <s>', 'seconds per resumable segment', '10')
    .option('--causal', 'sections as live hears them (causal novelty) instead of the offline structural segmentation')
    .option('--resume', 'continue an interrupted render of the same command from <out>.partial/')
    .option('--force', 'overwrite an existing output (and discard a partial render)');
  addQueueOptions(renderCmd)
    .action(async (audio: string, flags: RenderFlags, cmd: Command) => {
      const cfg = resolveConfig((cmd.optsWithGlobals() as GlobalOptions).config, {});
      // Every flag is checked before anything is written or computed.
      const codec = parseCodec(flags.codec);
      const defaultExt = codec.containers[0]!;
      const out = resolve(flags.out ?? `${audio === 'demo' ? 'demo' : basename(audio, extname(audio))}${defaultExt}`);
      const container = containerFor(out, codec);
      const crf = parseCrf(flags.crf, codec);
      const fit = parseFit(flags.fit);
      const fps = num('--fps', flags.fps, 1, 240);
      const batch = num('--batch', flags.batch, 1, 64, true);
      const startS = num('--start', flags.start, 0, 1e6);
      const durationS = flags.duration !== undefined ? num('--duration', flags.duration, 1 / fps, 1e6) : null;
      const segmentS = num('--segment', flags.segment, 1 / fps, 3600);
      const ep = EPS.find((e) => e === flags.ep);
      if (!ep) throw new UserError(`--ep ${flags.ep}: expected one of ${EPS.join(', ')}`);
      if (audio !== 'demo') {
        if (!existsSync(audio)) throw new UserError(`${audio}: cannot read audio file (no such file; or use 'demo' for the demo track)`);
        if (statSync(audio).isDirectory()) throw new UserError(`${audio}: cannot read audio file (it is a directory)`);
      }
      if (!existsSync(dirname(out))) throw new UserError(`--out ${out}: the folder ${dirname(out)} does not exist`);
      if (existsSync(out) && !flags.force) throw new UserError(`--out ${out}: the file exists; pass --force to overwrite it`);
      const partialDir = partialDirFor(out);
      if (existsSync(partialDir) && !flags.resume && !flags.force) {
        throw new UserError(`--out ${out}: an interrupted render is in ${partialDir}; pass --resume to continue it or --force to start over`);
      }
      const queued = parseQueueFlags(flags, segmentS);
      const ffmpeg = requireFfmpeg();

      const modelDir = resolveModelDir(flags.model, PACKAGE_ROOT);
      if (flags.model === 'default') await ensureDefaultModel(modelDir);
      const manifest = await readManifest(modelDir);
      const size = flags.size ? parseSize(flags.size, codec.evenSides) : { width: manifest.width, height: manifest.height };
      if (codec.evenSides && (size.width % 2 || size.height % 2)) {
        throw new UserError(`--size: the model's ${size.width}×${size.height} has an odd side, which ${codec.name} cannot store; pass an even --size`);
      }

      const demoDir = audio === 'demo' ? mkdtempSync(resolve(tmpdir(), 'latentvj-render-')) : null;
      process.once('exit', () => demoDir && rmSync(demoDir, { recursive: true, force: true }));
      const track = await loadTrack(audio, demoDir ?? '');
      const window = frameWindow(fps, track.durationS, startS, durationS);
      const { createOnnxLatentProvider } = await import('../visual/latents.js');
      const { createMapper, resolveMappingPath } = await import('../mapping/index.js');
      const latents = await createOnnxLatentProvider(modelDir, manifest);
      const mapper = await createMapper({ file: flags.mapping, manifest, latents, watch: false });
      const t0 = performance.now();
      let features = await analyseTrack(track, cfg.analysis);
      const analysisMs = performance.now() - t0;
      if (!flags.causal) features = withOfflineSections(features, track);
      const source = traceFrameSource(features, mapper, window);
      if (queued) {
        const { renderOnQueue } = await import('../queue/renderCommand.js');
        const segmentFrames = Math.max(1, Math.round(segmentS * fps));
        try {
          await renderOnQueue(queued, { modelDir, manifest, mappingFile: resolveMappingPath(flags.mapping), features, source, window, output: size, fit, codec, crf, batch, segmentFrames, ep, ffmpeg, container, out, audio: { file: track.file } });
        } finally {
          await source.close();
          await latents.close?.();
        }
        return;
      }
      const generator = await OfflineGenerator.open({ modelDir, ep: ep as GeneratorConfig['ep'], batch });

      const settings = {
        audio: audio === 'demo' ? 'demo' : fileIdentity(audio),
        mapping: fileIdentity(resolveMappingPath(flags.mapping)),
        model: `${manifest.origin.sha256}:${fileIdentity(resolve(modelDir, manifest.files.generator))}`,
        analysis: cfg.analysis,
        causal: !!flags.causal,
        size,
        fit,
        fps,
        window,
        codec: codec.name,
        crf,
        batch,
        ep: generator.ep,
        segmentFrames: Math.max(1, Math.round(segmentS * fps)),
      };
      const stop = { requested: false };
      const onSigint = (): void => {
        if (stop.requested) return;
        stop.requested = true;
        process.stderr.write('\nlatentvj: stopping after the frames in flight (the finished segments are kept)\n');
      };
      process.on('SIGINT', onSigint);
      try {
        const stats = await render({
          source,
          generator,
          ffmpeg,
          codec,
          crf,
          container,
          output: size,
          fit,
          out,
          partialDir,
          segmentFrames: settings.segmentFrames,
          audio: { file: track.file },
          settings,
          resume: !!flags.resume,
          progress: { isTTY: !!process.stderr.isTTY, columns: process.stderr.columns, write: (s) => process.stderr.write(s) },
          stop,
        });
        log.info(`${summaryLine(out, stats, fps)}; analysis ${(analysisMs / 1000).toFixed(1)} s`);
      } catch (e) {
        if (e instanceof RenderInterrupted) {
          process.stderr.write(`latentvj: ${e.message}\n`);
          process.exitCode = 130;
          return;
        }
        throw e;
      } finally {
        process.off('SIGINT', onSigint);
        await source.close();
        await latents.close?.();
        await generator.close();
      }
    });
}
