import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Manifest } from '../contracts/model.js';
import type { MapperInput, MapperStage } from '../contracts/stages.js';
import type { FrameParams } from '../contracts/frameParams.js';
import { BankError, loadBank } from '../visual/banks.js';
import { cachingProvider, type LatentProvider } from '../visual/latents.js';
import { CaptureStore } from '../visual/captures.js';
import { describeError, UserError } from '../errors.js';
import { logger } from '../log.js';
import { MusicalClock } from './clock.js';
import { CompiledMapping, type ResolvedState } from './compile.js';
import { createFrameContext, EMPTY_EVENTS } from './frameContext.js';
import { locateMappingError, MappingError, parseMapping, resolveMappingPath, type LoadedMapping } from './load.js';
import { readUserFile, readUserFileAsync } from '../schemaFile.js';
import type { ModelDirections } from '../contracts/directions.js';
import type { MappingSpec } from './schema.js';
import { findTarget } from './targets.js';
import { MappingParser } from './offThread.js';
import { cuesOf, MappingStatusTracker, type MappingStatus } from './status.js';

export { resolveMappingPath, loadMapping, parseMapping } from './load.js';
export type { ResolvedState } from './compile.js';
export type { MappingStatus, MappingErrorInfo } from './status.js';
export type { LatentProvider } from '../visual/latents.js';

const log = logger('mapping');

export interface MapperOptions {
  /** A mapping file, or the name of a preset in mappings/. */
  file: string;
  manifest: Manifest;
  latents: LatentProvider;
  /** Watch the file and hot-reload on save (live mode). Default true. */
  watch?: boolean;
  /** Quiet time after the last change event before reloading (editors write in bursts). Default 40 ms. */
  debounceMs?: number;
  /** Called after every reload attempt (tests, the monitor). */
  onReload?(result: { ok: boolean; error?: string; version: number; text?: string }): void;
  /** The mapping's text, instead of reading `file` (a recorded version); `file` still places its relative paths. */
  text?: string;
  /** A reload whose parse takes longer than this is abandoned (the old mapping keeps running). Default 10 s. */
  reloadParseTimeoutMs?: number;
}

export interface Mapper extends MapperStage {
  readonly file: string;
  /** Increments on every successful (re)load. */
  readonly version: number;
  /** The text of the mapping now running. */
  readonly text: string;
  /**
   * Compiles another version of the mapping (a recorded one) off to the side; the returned function swaps it in
   * between two frames, as a hot reload does (the musical clock carries on). Errors as for loading.
   */
  prepare(text: string): Promise<() => void>;
  /** Re-read the file now; false (and the old mapping keeps running) when it is broken. */
  reload(): Promise<boolean>;
  targets(): Record<string, number>;
  /** The named sources the routes of the mapping now running read (`midi:cc:1:7`, `rms`, …). */
  sources(): string[];
  /** The scenes (section set names, in order) of the mapping now running. */
  scenes(): readonly string[];
  /** The last frame's resolved state by name (latent weights per bank, noise, bends, …), for `trace`. */
  resolved(): ResolvedState;
  /** File, version, load time, scenes, cues and the error of the last refused save (the monitor's banner). */
  status(): MappingStatus;
  close(): Promise<void>;
}

/** Load, validate and compile a mapping file against a model; errors are `file:line:col: key: message` UserErrors. */
export async function compileMappingFile(
  file: string,
  manifest: Manifest,
  latents: LatentProvider,
  text?: string,
  captures?: CaptureStore,
): Promise<CompiledMapping> {
  return compileLoaded(parseMapping(text ?? readUserFile(file), file), manifest, latents, captures);
}

