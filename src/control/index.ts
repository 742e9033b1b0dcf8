/**
 * The control stage: MIDI, OSC and the ws API feed one ControlState (source values, target overrides, scene,
 * blackout, freeze) and the tempo sources. `createControl` opens what the config asks for. A missing MIDI sequencer
 * or an unplugged controller is one log line and the engine carries on; a busy OSC port is a UserError at start
 * (the performer asked for that port and would otherwise wonder why nothing reacts).
 */
import { Subject } from '../rx.js';
import type { ControlEvent, ControlState } from './types.js';
import { controlConfigSchema, type ControlConfig, type ControlConfigInput, type MidiControlConfig } from './config.js';
import { ControlStore } from './state.js';
import { TempoSources } from './tempo.js';
import { MidiDecoder, feedbackMessages, parseMidiSource, type MidiControlEvent } from './midiDecode.js';
import { moveKnob, newTakeover, setFromElsewhere, stepKnob, type TakeoverControl } from './takeover.js';
import { MidiPorts, loadNativeMidi } from './midiPorts.js';
import { OscIn, type OscArg } from './oscIn.js';
import { routeOsc, argNumber } from './oscRoutes.js';
import { MidiLearn } from './learn.js';
import { startLink, writeLinkSources } from './link.js';
import { MidiUseCheck, noMidiInputReason } from './midiUse.js';
import { resolveScene } from './scenes.js';
import { OK, fail, MAX_NAME_CHARS, MAX_SCENE_INDEX, type CommandResult, type ControlCommand } from './commands.js';
import { closestName } from '../didYouMean.js';
import { logger } from '../log.js';

import { CuePulses } from './cues.js';
import type { Control, ControlDeps, ControlInput, ControlStatus } from './interface.js';

export type { ControlCommand, CommandResult } from './commands.js';
export type { Control, ControlDeps, ControlInput, ControlStatus } from './interface.js';
export { createOscOut, type OscOutStage } from './oscOut.js';

const log = logger('control');

