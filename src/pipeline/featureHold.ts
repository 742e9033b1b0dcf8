import type { Features } from '../contracts/features.js';
import type { HeldFeatures } from '../contracts/stages.js';

/**
 * Bridges the hop rate (~100 Hz) and the frame rate (30–60 Hz) in audio time. Records wait here until a frame
 * asks for its time `t`; `take(t)` folds in every record stamped at or before `t` and leaves later ones for the
 * next frame, so a frame sees the same records however early or late the audio arrived (live or offline).
 *
 * Between hops the features are held, not interpolated: a frame sees the newest record at or before its time
 * (`latest`), plus the peak of every onset envelope and every event since the previous frame (a kick between
 * two frames is never lost). Interpolating would mean waiting for the next hop, one hop of extra latency.
 */
export class FeatureHold {
  private latest: Features | null = null;
  private readonly onsetMax = { all: 0, kick: 0, snare: 0, hats: 0 };
  private readonly events = new Set<string>();
  /** Records not yet due, in arrival (= time) order; `head` is the first not yet taken. */
  private pending: Features[] = [];
  private head = 0;

  push(f: Features): void {
    this.pending.push(f);
  }

  /**
   * The held state for the frame at audio time `t` (s): folds in every pending record with `f.t ≤ t`, then
   * resets the peaks and events for the next frame. Null before the first record is due.
   */
  take(t = Number.POSITIVE_INFINITY): HeldFeatures | null {
    const q = this.pending;
    while (this.head < q.length && q[this.head]!.t <= t) this.fold(q[this.head++]!);
    if (this.head === q.length) {
      q.length = 0;
      this.head = 0;
    } else if (this.head > 256) {
      q.splice(0, this.head);
      this.head = 0;
    }
    if (!this.latest) return null;
    const held: HeldFeatures = { latest: this.latest, onsetMax: { ...this.onsetMax }, events: new Set(this.events) };
    this.onsetMax.all = this.onsetMax.kick = this.onsetMax.snare = this.onsetMax.hats = 0;
    this.events.clear();
    return held;
  }

  private fold(f: Features): void {
    this.latest = f;
    const o = f.onset;
    const m = this.onsetMax;
    if (o.all > m.all) m.all = o.all;
    if (o.kick > m.kick) m.kick = o.kick;
    if (o.snare > m.snare) m.snare = o.snare;
    if (o.hats > m.hats) m.hats = o.hats;
    for (const e of f.events) this.events.add(e);
  }
}
