import type { Features } from './analysis/types.js';
import type { HeldFeatures } from './stages.js';

/**
 * Bridges the hop rate (~100 Hz) and the frame rate (30–60 Hz): keeps the newest Features plus the peak of
 * every onset envelope and every event since the last take(), so nothing that happened between frames is lost.
 */
export class FeatureHold {
  private latest: Features | null = null;
  private readonly onsetMax = { all: 0, kick: 0, snare: 0, hats: 0 };
  private readonly events = new Set<string>();

  push(f: Features): void {
    this.latest = f;
    const o = f.onset;
    const m = this.onsetMax;
    if (o.all > m.all) m.all = o.all;
    if (o.kick > m.kick) m.kick = o.kick;
    if (o.snare > m.snare) m.snare = o.snare;
    if (o.hats > m.hats) m.hats = o.hats;
    for (const e of f.events) this.events.add(e);
  }

  /** The held state for one frame; resets the peaks and events. Returns null before the first record. */
  take(): HeldFeatures | null {
    if (!this.latest) return null;
    const held: HeldFeatures = { latest: this.latest, onsetMax: { ...this.onsetMax }, events: new Set(this.events) };
    this.onsetMax.all = this.onsetMax.kick = this.onsetMax.snare = this.onsetMax.hats = 0;
    this.events.clear();
    return held;
  }
}