export async function createControl(cfgInput: ControlConfig | ControlConfigInput = {}, deps: ControlDeps = {}): Promise<Control> {
  const cfg = controlConfigSchema.parse(cfgInput);
  const now = deps.now ?? (() => performance.now());
  let audioNow = deps.audioNow ?? (() => now() / 1000);
  const store = new ControlStore();
  const tempo = new TempoSources(cfg.tempo);
  const learn = new MidiLearn();
  const events$ = new Subject<ControlEvent>();
  const inputs$ = new Subject<{ t: number; input: ControlInput }>();
  const input = (i: ControlInput): void => {
    if (!inputs$.observed) return;
    try {
      inputs$.next({ t: audioNow(), input: i });
    } catch (err) {
      log.limited('error', 'subscriber', `control input subscriber failed: ${(err as Error).message}`);
    }
  };
  const controls = new Map<string, MidiControlConfig>(cfg.midiControls.map((c) => [c.source, c]));
  const knobs = new Map<string, TakeoverControl>();
  const decoders = new Map<string, MidiDecoder>();
  const decoded: MidiControlEvent[] = [];
  /** Cues fired since the last frame, and those shown on the last frame (reset to 0 on the next). */
  const cues = new CuePulses();
  let oscSources = 0;
  let midiMalformed = 0;
  let midi: MidiPorts | null = null;
  let midiReason: string | null = null;
  let osc: OscIn | null = null;

  const knob = (source: string): TakeoverControl => {
    let k = knobs.get(source);
    if (!k) {
      k = newTakeover(store.state.values.get(source));
      knobs.set(source, k);
    }
    return k;
  };

  const feedback = (source: string, value: number): void => {
    const c = controls.get(source);
    if (!midi || !c?.feedback) return;
    const id = parseMidiSource(source);
    if (!id) return;
    for (const bytes of feedbackMessages(id, value, c.highRes)) midi.send(bytes);
  };

  // The target list changes only when the mapping reloads; re-read it at most twice a second (OSC floods call this).
  let known: Set<string> | null = null;
  let knownAtMs = Number.NEGATIVE_INFINITY;
  const knownTargets = (): Set<string> | null => {
    if (!deps.targets) return null;
    const t = now();
    if (!known || t - knownAtMs > 500 || t < knownAtMs) {
      known = new Set(deps.targets());
      knownAtMs = t;
    }
    return known;
  };

  const emit = (e: ControlEvent): void => {
    try {
      events$.next(e);
    } catch (err) {
      log.limited('error', 'subscriber', `control event subscriber failed: ${(err as Error).message}`);
    }
  };

  // ws value, cue and recalled names are chosen by the sender, like OSC addresses: capped the same way
  // (oscMaxSources), so a flood of distinct names cannot grow the state the mapper scans without bound.
  const namedSources = new Set<string>();
  const admit = (key: string): boolean => {
    if (namedSources.has(key) || store.hasSource(key)) return true;
    if (namedSources.size >= cfg.oscMaxSources) return false;
    namedSources.add(key);
    return true;
  };
  const tooMany = (what: string) => fail(`too many distinct ${what} names (over ${cfg.oscMaxSources}, control.oscMaxSources); reuse names`);

  const recall = (values: Record<string, number>): void => {
    for (const [source, value] of Object.entries(values)) {
      if (!Number.isFinite(value) || !admit(source)) continue;
      store.setSource(source, value);
      const k = knobs.get(source);
      if (k) setFromElsewhere(k, value, cfg.pickupTolerance);
      feedback(source, value);
    }
  };

  const apply = (cmd: ControlCommand, source: string): CommandResult => {
    const t = audioNow();
    const named = 'target' in cmd ? cmd.target : 'name' in cmd ? cmd.name : cmd.type === 'scene' && typeof cmd.scene === 'string' ? cmd.scene : '';
    if (named.length > MAX_NAME_CHARS) return fail(`${cmd.type} name over ${MAX_NAME_CHARS} characters (${named.length}); names are kept as state, so their length is capped`);
    switch (cmd.type) {
      case 'set': {
        if (!Number.isFinite(cmd.value)) return fail(`value for '${cmd.target}' must be a finite number`);
        const known = knownTargets();
        if (known && !known.has(cmd.target)) {
          const near = closestName(cmd.target, known);
          return fail(
            `unknown target '${cmd.target}'${near ? `; did you mean '${near}'?` : ''} (targets: ${[...known].slice(0, 40).join(', ')})`,
          );
        }
        store.setTarget(cmd.target, cmd.value);
        emit({ kind: 'set', target: cmd.target, value: cmd.value, t, source });
        return OK;
      }
      case 'release':
        store.releaseTarget(cmd.target);
        return OK;
      case 'value': {
        if (!Number.isFinite(cmd.value)) return fail(`value for '${cmd.name}' must be a finite number`);
        if (!admit(`ws:${cmd.name}`)) return tooMany('ws value');
        store.setSource(`ws:${cmd.name}`, cmd.value);
        emit({ kind: 'ws', target: cmd.name, value: cmd.value, t });
        return OK;
      }
      case 'scene': {
        if (typeof cmd.scene === 'number' && !(Number.isInteger(cmd.scene) && cmd.scene >= 0 && cmd.scene <= MAX_SCENE_INDEX)) {
          return fail(`scene index must be 0–${MAX_SCENE_INDEX} (or a scene name), got ${cmd.scene}`);
        }
        let scene: number | string = cmd.scene;
        if (deps.scenes) {
          const r = resolveScene(cmd.scene, deps.scenes());
          // A recall that restores control values is a snapshot: its name need not be a section set.
          if (!r.ok && !cmd.values) return fail(r.error);
          if (r.ok) {
            scene = r.scene;
            store.setSource('scene', r.index);
          }
        }
        store.state.scene = scene;
        if (cmd.values) recall(cmd.values);
        // `control:scene:changed` is 1 for one frame after every recall, like a cue.
        cues.fire('scene:changed');
        emit({ kind: 'scene', scene, t, source });
        return OK;
      }
      case 'cue':
        if (!admit(`cue:${cmd.name}`)) return tooMany('cue');
        cues.fire(`cue:${cmd.name}`);
        emit({ kind: 'cue', name: cmd.name, t, source });
        return OK;
      case 'blackout':
        store.state.blackout = cmd.on;
        emit({ kind: 'blackout', on: cmd.on, t, source });
        return OK;
      case 'freeze':
        store.state.freeze = cmd.on;
        emit({ kind: 'freeze', on: cmd.on, t, source });
        return OK;
      case 'tap':
        tempo.tap(now());
        if (tempo.taps.bpm > 0) store.setSource('tap:bpm', tempo.taps.bpm);
        emit({ kind: 'tap', t, source });
        return OK;
      case 'resync':
        tempo.resync(now());
        emit({ kind: 'resync', t, source });
        return OK;
      case 'tempo':
        if (cmd.op === 'half') tempo.scale(0.5, now());
        else if (cmd.op === 'double') tempo.scale(2, now());
        else if (cmd.op === 'auto') tempo.release();
        else if (cmd.bpm !== undefined) {
          if (!(cmd.bpm >= 20 && cmd.bpm <= 400)) return fail(`tempo must be 20–400 BPM, got ${cmd.bpm}`);
          tempo.osc.setBpm(cmd.bpm, now());
        } else return fail("tempo needs 'bpm' or 'op' (half, double, auto)");
        return OK;
      case 'record':
        return deps.record ? deps.record(cmd.on) : fail('recording is not available here (live records sessions)');
    }
  };

  const onMidiEvent = (port: string, e: MidiControlEvent): void => {
    switch (e.kind) {
      case 'value': {
        if (learn.offer(e.source, port, 'value', e.value)) log.info(`learned ${e.source} from '${port}'`);
        const k = knob(e.source);
        const mode = controls.get(e.source)?.takeover ?? cfg.takeover;
        if (moveKnob(k, mode, e.value, cfg.pickupTolerance)) store.setSource(e.source, k.value);
        return;
      }
      case 'steps': {
        learn.offer(e.source, port, 'steps', e.steps);
        const k = knob(e.source);
        if (stepKnob(k, e.steps, controls.get(e.source)?.stepSize ?? 1 / 127)) {
          store.setSource(e.source, k.value);
          feedback(e.source, k.value);
        }
        return;
      }
      case 'note': {
        if (e.on) learn.offer(e.source, port, 'note', e.velocity);
        store.setSource(e.source, e.on ? e.velocity : 0);
        if (e.on && cfg.tapNote === e.source) apply({ type: 'tap' }, `midi:${port}`);
        return;
      }
      case 'program': {
        if (!cfg.programChangeScenes) return;
        const r = apply({ type: 'scene', scene: e.program }, `midi:${port}`);
        if (!r.ok) log.limited('warn', 'program-scene', `MIDI program change ${e.program} from '${port}': ${r.error}`);
        return;
      }
      case 'clock':
        tempo.clock.tick(e.tSec, now());
        return;
      case 'start':
        tempo.clock.start();
        return;
      case 'continue':
        tempo.clock.continue();
        return;
      case 'stop':
        tempo.clock.stop();
        return;
      case 'position':
        tempo.clock.position(e.sixteenths);
        return;
    }
  };

  const feedMidi = (port: string, deltaTime: number, bytes: number[]): void => {
    input({ kind: 'midi', port, deltaTime, bytes: [...bytes] });
    let d = decoders.get(port);
    if (!d) {
      d = new MidiDecoder((s) => controls.get(s));
      decoders.set(port, d);
    }
    const before = d.malformed;
    d.decode(deltaTime, bytes, decoded);
    if (d.malformed !== before) {
      midiMalformed += 1;
      log.limited('warn', 'midi-malformed', `malformed MIDI message from '${port}': [${bytes.slice(0, 4).join(', ')}]`);
      return;
    }
    // Clock ticks arrive 24 times a beat and carry nothing for subscribers: keep them out of the event stream.
    if (bytes[0] !== 0xf8) emit({ kind: 'midi', port, t: audioNow(), status: bytes[0]!, data: bytes.slice(1) });
    for (const e of decoded) onMidiEvent(port, e);
  };

  const oscSink = {
    command: (cmd: ControlCommand) => {
      const r = apply(cmd, 'osc');
      // The OSC sender gets no reply: the reason (e.g. the list of scenes) goes to the log, at a limited rate.
      if (!r.ok) log.limited('warn', `osc-${cmd.type}`, `OSC ${cmd.type} refused: ${r.error}`);
      return r;
    },
    tempo: (bpm: number) => tempo.osc.setBpm(bpm, now()),
    beat: (count: number | undefined) => tempo.osc.beat(now(), count),
    source(address: string, args: OscArg[]): boolean | string {
      const key = `osc:${address}`;
      if (!store.hasSource(key)) {
        if (oscSources >= cfg.oscMaxSources) return `too many distinct OSC addresses (over ${cfg.oscMaxSources}, control.oscMaxSources)`;
        oscSources += 1;
      }
      let any = false;
      for (let i = 0; i < args.length; i++) {
        const v = argNumber(args[i]);
        if (!Number.isFinite(v)) continue;
        if (i === 0) store.setSource(key, v);
        else if (i < 16) store.setSource(`${key}:${i}`, v);
        any = true;
      }
      // Messages without a number (a bang, a label) are understood, they just carry no value.
      return any || args.length === 0 || args.every((a) => typeof a === 'string');
    },
  };

  const oscRouteCfg = { tempoAddresses: cfg.oscTempoAddresses, beatAddresses: cfg.oscBeatAddresses };
  const feedOsc = (address: string, args: OscArg[], from: string): boolean | string => {
    // The record toggle drives the recorder, not the picture: it is not part of what a session replays.
    if (address !== '/latentvj/record') input({ kind: 'osc', address, args, from });
    emit({ kind: 'osc', address, args, t: audioNow(), from });
    return routeOsc(address, args, oscRouteCfg, oscSink);
  };

  // MIDI: every input by default (midiInputs ['*']); an empty list and no output keeps MIDI off and quiet.
  if (cfg.midiInputs.length > 0 || cfg.midiOutput !== undefined || typeof deps.midi === 'object') {
    const backend = deps.midi ?? (await loadNativeMidi());
    if (typeof backend === 'string') {
      midiReason = backend;
      log.warn(`MIDI off: ${backend}; the engine carries on without MIDI`);
    } else {
      midi = new MidiPorts(backend, cfg.midiInputs, cfg.midiOutput, feedMidi);
      midi.start(cfg.midiRescanS);
    }
  }

  const noInput = (): string | null =>
    (midi?.openNames().length ?? 0) > 0 ? null : noMidiInputReason(midiReason, cfg.midiInputs);
  learn.unavailable = () => {
    const why = noInput();
    return why === null ? null : `no MIDI input is open: ${why}`;
  };
  const midiUse = new MidiUseCheck(deps.mapping, noInput, (line) => log.warn(line));
  midiUse.check();

  tempo.link = await startLink(cfg.link, deps.link);

  if (cfg.oscEnabled) {
    try {
      osc = await OscIn.open({ host: cfg.oscHost, port: cfg.oscPort, maxPerSecond: cfg.oscMaxPerSecond, maxAddressBytes: cfg.oscMaxAddressBytes }, feedOsc);
    } catch (e) {
      // Nobody will close a stage that failed to start: release the MIDI ports opened above, or they (and the
      // rescan timer) keep the process from exiting after the error.
      midi?.close();
      tempo.link?.close();
      midiUse.close();
      throw e;
    }
    if (cfg.abletonOsc.enabled) {
      const { host, port } = cfg.abletonOsc;
      if (osc.port !== 11001) {
        log.warn(`AbletonOSC replies to port 11001, but OSC in listens on ${osc.port}: run with --osc-port 11001 to get Live's tempo and beats`);
      }
      // Listeners push /live/song/get/tempo on every change and /live/song/get/beat on every beat.
      for (const a of ['/live/song/start_listen/tempo', '/live/song/start_listen/beat', '/live/song/get/tempo']) osc.send(a, [], host, port);
      log.info(`AbletonOSC: asked ${host}:${port} for tempo and beat listeners`);
    }
  }

  // Looking never changes anything: the monitor and /api/state may poll as often as they like.
  const state = (): ControlState => store.state;
  const take = (): ControlState => {
    cues.take(store.state.values);
    return store.state;
  };

  return {
    config: cfg,
    store,
    tempo,
    get osc() {
      return osc;
    },
    get midi() {
      return midi;
    },
    learn,
    events$: events$.asObservable(),
    inputs$: inputs$.asObservable(),
    state,
    take,
    setAudioClock(fn) {
      audioNow = fn;
    },
    apply(cmd: ControlCommand, source: string): CommandResult {
      if (cmd.type !== 'record') input({ kind: 'command', command: cmd, source });
      return apply(cmd, source);
    },
    mergeTempo: (analysis) => {
      if (tempo.link) writeLinkSources(tempo.link, store);
      const t = tempo.merge(analysis, now());
      return t && t !== analysis ? { ...t } : t;
    },
    feedMidi,
    feedOsc,
    recall,
    status(): ControlStatus {
      return {
        osc: osc ? { ...osc.stats, host: osc.host, port: osc.port } : null,
        midi: { available: midi !== null, reason: midiReason, ports: midi?.status() ?? null, malformed: midiMalformed },
        tempo: tempo.status(now()),
        learn: { armed: learn.armed },
        scene: store.state.scene,
        scenes: deps.scenes ? [...deps.scenes()] : null,
        blackout: store.state.blackout,
        freeze: store.state.freeze,
        overrides: Object.fromEntries(store.state.targets),
        record: { available: deps.record !== undefined, ...(deps.recording?.() ?? { on: false, folder: null }) },
      };
    },
    valid: () => store.valid(),
    async close(): Promise<void> {
      learn.cancel('stopped: the engine is closing');
      midiUse.close();
      midi?.close();
      midi = null;
      tempo.link?.close();
      tempo.link = null;
      if (osc) await osc.close();
      osc = null;
      events$.complete();
      inputs$.complete();
    },
  };
}
