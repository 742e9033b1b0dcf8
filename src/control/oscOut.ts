/**
 * OSC out: the live features, float-tagged, to another program (TouchDesigner OSC In CHOP, Resolume, Max for Live)
 * at a fixed rate. An OutputStage: the engine calls `features(f)` per analysis hop; that only keeps the newest
 * record and the peaks and events since the last send (no allocation per hop). A timer sends at `rateHz`.
 * Address space (prefix default /latentvj/out): see docs/control.md.
 */
import dgram from 'node:dgram';
import { encode } from 'node-osc';
import { chordQualityNumber, ENERGY_STATE_NUMBER, FEATURE_EVENTS, type Features } from '../contracts/features.js';
import type { OutputStage } from '../contracts/stages.js';
import type { ControlConfig } from './config.js';
import { logger } from '../log.js';
import { describeError } from '../errors.js';

const log = logger('osc-out');

interface FloatArg {
  type: 'float';
  value: number;
}
interface OutMessage {
  oscType: 'message';
  address: string;
  args: FloatArg[];
}

const EVENTS = FEATURE_EVENTS;

export interface OscOutStats {
  sent: number;
  errors: number;
}

export interface OscOutStage extends OutputStage {
  readonly stats: OscOutStats;
  /** Send now (the timer calls this; tests may too). */
  flush(): void;
}

function msg(address: string, n = 1): OutMessage {
  return { oscType: 'message', address, args: Array.from({ length: n }, () => ({ type: 'float', value: 0 })) };
}

