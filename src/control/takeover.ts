/**
 * Soft takeover: after a scene recall (or an OSC/ws set) a control's value and the physical knob disagree. What
 * happens when the knob moves depends on the mode:
 * - jump:   the value jumps to the knob at once.
 * - pickup: the knob does nothing until it reaches (or crosses) the value, then it takes over.
 * - scale:  the value moves toward the end the knob moves to, proportionally to the room left on each side, so the
 *           two meet at the end of travel at the latest (Ableton's "value scaling").
 * Pure and per control; the control stage keeps one TakeoverControl per MIDI source.
 */
import type { TakeoverMode } from './config.js';

export interface TakeoverControl {
  /** The control's current value 0..1 (what the mapper sees). */
  value: number;
  /** The knob's last physical position, NaN before the first movement. */
  physical: number;
  /** True while the knob and the value move together. */
  locked: boolean;
}

export function newTakeover(value = Number.NaN): TakeoverControl {
  return { value, physical: Number.NaN, locked: Number.isNaN(value) };
}

/**
 * The knob moved to `physical`. Updates `c` and returns true when the value changed.
 * A control without any value yet (NaN) simply takes the knob's position.
 */
export function moveKnob(c: TakeoverControl, mode: TakeoverMode, physical: number, tolerance: number): boolean {
  const prev = c.physical;
  c.physical = physical;
  if (c.locked || mode === 'jump' || Number.isNaN(c.value)) {
    c.locked = true;
    const changed = c.value !== physical;
    c.value = physical;
    return changed;
  }
  const before = c.value;
  if (mode === 'pickup') {
    // Reached within tolerance, or crossed the value between two readings (a fast move skips past it).
    const crossed = !Number.isNaN(prev) && (prev - c.value) * (physical - c.value) <= 0;
    if (Math.abs(physical - c.value) <= tolerance || crossed) {
      c.locked = true;
      c.value = physical;
    }
    return c.value !== before;
  }
  // scale: needs a direction, so the first reading after a recall only records the knob.
  if (!Number.isNaN(prev) && physical !== prev) {
    if (physical > prev) c.value += ((physical - prev) * (1 - c.value)) / (1 - prev);
    else c.value -= ((prev - physical) * c.value) / prev;
    c.value = Math.min(1, Math.max(0, c.value));
  }
  if (Math.abs(physical - c.value) <= tolerance) {
    c.locked = true;
    c.value = physical;
  }
  return c.value !== before;
}

/** Relative encoders move the value itself, so they never need takeover. Returns true when the value changed. */
export function stepKnob(c: TakeoverControl, steps: number, stepSize: number): boolean {
  const base = Number.isNaN(c.value) ? 0 : c.value;
  const next = Math.min(1, Math.max(0, base + steps * stepSize));
  const changed = next !== c.value;
  c.value = next;
  c.locked = true;
  return changed;
}

/** Something other than the knob set the value (scene recall, OSC, ws): the knob must take over again. */
export function setFromElsewhere(c: TakeoverControl, value: number, tolerance: number): void {
  c.value = value;
  c.locked = !Number.isNaN(c.physical) && Math.abs(c.physical - value) <= tolerance;
}
