import { registerLatentApi } from '../output/latentApi.js';
import type { Command } from 'commander';
import { resolveConfig, type Config } from '../config.js';
import { Engine } from '../pipeline/engine.js';
import { buildAnalysis, buildMapping, resolveModel } from '../pipeline/build.js';
import { EngineServer } from '../output/server.js';
import { openAudioSource } from '../audio/open.js';
import { pacedClock } from '../audio/clock.js';
import { createControl, createOscOut } from '../control/index.js';
import { registerControlApi } from '../control/api.js';
import { writeLearnedRoute } from '../mapping/learnFile.js';
import { isLoopback, tokenMatches } from '../control/api.js';
import { idleWithoutViewers } from '../output/demand.js';
import { createGenerator } from '../generator/runtime/generator.js';
import { createOutputs } from '../output/outputs.js';
import { openWindows } from '../output/electron/launcher.js';
import { logger } from '../log.js';
import { UserError } from '../errors.js';
import type { GlobalOptions } from './options.js';
import { CONFIG_FLAGS, addConfigFlags, givenConfig } from './configFlags.js';
import type { Features } from '../contracts/features.js';
import type { OutputStage } from '../contracts/stages.js';
import { resolve } from 'node:path';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tap } from '../rx.js';
import { LiveRecorder } from '../session/recorder.js';

const log = logger('live');

/** The config keys `live` takes as flags (configFlags.ts reads their ranges, help and defaults from the schema). */
const LIVE_FLAGS = CONFIG_FLAGS;
/** Beyond 64× a file's blocks outrun any analysis; below 1/64 a show would barely move. */
const pace = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 1 / 64 || n > 64) throw new UserError(`--pace ${v}: expected a number from 1/64 to 64 (1 = real time)`);
  return n;
};

export function register(program: Command): void {
  const live = program.command('live').description('run the engine: audio → analysis → mapping → generator → output page, monitor and control');
  addConfigFlags(live, LIVE_FLAGS)
    .option('--record <dir>', 'record the show into this session folder from the start (docs/session.md); OSC /latentvj/record and ws {"type":"record"} toggle it')
    .option('--pace <factor>', 'a file or the demo track only: play it at this multiple of real time (1 = real time; e.g. 4 records a 30 s session in 7.5 s)', pace)
    .action(async (flags: { record?: string; pace?: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const cfg = resolveConfig(g.config, givenConfig(cmd, LIVE_FLAGS));
      // Refused before anything starts: a take is never written over another.
      if (flags.record) refuseUsedFolder(flags.record);
      await runLive(cfg, { ...(flags.record ? { record: flags.record } : {}), ...(flags.pace !== undefined ? { pace: flags.pace } : {}) });
    });
}

function refuseUsedFolder(dir: string): void {
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new UserError(`--record ${dir}: ${statSync(dir).isDirectory() ? 'the folder is not empty' : 'a file is there'}; choose a new folder for the session`);
  }
}

export interface LiveHandle {
  engine: Engine;
  server: EngineServer;
  url: string;
  stop(): Promise<void>;
}

