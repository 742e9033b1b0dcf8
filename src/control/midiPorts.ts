/**
 * MIDI ports: opens @julusian/midi inputs by name substring (stable when the controller moves to another USB port)
 * or index, several at once, or every input (`*`, the default), and an output for controller feedback. Rescans periodically: a port that disappears
 * is closed and logged, and reopened by name when it comes back. Without an ALSA sequencer (containers, CI) RtMidi
 * cannot start: that is ONE clear log line and MIDI stays off; the engine carries on.
 * The native library sits behind `MidiBackend`, so the port logic is tested with a scripted backend.
 */
import { existsSync } from 'node:fs';
import { logger } from '../log.js';
import { describeError } from '../errors.js';

const log = logger('midi');

export type PortSpec = string | number;

export interface MidiInputHandle {
  close(): void;
}
export interface MidiOutputHandle {
  send(bytes: number[]): void;
  close(): void;
}

/** The native layer: port lists and opening ports. */
export interface MidiBackend {
  inputNames(): string[];
  outputNames(): string[];
  openInput(index: number, onMessage: (deltaTime: number, bytes: number[]) => void): MidiInputHandle;
  openOutput(index: number): MidiOutputHandle;
}

/** Loads @julusian/midi; returns the reason (one line) when MIDI cannot work on this machine. */
export async function loadNativeMidi(): Promise<MidiBackend | string> {
  if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) {
    return 'no ALSA sequencer (/dev/snd/seq is missing: load the snd-seq kernel module, or pass /dev/snd into the container)';
  }
  try {
    const midi = await import('@julusian/midi/lazy');
    midi.verifyLibraryLoaded();
    // One long-lived Input/Output lists ports (each new one would register another sequencer client).
    const lister = new midi.Input();
    const outLister = new midi.Output();
    return {
      inputNames: () => names(lister),
      outputNames: () => names(outLister),
      openInput(index, onMessage) {
        const input = new midi.Input();
        // Clock (timing) must come through for tempo; sysex and active sensing are noise here.
        input.ignoreTypes(true, false, true);
        input.on('message', onMessage);
        input.openPort(index);
        return {
          close: () => {
            input.removeAllListeners('message');
            input.closePort();
            input.destroy();
          },
        };
      },
      openOutput(index) {
        const output = new midi.Output();
        output.openPort(index);
        return {
          send: (bytes) => output.sendMessage(bytes),
          close: () => {
            output.closePort();
            output.destroy();
          },
        };
      },
    };
  } catch (e) {
    return `RtMidi could not start (${describeError(e)})`;
  }
}

function names(p: { getPortCount(): number; getPortName(i: number): string }): string[] {
  const n = p.getPortCount();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(p.getPortName(i));
  return out;
}

/** The spec that means every input (the default): each connected port is opened, and any that appears later. */
export const ALL_INPUTS = '*';

/**
 * Ports `*` leaves alone: ALSA's loopback (it echoes whatever another program sends, never a controller) and
 * RtMidi's own client ports.
 */
const NOT_A_CONTROLLER = /^(Midi Through|RtMidi)/i;

/** Unplugged or refused ports remembered for the status (the monitor lists them until they open again). */
const MAX_LOST_PORTS = 32;

/** Index of the port a spec means among `available`, skipping names already taken by other specs. */
export function matchPort(spec: PortSpec, available: string[], taken: ReadonlySet<string>): number {
  if (typeof spec === 'number') return spec < available.length && !taken.has(available[spec]!) ? spec : -1;
  const needle = spec.toLowerCase();
  return available.findIndex((n) => n.toLowerCase().includes(needle) && !taken.has(n));
}

interface OpenInput {
  spec: PortSpec;
  name: string;
  handle: MidiInputHandle;
}

/** An input as the monitor lists it: open, waiting for a match, unplugged (gone) or refused by the system (failed). */
export interface MidiInputStatus {
  spec: PortSpec;
  /** The port's name; null while nothing matches the spec. */
  name: string | null;
  state: 'open' | 'waiting' | 'gone' | 'failed';
  /** Why opening failed. */
  error?: string;
}

