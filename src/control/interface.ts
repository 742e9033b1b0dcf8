/** The control stage's shape: what `createControl` takes and what it gives (src/control/index.ts builds it). */
import type { Observable } from '../rx.js';
import type { Tempo } from '../contracts/features.js';
import type { ControlStage } from '../contracts/stages.js';
import type { ControlConfig } from './config.js';
import type { ControlStore } from './state.js';
import type { TempoSources, TempoStatus } from './tempo.js';
import type { MidiBackend, MidiPortStatus, MidiPorts } from './midiPorts.js';
import type { OscArg, OscIn, OscInStats } from './oscIn.js';
import type { MidiLearn } from './learn.js';
import type { LinkSession } from './link.js';
import type { CommandResult, ControlCommand } from './commands.js';

export interface ControlDeps {
  /** Names of the mapping's targets (mapper.targets() keys); `set` to another name is refused. Omit to accept any. */
  targets?: () => Iterable<string>;
  /**
   * The MIDI layer: a backend (tests, other transports), a string saying why MIDI is unavailable, or omitted to
   * load @julusian/midi when the config names inputs or an output.
   */
  midi?: MidiBackend | string;
  /**
   * The mapping's scenes (section set names, in order); recalls by an unknown name or an index past the end are
   * refused with this list. Omit to accept any scene (no mapping known).
   */
  scenes?: () => readonly string[];
  /**
   * The mapping now running: its version and route sources. When it reads MIDI while no input is open, the control
   * says so once per mapping version (at start and after each reload).
   */
  mapping?: () => { version: number; sources: readonly string[] };
  /** Ableton Link: a session (tests), a string saying why Link is unavailable, or omitted to load the optional binding when `link.enabled`. */
  link?: LinkSession | string;
  /** Wall clock in ms (tests inject one); tempo sources and taps use it. */
  now?: () => number;
  /**
   * Audio time (s) at which a control arriving now takes effect: the pipeline's next frame. Events are stamped
   * with it, so a recording of them replays on the same frames. Default: the wall clock in seconds.
   */
  audioNow?: () => number;
  /** Starts or stops recording a session (the `record` command); without it `record` is refused. */
  record?(on: boolean): CommandResult;
  /** Whether a session is being recorded, and its folder (the one last written when off); for the status. */
  recording?(): { on: boolean; folder: string | null };
}

/**
 * What reached the control stage from outside, as it arrived: replaying these in order at their audio times into
 * a fresh control stage (with the same mapping) rebuilds the same ControlState frame by frame (session recording).
 */
export type ControlInput =
  | { kind: 'midi'; port: string; deltaTime: number; bytes: number[] }
  | { kind: 'osc'; address: string; args: OscArg[]; from: string }
  | { kind: 'command'; command: ControlCommand; source: string };

export interface ControlStatus {
  osc: (OscInStats & { host: string; port: number }) | null;
  midi: { available: boolean; reason: string | null; ports: MidiPortStatus | null; malformed: number };
  tempo: TempoStatus;
  learn: { armed: string | null };
  scene: number | string;
  /** The mapping's scenes (section sets) in order; null when the control does not know the mapping. */
  scenes: string[] | null;
  blackout: boolean;
  freeze: boolean;
  overrides: Record<string, number>;
  /** The record toggle: available where the engine records (live), on while a session is written, its folder. */
  record: { available: boolean; on: boolean; folder: string | null };
}

export interface Control extends ControlStage {
  readonly config: ControlConfig;
  readonly store: ControlStore;
  readonly tempo: TempoSources;
  readonly osc: OscIn | null;
  readonly midi: MidiPorts | null;
  readonly learn: MidiLearn;
  /** Apply a command from any transport (`source` names the transport for the event stream and logs). */
  apply(cmd: ControlCommand, source: string): CommandResult;
  /**
   * The tempo to use now: a copy of the leading source's, or `analysis` itself when the analysis leads. The
   * pipeline applies it to each analysis record (src/pipeline/tempo.ts).
   */
  mergeTempo(analysis: Tempo | null): Tempo | null;
  /** Every input from outside (MIDI bytes, OSC messages, commands from ws/HTTP/monitor), stamped with audio time. */
  readonly inputs$: Observable<{ t: number; input: ControlInput }>;
  /** Sets where event stamps come from (the pipeline's audio time), when the pipeline is built after the control. */
  setAudioClock(audioNow: () => number): void;
  /** One RtMidi message from port `port` (the native layer calls this; tests feed it directly). */
  feedMidi(port: string, deltaTime: number, bytes: number[]): void;
  /** One decoded OSC message (the OSC socket calls this). Returns true, or false / why when refused. */
  feedOsc(address: string, args: OscArg[], from: string): boolean | string;
  /** Restore control values (scene snapshot); knobs then need soft takeover. Unknown-shaped names are refused. */
  recall(values: Record<string, number>): void;
  status(): ControlStatus;
  /** The invariants of the state (fuzz tests). */
  valid(): boolean;
}