/** Builds every stage from the config and starts the engine; resolves once it is serving. */
export async function startLive(cfg: Config, opts: { windows?: boolean; record?: string; pace?: number } = {}): Promise<LiveHandle> {
  const model = await resolveModel(cfg);
  const modelDir = model.dir;

  const server = new EngineServer({
    host: cfg.output.host,
    port: cfg.output.port,
    access: { allowedHosts: cfg.output.allowedHosts, allowedOrigins: cfg.output.allowedOrigins },
  });
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const generator = await createGenerator({ ...cfg.generator, modelDir });
    closers.push(() => generator.close());
    const manifest = generator.info.manifest;
    log.info(`model: ${modelDir} (${manifest.width}×${manifest.height}) on ${generator.info.ep}`);

    // Every successful reload is a mapping version of the session, starting on the next frame.
    let recorder: LiveRecorder | null = null;
    let nextFrameT = (): number => 0;
    const mapping = await buildMapping(cfg, {
      watch: true,
      model,
      onReload: (r) => {
        if (r.ok && r.text !== undefined) recorder?.mapping(nextFrameT(), r.text, mapping.mappingFile);
      },
    });
    closers.push(() => mapping.close());
    const { mapper, mappingFile } = mapping;
    log.info(`mapping: ${mappingFile}`);

    const control = await createControl(cfg.control, {
      targets: () => Object.keys(mapper.targets()),
      scenes: () => mapper.scenes(),
      mapping: () => ({ version: mapper.version, sources: mapper.sources() }),
      record: (on) => recorder!.toggle(on),
      recording: () => ({ on: recorder?.recording ?? false, folder: recorder?.folder ?? null }),
    });
    closers.push(() => control.close());

    recorder = new LiveRecorder({
      dir: resolve(opts.record ?? `latentvj-session-${new Date().toISOString().replace(/[:.]/g, '-')}`),
      fps: cfg.fps,
      modelDir,
      manifest,
      config: cfg,
      mapping: () => ({ file: mappingFile, text: mapper.text }),
    });
    const rec = recorder;
    closers.push(() => rec.close());
    if (opts.record) {
      refuseUsedFolder(opts.record);
      const r = rec.toggle(true);
      if (!r.ok) throw new UserError(`--record ${opts.record}: ${r.error}`);
    }
    const clock = opts.pace !== undefined && opts.pace !== 1 ? pacedClock(opts.pace) : undefined;
    const opened = await openAudioSource(cfg.audio, { realtime: true, ...(clock ? { clock } : {}) });
    if (clock && opened.info.kind === 'device') throw new UserError(`--pace ${opts.pace}: only a file or the demo track can be played faster or slower; a line-in delivers its audio at its own pace`);
    // The recorder hears the blocks the analysis hears (after channel choice, mix and gain), in the same order.
    const audio = { info: opened.info, blocks$: opened.blocks$.pipe(tap((b) => rec.audio(b))) };
    // External tempo sources (MIDI clock, OSC, tap) lead over the analysed tempo by the control's priority;
    // beat and downbeat events follow whichever source leads.
    const analysis = buildAnalysis(cfg, control);

    const outputs = createOutputs(server, { stateHz: cfg.output.stateHz, previewFps: cfg.output.previewFps });
    const stages: OutputStage[] = [outputs];
    if (cfg.control.oscOut.enabled) {
      const oscOut = await createOscOut(cfg.control.oscOut);
      stages.push(oscOut);
      log.info(`OSC out: features to ${cfg.control.oscOut.host}:${cfg.control.oscOut.port} at ${cfg.control.oscOut.rateHz} Hz`);
    }

    // Inference runs while a display or preview is connected (output.idleWithoutDisplay).
    const demand = idleWithoutViewers(
      generator,
      () => {
        const o = outputs.stats();
        return o.clients + o.previews > 0;
      },
      cfg.output.idleWithoutDisplay,
    );
    const engine = new Engine({ audio, analysis, control, mapper, generator: demand.stage, outputs: stages }, { fps: cfg.fps, ...(clock ? { clock } : {}) });
    // Controls take effect on the next frame: stamped with its audio time, a recording of them replays identically.
    control.setAudioClock(() => engine.nextFrameT);
    nextFrameT = () => engine.nextFrameT;
    control.inputs$.subscribe(({ t, input }) => rec.control(t, input));
    engine.params$.subscribe((p) => rec.frame(p, 1 / cfg.fps));
    let latest: Features | null = null;
    engine.features$.subscribe((f) => (latest = f));
    const targets = (): Record<string, number> => ({ ...mapper.targets(), ...Object.fromEntries(control.state().targets) });
    outputs.setProviders({ engine: () => engine.stats, generator: () => generator.stats(), targets });
    const api = registerControlApi(server, control, {
      host: cfg.output.host,
      getState: () => ({
        targets: targets(),
        features: latest,
        tempo: latest?.tempo ?? null,
        fps: generator.stats().fps,
        engine: engine.stats,
        generator: generator.stats(),
        mapping: mapper.status(),
      }),
      onLearned: (learned) => {
        const r = writeLearnedRoute(mappingFile, learned);
        return r.file ?? mappingFile;
      },
    });
    closers.push(() => api.close());
    // With the /latents page, whose saved banks go beside the mapping, where `file: <name>.json` finds them.
    const latentApi = registerLatentApi(server, manifest, { modelDir, banksDir: resolve(mappingFile, '..'), mayWrite: (remote, given) => api.token === null || (remote !== undefined && isLoopback(remote)) || tokenMatches(api.token, given) });
    closers.push(() => latentApi.close());
    engine.params$.subscribe((p) => latentApi.observe(p));
    // The monitor's panic buttons (/state) follow the control API's rule: on a LAN address they need the token.
    outputs.setProviders({
      mayControl: (remote, given) => api.token === null || (remote !== undefined && isLoopback(remote)) || tokenMatches(api.token, given),
    });

    const address = await server.listen();
    const base = server.url('').replace(/\/$/, '');
    log.info(`serving on ${base} (output ${base}/output, monitor ${base}/monitor)`);
    if (api.token) log.info(`monitor with control (panic buttons, learn) from the LAN: ${base}/monitor?token=${api.token}`);

    engine.start();
    const windows =
      opts.windows === false
        ? null
        : openWindows({
            baseUrl: base,
            window: cfg.output.window,
            display: cfg.output.display,
            fit: cfg.output.fit,
            monitorWindow: cfg.output.monitorWindow,
          });
    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        await engine.stop();
        await windows?.close();
        for (const c of closers.reverse()) {
          try {
            await c();
          } catch (e) {
            log.warn(`while stopping: ${(e as Error).message}`);
          }
        }
        await server.close();
      })());
    void address;
    return { engine, server, url: base, stop };
  } catch (e) {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    await server.close().catch(() => undefined);
    throw e;
  }
}

async function runLive(cfg: Config, opts: { record?: string; pace?: number }): Promise<void> {
  const live = await startLive(cfg, opts);
  await new Promise<void>((resolve) => {
    const onSignal = (sig: string) => {
      log.info(`${sig}: stopping`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void live.stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void live.engine.done.then(() => live.stop()).then(resolve);
  });
  log.info('stopped');
  // An audio or analysis failure ends the show (e.g. a file at a sample rate the analysis cannot take): say why in
  // one line and exit non-zero, not 0 as if the set had ended.
  if (live.engine.fatalError) throw new UserError(`the engine stopped: ${live.engine.fatalError}`);
}