/** Compile an already parsed and validated mapping (parsed off the main thread on reload). */
async function compileLoaded(loaded: LoadedMapping, manifest: Manifest, latents: LatentProvider, captures?: CaptureStore): Promise<CompiledMapping> {
  const { file, spec } = loaded;
  if (latents.wDim !== manifest.wDim) {
    throw new UserError(`latent provider has wDim ${latents.wDim}, the model's manifest says ${manifest.wDim}`);
  }
  const warnings: string[] = [];
  try {
    const banks = new Map<string, Float32Array[]>();
    for (const [name, bs] of Object.entries(spec.banks)) {
      try {
        const vectors = await loadBank(bs, dirname(file), latents);
        if (bs.capture !== undefined) captures?.adopt(name, vectors);
        banks.set(name, vectors);
      } catch (e) {
        if (e instanceof BankError) throw new MappingError(['banks', name, e.key], e.message);
        throw e;
      }
    }
    const compiled = new CompiledMapping(spec, {
      manifest,
      banks,
      wAvg: latents.wAvg,
      file,
      warn: (msg) => warnings.push(msg),
      directions: await directionsFor(spec, latents),
      classMeans: await classMeansFor(spec, latents),
    });
    for (const w of warnings) log.warn(`${file}: ${w}`);
    return compiled;
  } catch (e) {
    if (e instanceof MappingError) throw locateMappingError(loaded, e);
    throw e;
  }
}

/** The model's directions when a route moves `direction.<k>`; a model without them is an error at that route. */
async function directionsFor(spec: MappingSpec, latents: LatentProvider): Promise<ModelDirections | null> {
  const at = spec.routes.findIndex((r) => findTarget(r.target)?.def.name === 'direction.<k>');
  if (at < 0) return null;
  if (!latents.directions) throw new MappingError(['routes', at, 'target'], `'${spec.routes[at]!.target}' needs the model's directions, which this latent provider cannot read`);
  try {
    return await latents.directions();
  } catch (e) {
    if (e instanceof UserError) throw new MappingError(['routes', at, 'target'], `'${spec.routes[at]!.target}': ${e.message}`);
    throw e;
  }
}

/**
 * Mean W per class of a conditional model (so `class` also answers an OSC or ws override without a route); a route
 * to `class` on an unconditional model is an error at that route.
 */
async function classMeansFor(spec: MappingSpec, latents: LatentProvider): Promise<Float32Array[] | null> {
  const conditional = latents.classMeans !== undefined && (latents.cDim ?? 0) > 0;
  const at = spec.routes.findIndex((r) => r.target === 'class');
  if (at >= 0 && !conditional) throw new MappingError(['routes', at, 'target'], "'class' steers a class-conditional model; this model has no classes");
  return conditional ? latents.classMeans!() : null;
}

/**
 * The mapper stage: a compiled mapping plus the musical clock, with hot reload. A saved edit is compiled off to
 * the side and swapped in between two frames; a broken edit is logged with its file:line and the previous
 * mapping keeps running. The clock survives reloads, so loops stay on the bar.
 */
