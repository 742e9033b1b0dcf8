/**
 * A recorded session (docs/session.md) through the one pipeline on the virtual clock: the recorded audio as
 * heard (no second gain or channel mix), the config live ran with, the first mapping version and each later one
 * swapped in at its audio time, and every control input replayed before the frame whose time it was stamped with,
 * into a fresh control stage. At the recorded fps and model the frames equal those live evaluated; at another fps
 * or with another model the motion is the same. `render --session` and `trace --session` run this.
 *
 * Tempo sources that run on the wall clock (tap, MIDI clock, OSC tempo, Link) replay on audio time instead: close
 * to live, not exact.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveConfig, type Config } from '../config.js';
import { createControl, type Control, type ControlInput } from '../control/index.js';
import { UserError, describeError } from '../errors.js';
import { readManifest } from '../generator/graph/manifest.js';
import { createMapper, type Mapper } from '../mapping/index.js';
import { FILES } from '../session/format.js';
import type { Session } from '../session/reader.js';
import { createOnnxLatentProvider } from '../visual/latents.js';
import { buildAnalysis, type ModelRef } from './build.js';
import { VirtualRun, type OfflineAudio } from './offline.js';

export interface ReplayOptions {
  /** Frames per second (default: the recorded fps). */
  fps?: number;
  /** Another model (default: the recorded model's folder). */
  model?: ModelRef;
  /** Mappings' relative paths beside their copies in the session folder (see sessionMappingPath). */
  mappingsInFolder?: boolean;
}

export interface SessionReplay {
  cfg: Config;
  audio: OfflineAudio;
  model: ModelRef;
  mapper: Mapper;
  control: Control;
  run: VirtualRun;
  close(): Promise<void>;
}

const EPS_S = 1e-9;

/**
 * Mapping files resolve relative paths (latent files) beside the file live loaded, when it is still there; with
 * `inFolder`, always beside the version's copy in the session folder (a copy of the session on another machine,
 * where live's path may hold other files).
 */
export function sessionMappingPath(session: Session, file: string, source: string, inFolder = false): string {
  return !inFolder && source && existsSync(dirname(source)) ? source : join(session.dir, file);
}

async function recordedModel(session: Session): Promise<ModelRef> {
  const dir = session.header.model.dir;
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new UserError(`--session ${session.dir}: the recorded model ${dir} is not here; pass --model <dir> (the same model for the recorded params, or another)`);
  }
  return { dir, manifest: await readManifest(dir) };
}

export async function openSessionReplay(session: Session, opts: ReplayOptions = {}): Promise<SessionReplay> {
  const h = session.header;
  const headerFile = join(session.dir, FILES.header);
  let cfg: Config;
  try {
    cfg = resolveConfig(undefined, { ...(h.config as Record<string, unknown>), fps: opts.fps ?? h.fps });
  } catch (e) {
    throw new UserError(`${headerFile}: "config" is not a config this latentvj runs: ${describeError(e)}`);
  }
  const first = session.mappings[0];
  if (!first) throw new UserError(`${join(session.dir, FILES.mappings)}: no mapping version was recorded`);
  const model = opts.model ?? (await recordedModel(session));
  const latents = await createOnnxLatentProvider(model.dir, model.manifest);
  let mapper: Mapper;
  const swaps: Array<{ t: number; use: () => void }> = [];
  try {
    mapper = await createMapper({ file: sessionMappingPath(session, first.file, first.source, opts.mappingsInFolder), text: first.text, manifest: model.manifest, latents, watch: false });
    for (const m of session.mappings.slice(1)) {
      try {
        swaps.push({ t: m.t, use: await mapper.prepare(m.text) });
      } catch (e) {
        throw new UserError(`${join(session.dir, m.file)}: mapping version ${m.version} does not load: ${describeError(e)}`);
      }
    }
  } catch (e) {
    await latents.close?.();
    throw e;
  }
  let frameT = 0;
  // A control stage like live's, minus its sockets and ports: inputs arrive only from the recording.
  const { midiOutput: _out, ...controlCfg } = cfg.control;
  void _out;
  const control = await createControl(
    { ...controlCfg, oscEnabled: false, midiInputs: [], link: { ...cfg.control.link, enabled: false } },
    {
      targets: () => Object.keys(mapper.targets()),
      scenes: () => mapper.scenes(),
      midi: 'replaying a session (the recorded MIDI is fed in)',
      link: 'replaying a session',
      audioNow: () => frameT,
      now: () => frameT * 1000,
    },
  );
  const audio: OfflineAudio = {
    info: { description: `session ${session.dir}`, kind: 'file', sampleRate: session.audio.sampleRate, channels: session.audio.channels.length },
    sampleRate: session.audio.sampleRate,
    channels: session.audio.channels,
    durationS: (session.audio.channels[0]?.length ?? 0) / session.audio.sampleRate,
    file: resolve(session.dir, FILES.audio),
  };
  const inputs = session.controls;
  let nextInput = 0;
  let nextSwap = 0;
  const feed = (i: ControlInput): void => {
    if (i.kind === 'midi') control.feedMidi(i.port, i.deltaTime, i.bytes);
    else if (i.kind === 'osc') control.feedOsc(i.address, i.args, i.from);
    else control.apply(i.command, i.source);
  };
  const run = new VirtualRun({
    fps: cfg.fps,
    audio,
    blockSize: cfg.audio.blockSize,
    analysis: buildAnalysis(cfg, control),
    mapper,
    control,
    beforeFrame: (t) => {
      frameT = t;
      while (nextSwap < swaps.length && swaps[nextSwap]!.t <= t + EPS_S) swaps[nextSwap++]!.use();
      while (nextInput < inputs.length && inputs[nextInput]!.t <= t + EPS_S) {
        const line = inputs[nextInput++]!;
        // The control stage refuses a bad input by its result, as live did; a line of a shape live never writes
        // (a hand-edited folder) may throw instead, and is skipped so the rest of the set still renders.
        try {
          feed(line.event);
        } catch {
          continue;
        }
      }
    },
  });
  return {
    cfg,
    audio,
    model,
    mapper,
    control,
    run,
    async close() {
      await control.close();
      await mapper.close();
      await latents.close?.();
    },
  };
}