export async function createOscOut(cfg: ControlConfig['oscOut']): Promise<OscOutStage> {
  const p = cfg.prefix.replace(/\/$/, '');
  const socket = dgram.createSocket({ type: cfg.host.includes(':') ? 'udp6' : 'udp4' });
  socket.on('error', (e) => log.limited('warn', 'socket', `OSC out to ${cfg.host}:${cfg.port}: ${describeError(e)}`));
  await new Promise<void>((resolve) => socket.bind(0, () => resolve()));
  socket.unref();

  // Messages are built once; each send only rewrites their float values.
  const m = {
    rms: msg(`${p}/rms`),
    rmsSlow: msg(`${p}/rmsSlow`),
    bands: msg(`${p}/bands`, 3),
    chroma: msg(`${p}/chroma`, 12),
    bassChroma: msg(`${p}/bassChroma`, 12),
    onsetAll: msg(`${p}/onset/all`),
    onsetKick: msg(`${p}/onset/kick`),
    onsetSnare: msg(`${p}/onset/snare`),
    onsetHats: msg(`${p}/onset/hats`),
    bpm: msg(`${p}/bpm`),
    beatPhase: msg(`${p}/beatPhase`),
    barPhase: msg(`${p}/barPhase`),
    novelty: msg(`${p}/novelty`),
    section: msg(`${p}/section`),
    // 0 while the analysis hears no rhythm (no beat events then); beats per bar of the meter heard (3 or 4).
    tempoKnown: msg(`${p}/tempoKnown`),
    beatsPerBar: msg(`${p}/beatsPerBar`),
    // Root pitch class (−1 none), quality number (maj 0, min 1, 7 2, maj7 3, min7 4; −1 none), confidence.
    chord: msg(`${p}/chord`, 3),
    // Live section energy: contrast against the recent past (−1..1) and state (breakdown −1, steady 0, drop 1).
    energy: msg(`${p}/energy`, 2),
  };
  const steady = Object.values(m);
  const eventMsgs = new Map(EVENTS.map((e) => [e, msg(`${p}/event/${e}`)]));
  const stats: OscOutStats = { sent: 0, errors: 0 };
  let latest: Features | null = null;
  const onsetMax = { all: 0, kick: 0, snare: 0, hats: 0 };
  const fired = new Set<string>();
  /** Pulse mode: events sent as 1 on the last send, to be sent as 0 on this one unless they fired again. */
  const raised = new Set<(typeof EVENTS)[number]>();
  let closed = false;

  const onSent = (e: Error | null) => {
    if (!e) return;
    stats.errors += 1;
    log.limited('warn', 'send', `OSC out to ${cfg.host}:${cfg.port}: ${e.message}`);
  };
  const send = (packet: object) => {
    try {
      const buf = encode(packet);
      socket.send(buf, cfg.port, cfg.host, onSent);
      stats.sent += 1;
    } catch (e) {
      onSent(e as Error);
    }
  };

  const flush = () => {
    const f = latest;
    if (!f || closed) return;
    m.rms.args[0]!.value = f.rms;
    m.rmsSlow.args[0]!.value = f.rmsSlow;
    m.bands.args[0]!.value = f.bandRms.low;
    m.bands.args[1]!.value = f.bandRms.mid;
    m.bands.args[2]!.value = f.bandRms.high;
    for (let i = 0; i < 12; i++) {
      m.chroma.args[i]!.value = f.chroma[i] ?? 0;
      m.bassChroma.args[i]!.value = f.bassChroma[i] ?? 0;
    }
    m.onsetAll.args[0]!.value = Math.max(onsetMax.all, f.onset.all);
    m.onsetKick.args[0]!.value = Math.max(onsetMax.kick, f.onset.kick);
    m.onsetSnare.args[0]!.value = Math.max(onsetMax.snare, f.onset.snare);
    m.onsetHats.args[0]!.value = Math.max(onsetMax.hats, f.onset.hats);
    m.bpm.args[0]!.value = f.tempo.bpm;
    m.beatPhase.args[0]!.value = f.tempo.beatPhase;
    m.barPhase.args[0]!.value = f.tempo.barPhase;
    m.novelty.args[0]!.value = f.novelty;
    m.section.args[0]!.value = f.section;
    m.tempoKnown.args[0]!.value = f.tempo.known === false ? 0 : 1;
    m.beatsPerBar.args[0]!.value = f.tempo.beatsPerBar ?? 4;
    m.chord.args[0]!.value = f.chord?.root ?? -1;
    m.chord.args[1]!.value = chordQualityNumber(f.chord?.quality);
    m.chord.args[2]!.value = f.chord?.confidence ?? 0;
    m.energy.args[0]!.value = f.energy?.contrast ?? 0;
    m.energy.args[1]!.value = ENERGY_STATE_NUMBER[f.energy?.state ?? 'steady'];
    const out: OutMessage[] = [...steady];
    for (const e of EVENTS) {
      const em = eventMsgs.get(e)!;
      if (fired.has(e)) {
        em.args[0]!.value = 1;
        out.push(em);
        if (cfg.events === 'pulse') raised.add(e);
      } else if (raised.has(e)) {
        // The falling edge: a receiver that keeps the last value (an OSC In CHOP channel) drops back to 0.
        em.args[0]!.value = 0;
        out.push(em);
        raised.delete(e);
      }
    }
    onsetMax.all = onsetMax.kick = onsetMax.snare = onsetMax.hats = 0;
    fired.clear();
    if (cfg.bundle) send({ oscType: 'bundle', timetag: 0, elements: out });
    else for (const o of out) send(o);
  };

  const timer = setInterval(flush, 1000 / cfg.rateHz);
  timer.unref();
  log.info(`OSC out: features to udp://${cfg.host}:${cfg.port} at ${cfg.rateHz} Hz under ${p}/, events as ${cfg.events === 'pulse' ? 'pulses (1, then 0)' : '1 once'}`);

  return {
    name: 'osc-out',
    stats,
    flush,
    features(f: Features): void {
      latest = f;
      const o = f.onset;
      if (o.all > onsetMax.all) onsetMax.all = o.all;
      if (o.kick > onsetMax.kick) onsetMax.kick = o.kick;
      if (o.snare > onsetMax.snare) onsetMax.snare = o.snare;
      if (o.hats > onsetMax.hats) onsetMax.hats = o.hats;
      for (const e of f.events) fired.add(e);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
