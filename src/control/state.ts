/**
 * The control state the mapper reads each frame: source values by name, explicit target overrides, scene, blackout,
 * freeze. One mutable object, updated by MIDI/OSC/ws as messages arrive and read synchronously by the frame clock
 * (the engine never waits, nothing is copied per frame).
 */
import { emptyControlState, type ControlState } from './types.js';

export class ControlStore {
  readonly state: ControlState = emptyControlState();
  /** Set a source value; returns false for a non-finite value (refused). */
  setSource(source: string, value: number): boolean {
    if (!Number.isFinite(value)) return false;
    // Wildcard sources (`osc:/fader/*`) are resolved by the mapper's readers against these concrete names.
    this.state.values.set(source, value);
    return true;
  }

  hasSource(source: string): boolean {
    return this.state.values.has(source);
  }

  setTarget(target: string, value: number): boolean {
    if (!Number.isFinite(value)) return false;
    this.state.targets.set(target, value);
    return true;
  }

  releaseTarget(target: string): boolean {
    return this.state.targets.delete(target);
  }

  /** Invariants the fuzz tests check: every value finite, flags boolean, scene a number or string. */
  valid(): boolean {
    const s = this.state;
    for (const v of s.values.values()) if (!Number.isFinite(v)) return false;
    for (const v of s.targets.values()) if (!Number.isFinite(v)) return false;
    return (
      typeof s.blackout === 'boolean' &&
      typeof s.freeze === 'boolean' &&
      (typeof s.scene === 'string' || (typeof s.scene === 'number' && Number.isFinite(s.scene)))
    );
  }
}
