/**
 * Ableton Link: the tempo, beat and phase that Live, Resolume, TouchDesigner and Synesthesia share on the LAN.
 * Link follows the session while other peers are in it; when another tempo source leads (MIDI clock, OSC, tap),
 * latentvj leads the session: its tempo and bar phase go out to every peer.
 *
 * The binding is an optional dependency loaded at run time (Link is GPL-2.0+ or Ableton's proprietary licence;
 * latentvj is MIT, so no Link code ships with latentvj: see docs/control.md). Absent, Link is one log line.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type { Tempo } from '../contracts/features.js';
import { describeError } from '../errors.js';
import { logger } from '../log.js';
import type { ControlConfig } from './config.js';
import type { ControlStore } from './state.js';

const log = logger('link');

/** The Node binding latentvj uses: a maintained node-addon-api wrapper of Link 3.x. */
export const LINK_PACKAGE = '@ktamas77/abletonlink';

export const LINK_INSTALL_HINT = `sh tools/install-link.sh (it builds ${LINK_PACKAGE} into .link/; see docs/control.md)`;

/** The part of a Link binding latentvj uses. Times are seconds on Link's clock; beats in quarter notes. */
export interface LinkSession {
  tempo(): number;
  setTempo(bpm: number): void;
  /** Position inside the quantum now, 0 … quantum (beats); the same on every peer of the session. */
  phase(quantum: number): number;
  /** Peers other than this one. */
  peers(): number;
  /** Link-clock time (s) at which `beat` falls. */
  timeForBeat(beat: number, quantum: number): number;
  /** Beat position now (quantum 1). */
  beat(): number;
  /** Move the session's beat grid so that `beat` falls at `timeS` (this peer leads). */
  forceBeatAtTime(beat: number, timeS: number, quantum: number): void;
  close(): void;
}

/** The binding's class as its type declaration gives it (only what is used). */
interface NativeLink {
  enable(on: boolean): void;
  getTempo(): number;
  setTempo(bpm: number): void;
  getBeat(): number;
  getPhase(quantum: number): number;
  getNumPeers(): number;
  getTimeForBeat(beat: number, quantum: number): number;
  forceBeatAtTime(beat: number, timeS: number, quantum: number): void;
}
type NativeLinkClass = new (bpm: number) => NativeLink;

/**
 * Loads the binding and joins a Link session at `bpm`; returns the reason (one line, with how to add it) when it
 * cannot. It is looked for in .link/ (tools/install-link.sh), then on the module path (NODE_PATH works too).
 */
export async function loadLink(bpm = 120): Promise<LinkSession | string> {
  let resolved: string | null = null;
  // Where tools/install-link.sh puts it (outside the project's dependencies), then the usual module path.
  for (const base of [join(PACKAGE_ROOT, '.link', 'package.json'), import.meta.url]) {
    try {
      resolved = createRequire(base).resolve(LINK_PACKAGE);
      break;
    } catch {
      // not there
    }
  }
  if (resolved === null) return `the optional Link binding is not installed; add it with ${LINK_INSTALL_HINT}`;
  try {
    const mod = (await import(pathToFileURL(resolved).href)) as { AbletonLink?: NativeLinkClass; default?: { AbletonLink?: NativeLinkClass } };
    const Cls = mod.AbletonLink ?? mod.default?.AbletonLink;
    if (typeof Cls !== 'function') return `${LINK_PACKAGE} loaded but exports no AbletonLink class (version mismatch?)`;
    const link = new Cls(bpm);
    link.enable(true);
    return wrapNative(link);
  } catch (e) {
    return `${LINK_PACKAGE} could not start (${describeError(e)}); reinstall it with ${LINK_INSTALL_HINT}`;
  }
}

function wrapNative(link: NativeLink): LinkSession {
  let open = true;
  return {
    tempo: () => link.getTempo(),
    setTempo: (bpm) => link.setTempo(bpm),
    phase: (q) => link.getPhase(q),
    peers: () => (open ? link.getNumPeers() : 0),
    timeForBeat: (b, q) => link.getTimeForBeat(b, q),
    beat: () => link.getBeat(),
    forceBeatAtTime: (b, t, q) => link.forceBeatAtTime(b, t, q),
    close() {
      if (!open) return;
      open = false;
      link.enable(false);
    },
  };
}

