/**
 * `latentvj render <audio>`: a music video from a track, every frame rendered on a virtual clock, the audio
 * muxed in, resumable after Ctrl-C. Wiring only: the work is in src/render/.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EPS, epFlag, modelFlag, numFlag, type GlobalOptions } from './options.js';
import { resolveConfig } from '../config.js';
import { UserError } from '../errors.js';
import type { GeneratorConfig } from '../generator/config.js';
import { readManifest } from '../generator/graph/manifest.js';
import { logger } from '../log.js';
import { containerFor, parseCodec, parseCrf } from '../render/codecs.js';
import { requireFfmpeg } from '../render/ffmpegPath.js';
import { segmentFramesFor } from '../render/segments.js';
import { frameWindow, middleFrameSource, writeDemoWav, type FrameSource } from '../render/frameSource.js';
import { traceConfig } from './trace.js';
import type { Features } from '../contracts/features.js';
import { readSession, replayFrameSource, sessionFrameSource } from '../render/sessionSource.js';
import { OfflineGenerator } from '../render/offlineGenerator.js';
import { fileIdentity, partialDirFor } from '../render/partial.js';
import { render, RenderInterrupted, summaryLine } from '../render/render.js';
import { parseFit, parseSize } from '../render/size.js';
import { withOfflineEars } from '../render/offlineEars.js';
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
  session?: string;
  recordedParams?: boolean;
  resume?: boolean;
  force?: boolean;
}

export function register(program: Command): void {
  const renderCmd = program
    .command('render')
    .description('render a track to a video file: every frame, audio muxed in, resumable (Ctrl-C, then --resume)')
    .argument('[audio]', "audio file (WAV; mp3/flac/ogg through ffmpeg) or 'demo' for the demo track (not with --session)")
    .option('-m, --mapping <file>', 'mapping file or preset name', 'default')
    .option('--model <dir>', "model directory, or 'default' (built if missing)", 'default')
    .option('--size <WxH>', "output size, e.g. 1280x720, 1080x1920, 1024x1024, 2048x1024 (default: the model's)")
    .option('--fit <mode>', "how the model's picture fills --size: fit (letterbox), fill (crop), stretch", 'fit')
    .option('--fps <n>', 'frames per second', '30')
    .option('-o, --out <file>', 'video file to write (default: <audio name>.mp4 here; .mov for prores/png)')
    .option('--codec <name>', 'h264, h265, prores (422 HQ) or png (lossless PNG-in-MOV)', 'h264')
    .option('--crf <n>', 'quality for h264/h265 (lower is better; default 16 / 22)')
    .option('--ep <provider>', `execution provider: ${EPS.join(', ')}`, 'auto')
    .option('--batch <N>', 'most frames per generator call (frames whose inputs differ only in W+ share a call)', '4')
    .option('--start <s>', 'start time in the audio (s)', '0')
    .option('--duration <s>', 'length to render (s; default: to the end)')
    .option('--segment <s>', 'seconds per resumable segment', '10')
    .option('--causal', 'render what live would have shown: no look-ahead (onsets with their detection latency, sections from causal novelty)')
    .option('--session <dir>', 'render a recorded session (live --record) again from its inputs: its audio, controls and mapping versions through the pipeline, at any --fps, --size and --model (default: the recorded fps and model)')
    .option('--recorded-params', "with --session: render the params live showed instead (a check; the recorded fps and model only)")
    .option('--resume', 'continue an interrupted render of the same command from <out>.partial/')
    .option('--force', 'overwrite an existing output (and discard a partial render)');
  addQueueOptions(renderCmd)
    .action(async (audio: string | undefined, flags: RenderFlags, cmd: Command) => {
      const cfg = resolveConfig((cmd.optsWithGlobals() as GlobalOptions).config, {});
      // Every flag is checked before anything is written or computed.
      const codec = parseCodec(flags.codec);
      const defaultExt = codec.containers[0]!;
      if (flags.session && audio !== undefined) throw new UserError(`render: give either an audio file or --session ${flags.session}, not both`);
      if (!flags.session && audio === undefined) throw new UserError("render: which audio? give a file, 'demo', or --session <dir>");
      if (flags.session && (flags.start !== '0' || flags.duration !== undefined)) {
        throw new UserError('--session: renders the whole session; --start and --duration are not taken with it');
      }
      if (flags.recordedParams && (!flags.session || cmd.getOptionValueSource('fps') === 'cli')) {
        throw new UserError('--recorded-params: renders the params a --session recorded, at its recorded fps (no --fps)');
      }
      const session = flags.session ? readSession(flags.session) : null;
      const name = flags.session ? basename(resolve(flags.session)) : audio === 'demo' ? 'demo' : basename(audio!, extname(audio!));
      const out = resolve(flags.out ?? `${name}${defaultExt}`);
      const container = containerFor(out, codec);
      const crf = parseCrf(flags.crf, codec);
      const fit = parseFit(flags.fit);
      const fps = numFlag('--fps', flags.fps, 1, 240);
      const batch = numFlag('--batch', flags.batch, 1, 64, true);
      const startS = numFlag('--start', flags.start, 0, 1e6);
      const durationS = flags.duration !== undefined ? numFlag('--duration', flags.duration, 1 / fps, 1e6) : null;
      const segmentS = numFlag('--segment', flags.segment, 1 / fps, 3600);
      const ep = epFlag(flags.ep);
      if (audio !== undefined && audio !== 'demo') {
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

      // A session renders with the model it recorded unless another is named.
      const sessionModel = session && cmd.getOptionValueSource('model') !== 'cli';
      const modelDir = sessionModel ? session.header.model.dir : await modelFlag(flags.model);
      if (sessionModel && !existsSync(resolve(modelDir, 'manifest.json'))) throw new UserError(`--session ${flags.session}: the recorded model ${modelDir} is not here; pass --model <dir>`);
      const manifest = await readManifest(modelDir);
      const size = flags.size ? parseSize(flags.size, codec.evenSides) : { width: manifest.width, height: manifest.height };
      if (codec.evenSides && (size.width % 2 || size.height % 2)) {
        throw new UserError(`--size: the model's ${size.width}×${size.height} has an odd side, which ${codec.name} cannot store; pass an even --size`);
      }

      const segmentFrames = (f: number, frameCount: number): number => segmentFramesFor(frameCount, segmentS * f);
      const common = { model: `${manifest.origin.sha256}:${fileIdentity(resolve(modelDir, manifest.files.generator))}`, size, fit, codec: codec.name, crf, batch };
      let source: FrameSource;
      let audioFile: string;
      let settings: Record<string, unknown>;
      let closeLatents: () => Promise<void> = async () => undefined;
      let analysisMs = 0;
      if (session && flags.recordedParams) {
        source = sessionFrameSource(session, manifest);
        audioFile = resolve(session.dir, session.header.audio.file);
        settings = { ...common, session: `${fileIdentity(resolve(session.dir, 'frames.jsonl'))}`, recordedParams: true, fps: source.fps, segmentFrames: segmentFrames(source.fps, source.frameCount) };
        log.info(`session ${session.dir}: ${session.frames.length} recorded frames at ${source.fps} fps${session.complete ? '' : ' (cut short: rendering up to where it ends)'}`);
      } else if (session) {
        const { openSessionReplay } = await import('../pipeline/replay.js');
        const replayFps = cmd.getOptionValueSource('fps') === 'cli' ? fps : session.header.fps;
        const replay = await openSessionReplay(session, { fps: replayFps, model: { dir: modelDir, manifest } });
        source = replayFrameSource(replay);
        audioFile = replay.audio.file!;
        settings = {
          ...common,
          session: `${fileIdentity(resolve(session.dir, 'audio.wav'))}:${fileIdentity(resolve(session.dir, 'controls.jsonl'))}`,
          fps: replayFps,
          segmentFrames: segmentFrames(replayFps, source.frameCount),
        };
        log.info(
          `session ${session.dir}: ${replay.audio.durationS.toFixed(2)} s, ${session.controls.length} control inputs, ${session.mappings.length} mapping version(s), re-rendered at ${replayFps} fps${session.complete ? '' : ' (cut short: rendering up to where it ends)'}`,
        );
      } else {
        // The one pipeline on the virtual clock: the configured channels, mix, gain and block size, and the same
        // model and mapping wiring as live and trace. The whole track is heard first, so that the offline ears
        // can look ahead; frames are then stepped through the pipeline's Middle.
        const rcfg = traceConfig((cmd.optsWithGlobals() as GlobalOptions).config, audio!, { mapping: flags.mapping, model: flags.model, fps });
        const { buildMapping, openOffline } = await import('../pipeline/index.js');
        const parts = await buildMapping(rcfg, { watch: false, model: { dir: modelDir, manifest } });
        closeLatents = () => parts.close();
        const collected: Features[] = [];
        const t0 = performance.now();
        const heard = await openOffline(rcfg, { mapping: false, onFeatures: (f) => collected.push(f) });
        try {
          await heard.run.analyse();
        } finally {
          await heard.close();
        }
        analysisMs = performance.now() - t0;
        let features: Features[] = collected;
        const track = { durationS: heard.audio.durationS };
        const window = frameWindow(fps, track.durationS, startS, durationS);
        if (!flags.causal) {
          const r = withOfflineEars(features, track);
          features = r.features;
          log.info(`sections: ${r.segmentation.sections.map((x) => `${String.fromCharCode(65 + (x.label % 26))}@${x.startS.toFixed(1)}s`).join(' ')}`);
        }
        let file = heard.audio.file;
        if (file === null) {
          const demoDir = mkdtempSync(resolve(tmpdir(), 'latentvj-render-'));
          process.once('exit', () => rmSync(demoDir, { recursive: true, force: true }));
          file = await writeDemoWav(demoDir, heard.audio.sampleRate);
        }
        source = middleFrameSource(features, parts.mapper, window);
        audioFile = file;
        if (queued) {
          const { renderOnQueue } = await import('../queue/renderCommand.js');
          try {
            await renderOnQueue(queued, { input: { kind: 'track', mappingFile: parts.mappingFile, features }, modelDir, manifest, source, window, output: size, fit, codec, crf, batch, segmentFrames: segmentFrames(fps, window.frameCount), ep, ffmpeg, container, out, audio: { file: audioFile } });
          } finally {
            await source.close();
            await closeLatents();
          }
          return;
        }
        settings = {
          ...common,
          audio: audio === 'demo' ? 'demo' : fileIdentity(audio!),
          mapping: fileIdentity(parts.mappingFile),
          analysis: rcfg.analysis,
          hearing: { channels: rcfg.audio.channels, mix: rcfg.audio.mix, gainDb: rcfg.audio.gainDb, blockSize: rcfg.audio.blockSize },
          causal: !!flags.causal,
          fps,
          window,
          segmentFrames: segmentFrames(fps, window.frameCount),
        };
      }
      if (queued && session) {
        // A recorded session on the queue: the session's files travel to the workers, which replay it themselves.
        const { renderOnQueue } = await import('../queue/renderCommand.js');
        try {
          await renderOnQueue(queued, {
            input: { kind: 'session', session, recordedParams: !!flags.recordedParams },
            modelDir,
            manifest,
            source,
            window: { fps: source.fps, firstFrame: 0, frameCount: source.frameCount },
            output: size,
            fit,
            codec,
            crf,
            batch,
            segmentFrames: settings['segmentFrames'] as number,
            ep,
            ffmpeg,
            container,
            out,
            audio: { file: audioFile },
          });
        } finally {
          await source.close();
          await closeLatents();
        }
        return;
      }
      const generator = await OfflineGenerator.open({ modelDir, ep: ep as GeneratorConfig['ep'], batch });
      settings['ep'] = generator.ep;
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
          segmentFrames: settings['segmentFrames'] as number,
          audio: { file: audioFile },
          settings,
          resume: !!flags.resume,
          progress: { isTTY: !!process.stderr.isTTY, columns: process.stderr.columns, write: (s) => process.stderr.write(s) },
          stop,
        });
        log.info(`${summaryLine(out, stats, source.fps)}; analysis ${(analysisMs / 1000).toFixed(1)} s`);
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
        await closeLatents();
        await generator.close();
      }
    });
}