export interface MidiPortStatus {
  inputs: MidiInputStatus[];
  output: { spec: PortSpec; name: string | null } | null;
}

export class MidiPorts {
  /** Open inputs by spec; those opened for `*` by `*` and their port name. */
  private readonly open = new Map<PortSpec, OpenInput>();
  private readonly every: boolean;
  private readonly named: PortSpec[];
  private summaryLogged = false;
  private output: { spec: PortSpec; name: string; handle: MidiOutputHandle } | null = null;
  private readonly waitingLogged = new Set<PortSpec>();
  /** Ports that were open and vanished, or that would not open, by name, until they open (again). */
  private readonly lost = new Map<string, { spec: PortSpec; state: 'gone' | 'failed'; error?: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: MidiBackend,
    private readonly inputs: PortSpec[],
    private readonly outputSpec: PortSpec | undefined,
    /** Called for every message with the name of the port it came from. */
    private readonly onMessage: (port: string, deltaTime: number, bytes: number[]) => void,
  ) {
    this.every = inputs.includes(ALL_INPUTS);
    this.named = inputs.filter((i) => i !== ALL_INPUTS);
  }

  /** Scan now, then every `rescanS` seconds (0: never again). */
  start(rescanS: number): void {
    this.scan();
    if (rescanS > 0) {
      this.timer = setInterval(() => this.scan(), rescanS * 1000);
      this.timer.unref();
    }
  }

  /** Close ports that vanished, open (or reopen) ports that match a spec. Never throws. */
  scan(): void {
    let available: string[];
    let outputs: string[];
    try {
      available = this.backend.inputNames();
      outputs = this.outputSpec === undefined ? [] : this.backend.outputNames();
    } catch (e) {
      log.limited('warn', 'scan', `MIDI port scan failed: ${describeError(e)}`, 30000);
      return;
    }
    // One that would not open and is no longer there has nothing left to say.
    for (const [name, l] of this.lost) if (l.state === 'failed' && !available.includes(name)) this.lost.delete(name);
    for (const [spec, o] of this.open) {
      if (!available.includes(o.name)) {
        this.closeInput(spec, o);
        this.remember(o.name, { spec: o.spec, state: 'gone' });
        log.warn(`MIDI in '${o.name}' is gone (unplugged?); waiting for it to come back`);
      }
    }
    const taken = new Set([...this.open.values()].map((o) => o.name));
    for (const spec of this.named) {
      if (this.open.has(spec)) continue;
      const i = matchPort(spec, available, taken);
      if (i < 0) {
        if (!this.waitingLogged.has(spec)) {
          this.waitingLogged.add(spec);
          log.warn(
            `no MIDI input matches ${JSON.stringify(spec)} (inputs: ${available.map((n) => `'${n}'`).join(', ') || 'none'}); waiting for it`,
          );
        }
        continue;
      }
      if (this.openPort(spec, spec, i, available[i]!)) {
        taken.add(available[i]!);
        this.waitingLogged.delete(spec);
      }
    }
    if (this.every) {
      available.forEach((name, i) => {
        if (!taken.has(name) && !NOT_A_CONTROLLER.test(name) && this.openPort(`${ALL_INPUTS}${name}`, ALL_INPUTS, i, name)) taken.add(name);
      });
    }
    this.scanOutput(outputs);
    this.logSummary(available);
  }

  private openPort(key: PortSpec, spec: PortSpec, index: number, name: string): boolean {
    try {
      const handle = this.backend.openInput(index, (dt, bytes) => this.onMessage(name, dt, bytes));
      this.open.set(key, { spec, name, handle });
      this.lost.delete(name);
      log.info(`MIDI in: '${name}' (for ${spec === ALL_INPUTS ? 'every input' : JSON.stringify(spec)})`);
      return true;
    } catch (e) {
      this.remember(name, { spec, state: 'failed', error: describeError(e) });
      log.limited('warn', `open-${name}`, `cannot open MIDI in '${name}': ${describeError(e)}`, 30000);
      return false;
    }
  }