const frac = (x: number): number => x - Math.floor(x);

/** Tempo differences below this are not sent to the session (Link rounds tempi finer; this avoids chatter). */
const SEND_BPM_EPS = 0.005;
/** Phase drift (ms) past which the leading tempo re-aligns the session's beat grid. */
const SEND_PHASE_MS = 2;

/** Link as a tempo source, and the way our tempo goes out when another source leads. */
export class LinkTempo {
  /** Tempo and bar phase sent out, counted (the status shows them). */
  sent = 0;

  constructor(
    readonly session: LinkSession,
    /** Beats per bar (Link's quantum, control.link.quantum): the bar phase peers agree on. */
    readonly quantum: number,
  ) {}

  /** Link leads when someone else is in the session. */
  active(): boolean {
    return this.session.peers() > 0;
  }

  get bpm(): number {
    return this.session.tempo();
  }

  fill(out: Tempo): void {
    const inBar = this.session.phase(this.quantum);
    out.bpm = this.session.tempo();
    out.beatPhase = frac(inBar);
    out.barPhase = frac(inBar / this.quantum);
    out.confidence = 1;
    out.source = 'link';
  }

  /**
   * Another source leads: make the session follow `t` (tempo, and the bar phase when it drifted by more than a
   * couple of milliseconds). Returns true when something was sent.
   */
  lead(t: Tempo): boolean {
    if (!(t.bpm >= 20 && t.bpm <= 999) || !Number.isFinite(t.barPhase)) return false;
    let sent = false;
    if (Math.abs(this.session.tempo() - t.bpm) > SEND_BPM_EPS) {
      this.session.setTempo(t.bpm);
      sent = true;
    }
    const ours = t.barPhase * this.quantum;
    const theirs = this.session.phase(this.quantum);
    let d = (ours - theirs) % this.quantum;
    if (d > this.quantum / 2) d -= this.quantum;
    if (d < -this.quantum / 2) d += this.quantum;
    if (Math.abs(d) * (60000 / t.bpm) > SEND_PHASE_MS) {
      const nowBeat = this.session.beat();
      const nowS = this.session.timeForBeat(nowBeat, 1);
      // Link shifts the session's grid so that the phase of the given beat falls at that time; the bar number is
      // kept near the current one so local beat counts do not jump.
      this.session.forceBeatAtTime(Math.floor(nowBeat / this.quantum) * this.quantum + ours, nowS, this.quantum);
      sent = true;
    }
    if (sent) this.sent += 1;
    return sent;
  }

  close(): void {
    this.session.close();
  }
}

/**
 * Link as the config asks: a session given (tests), else the optional binding when `link.enabled`; null (with one
 * line saying why and how to add the binding) when it cannot start.
 */
export async function startLink(cfg: ControlConfig['link'], given?: LinkSession | string): Promise<LinkTempo | null> {
  if (!cfg.enabled && typeof given !== 'object') return null;
  const session = given ?? (await loadLink());
  if (typeof session === 'string') {
    log.warn(`Ableton Link off: ${session}`);
    return null;
  }
  log.info(`Ableton Link on: ${session.peers()} other peer(s), ${session.tempo().toFixed(2)} BPM, quantum ${cfg.quantum}`);
  return new LinkTempo(session, cfg.quantum);
}

/** The session's tempo and phase as control sources (`control:link:bpm` …); called with every analysis record. */
export function writeLinkSources(l: LinkTempo, store: ControlStore): void {
  const inBar = l.session.phase(l.quantum);
  store.setSource('link:bpm', l.bpm);
  store.setSource('link:beatPhase', frac(inBar));
  store.setSource('link:barPhase', inBar / l.quantum);
  store.setSource('link:peers', l.session.peers());
}
