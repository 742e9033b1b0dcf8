/**
 * A mapping whose routes read MIDI while no MIDI input is open would look broken on stage: the performer moves a
 * fader and nothing happens. This says so once per mapping version (at start and after each reload that still
 * reads MIDI), with the reason in words a performer can act on.
 */
import { ALL_INPUTS, type PortSpec } from './midiPorts.js';

/** Why no MIDI input is open: MIDI is unavailable (`unavailable`), turned off, or nothing matches. */
export function noMidiInputReason(unavailable: string | null, inputs: readonly PortSpec[]): string {
  if (unavailable !== null) return unavailable;
  if (inputs.length === 0) return 'control.midiInputs is empty';
  if (inputs.every((i) => i === ALL_INPUTS)) return 'no controller connected (see `latentvj devices`)';
  return `no input matches ${inputs.map((i) => JSON.stringify(i)).join(', ')} (see \`latentvj devices\`)`;
}

/** The warning for `sources` (a mapping's route sources) when `noInput` gives a reason, else null. */
export function midiUseWarning(sources: readonly string[], noInput: string | null): string | null {
  const used = sources.filter((src) => /^(control:)?midi:/.test(src));
  if (used.length === 0 || noInput === null) return null;
  return `the mapping reads MIDI (${used.slice(0, 4).join(', ')}${used.length > 4 ? ', …' : ''}) but no MIDI input is open: ${noInput}`;
}

/** Checks the running mapping now and once a second for a new version (the mapper reloads on save). */
export class MidiUseCheck {
  private checkedVersion: number | null = null;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly mapping: (() => { version: number; sources: readonly string[] }) | undefined,
    /** Why no MIDI input is open now, or null when one is. */
    private readonly noInput: () => string | null,
    private readonly warn: (line: string) => void,
  ) {
    if (mapping) {
      this.timer = setInterval(() => this.check(), 1000);
      this.timer.unref();
    }
  }

  check(): void {
    const m = this.mapping?.();
    if (!m || m.version === this.checkedVersion) return;
    this.checkedVersion = m.version;
    const line = midiUseWarning(m.sources, this.noInput());
    if (line) this.warn(line);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
