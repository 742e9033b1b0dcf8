/**
 * Cues as one-frame pulses: a cue fired between two frames reads 1 on the next frame taken and 0 on the one after.
 * Sets, so a cue pressed twice before a frame is one pulse, and nothing grows while no pipeline takes frames.
 */
export class CuePulses {
  private pending = new Set<string>();
  private shown = new Set<string>();

  fire(key: string): void {
    this.pending.add(key);
  }

  /** Called once per frame: writes this frame's pulses (1) and clears the last frame's (0) into `values`. */
  take(values: Map<string, number>): void {
    if (this.shown.size > 0) {
      for (const c of this.shown) values.set(c, 0);
      this.shown.clear();
    }
    if (this.pending.size > 0) {
      for (const c of this.pending) values.set(c, 1);
      [this.shown, this.pending] = [this.pending, this.shown];
    }
  }
}