  /** Port names come from the system and come and go: the list of lost ones is capped (oldest forgotten). */
  private remember(name: string, entry: { spec: PortSpec; state: 'gone' | 'failed'; error?: string }): void {
    // A port failing again on each rescan keeps its place in the list.
    this.lost.set(name, entry);
    if (this.lost.size > MAX_LOST_PORTS) this.lost.delete(this.lost.keys().next().value!);
  }

  /** After the first scan: one line saying which inputs are open, or that none is (and why it may be). */
  private logSummary(available: string[]): void {
    if (this.summaryLogged) return;
    this.summaryLogged = true;
    const names = this.openNames();
    if (names.length > 0) log.info(`MIDI inputs open: ${names.map((n) => `'${n}'`).join(', ')}`);
    else if (this.every && this.named.length === 0) {
      log.warn(`no MIDI input is open: none connected (ports: ${available.map((n) => `'${n}'`).join(', ') || 'none'}); any controller plugged in is opened`);
    }
  }

  /** Names of the inputs open now. */
  openNames(): string[] {
    return [...this.open.values()].map((o) => o.name);
  }

  private scanOutput(outputs: string[]): void {
    if (this.outputSpec === undefined) return;
    if (this.output && !outputs.includes(this.output.name)) {
      log.warn(`MIDI out '${this.output.name}' is gone; controller feedback paused until it returns`);
      safeClose(this.output.handle);
      this.output = null;
    }
    if (this.output) return;
    const i = matchPort(this.outputSpec, outputs, new Set());
    if (i < 0) {
      if (!this.waitingLogged.has(`out:${this.outputSpec}`)) {
        this.waitingLogged.add(`out:${this.outputSpec}`);
        log.warn(`no MIDI output matches ${JSON.stringify(this.outputSpec)} (outputs: ${outputs.map((n) => `'${n}'`).join(', ') || 'none'})`);
      }
      return;
    }
    try {
      this.output = { spec: this.outputSpec, name: outputs[i]!, handle: this.backend.openOutput(i) };
      this.waitingLogged.delete(`out:${this.outputSpec}`);
      log.info(`MIDI out (feedback): '${outputs[i]}'`);
    } catch (e) {
      log.limited('warn', 'open-out', `cannot open MIDI out '${outputs[i]}': ${describeError(e)}`, 30000);
    }
  }

  /** Send to the feedback output, if one is open; a failing send is logged, never thrown. */
  send(bytes: number[]): boolean {
    if (!this.output) return false;
    try {
      this.output.handle.send(bytes);
      return true;
    } catch (e) {
      log.limited('warn', 'send', `MIDI out '${this.output.name}': ${describeError(e)}`);
      return false;
    }
  }

  status(): MidiPortStatus {
    const lostFor = (spec: PortSpec): MidiInputStatus[] =>
      [...this.lost].filter(([, l]) => l.spec === spec).map(([name, l]) => ({ spec, name, state: l.state, ...(l.error ? { error: l.error } : {}) }));
    const named = this.named.map((spec): MidiInputStatus => {
      const o = this.open.get(spec);
      return o ? { spec, name: o.name, state: 'open' } : (lostFor(spec)[0] ?? { spec, name: null, state: 'waiting' });
    });
    const every = [...this.open.values()].filter((o) => o.spec === ALL_INPUTS).map((o): MidiInputStatus => ({ spec: ALL_INPUTS, name: o.name, state: 'open' }));
    const everyLost = this.every ? lostFor(ALL_INPUTS) : [];
    return {
      inputs: [
        ...named,
        ...(this.every ? (every.length + everyLost.length > 0 ? [...every, ...everyLost] : [{ spec: ALL_INPUTS, name: null, state: 'waiting' as const }]) : []),
      ],
      output: this.outputSpec === undefined ? null : { spec: this.outputSpec, name: this.output?.name ?? null },
    };
  }

  private closeInput(key: PortSpec, o: OpenInput): void {
    this.open.delete(key);
    safeClose(o.handle);
  }

  close(): void {
    clearInterval(this.timer);
    for (const [spec, o] of this.open) this.closeInput(spec, o);
    if (this.output) safeClose(this.output.handle);
    this.output = null;
  }
}

function safeClose(h: { close(): void }): void {
  try {
    h.close();
  } catch {
    // closing a port whose device is gone may throw; it is closed either way
  }
}