export async function createMapper(opts: MapperOptions): Promise<Mapper> {
  const file = resolveMappingPath(opts.file);
  const provider = cachingProvider(opts.latents);
  // Captured latents persist beside the mapping file (checked once a second, written when they changed).
  const captures = new CaptureStore(file);
  let compiled = await compileMappingFile(file, opts.manifest, provider, opts.text, captures);
  captures.commit();
  const captureTimer = setInterval(() => void captures.flush(), 1000);
  captureTimer.unref();
  let lastText = opts.text ?? readUserFile(file);
  let runningText = lastText;
  /** Whether lastText is the mapping now running (false after a refused save of it). */
  let lastTextRuns = true;
  let version = 1;
  const sourcesOf = (c: CompiledMapping): string[] =>
    c.spec.routes.flatMap((r) => (Array.isArray(r.source) ? r.source : [r.source])).filter((x): x is string => typeof x === 'string');
  const status = new MappingStatusTracker(file, Date.now(), () => ({
    scenes: [...compiled.sceneNames()],
    cues: cuesOf(sourcesOf(compiled)),
    cueQuantise: compiled.spec.sections?.cueQuantise ?? 'bar',
  }));
  const clock = new MusicalClock(compiled.spec.clock);
  const ctx = createFrameContext();
  const zeroOnsets = { all: 0, kick: 0, snare: 0, hats: 0 };
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let reloading: Promise<boolean> | null = null;
  let closed = false;
  const parser = new MappingParser(opts.reloadParseTimeoutMs);
  if (opts.watch !== false) parser.warm();

  const reloadNow = async (): Promise<boolean> => {
    let text: string;
    try {
      text = await readUserFileAsync(file);
    } catch (e) {
      log.error(`keeping the previous mapping: ${describeError(e)}`);
      status.refused(describeError(e), Date.now());
      opts.onReload?.({ ok: false, error: describeError(e), version });
      return false;
    }
    if (text === lastText) {
      if (lastTextRuns) status.unchanged();
      return true;
    }
    try {
      const loaded = await parser.parse(text, file);
      if (closed) return false;
      let next: CompiledMapping;
      try {
        next = await compileLoaded(loaded, opts.manifest, provider, captures);
      } catch (e) {
        captures.discard();
        throw e;
      }
      if (closed) {
        captures.discard();
        return false;
      }
      captures.commit();
      compiled = next;
      clock.setOptions(next.spec.clock);
      lastText = text;
      lastTextRuns = true;
      runningText = text;
      version += 1;
      status.loaded(version, Date.now());
      log.info(`${file}: reloaded (version ${version})`);
      opts.onReload?.({ ok: true, version, text });
      return true;
    } catch (e) {
      lastText = text; // do not repeat the same error until the file changes again
      lastTextRuns = false;
      status.refused(describeError(e), Date.now());
      log.error(`keeping the previous mapping: ${describeError(e)}`);
      opts.onReload?.({ ok: false, error: describeError(e), version });
      return false;
    }
  };
  const reload = (): Promise<boolean> => {
    // One reload at a time; a change during a reload triggers another after it.
    const run = (reloading ?? Promise.resolve(true)).then(reloadNow);
    reloading = run.finally(() => {
      if (reloading === run) reloading = null;
    });
    return run;
  };

  if (opts.watch !== false) {
    // Watch the folder, not the file: editors often save by writing a new file and renaming it over the old one.
    const name = basename(file);
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void reload();
        }, opts.debounceMs ?? 40);
      });
      watcher.on('error', (e) => log.warn(`${file}: file watcher stopped (${describeError(e)}); hot reload is off`));
    } catch (e) {
      log.warn(`${file}: cannot watch for changes (${describeError(e)}); hot reload is off`);
    }
  }

  return {
    file,
    get version() {
      return version;
    },
    get text() {
      return runningText;
    },
    frame(input: MapperInput): FrameParams {
      const held = input.features;
      ctx.frame = input.frame;
      ctx.t = input.t;
      ctx.dt = input.dt > 0 && Number.isFinite(input.dt) ? input.dt : 0;
      ctx.features = held ? held.latest : null;
      ctx.onsetMax = held ? held.onsetMax : zeroOnsets;
      ctx.events = held ? held.events : EMPTY_EVENTS;
      ctx.controls = input.controls;
      clock.update(input.t, ctx.dt, ctx.features);
      ctx.beats = clock.beats;
      ctx.bars = clock.bars;
      ctx.bpm = clock.bpm;
      ctx.tempoLocked = clock.locked;
      ctx.beatTick = clock.beatTick;
      ctx.barTick = clock.barTick;
      return compiled.frame(ctx, clock);
    },
    targets: () => compiled.targets(),
    scenes: () => compiled.sceneNames(),
    sources: () => sourcesOf(compiled),
    status: () => status.get(),
    resolved: () => compiled.resolved(),
    reload,
    async prepare(text: string) {
      const next = await compileLoaded(parseMapping(text, file), opts.manifest, provider);
      return () => {
        compiled = next;
        clock.setOptions(next.spec.clock);
        runningText = text;
        version += 1;
      };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(captureTimer);
      watcher?.close();
      await reloading;
      await captures.flush();
      await parser.close();
    },
  };
}
