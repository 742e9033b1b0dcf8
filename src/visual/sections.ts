import { smoothstep01 } from './interp.js';

/**
 * Section sets: position 0 plays the first set, 1 the second …; between two integers the two neighbours
 * crossfade over a window `crossfade` wide (0 = hard switch at the midpoint, 1 = the whole step).
 */
export function sectionWeights(position: number, crossfade: number, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  if (n === 0) return;
  const p = position < 0 ? 0 : position > n - 1 ? n - 1 : position;
  const i0 = Math.floor(p);
  const f = p - i0;
  if (i0 >= n - 1) {
    out[n - 1] = 1;
    return;
  }
  const k = crossfade <= 0 ? (f >= 0.5 ? 1 : 0) : smoothstep01((f - 0.5) / crossfade + 0.5);
  out[i0] = 1 - k;
  out[i0 + 1] = k;
}

export type CueQuantise = 'none' | 'beat' | 'bar';

/**
 * Manual cues over the automatic section position: a cue waits for the next beat or bar, then fades from where
 * the picture is to the cued set over fadeMs; cue −1 fades back to the automatic position.
 */
export class CueState {
  private pending: number | null = null;
  private active = -1;
  private fromPos = 0;
  private fadeAgeS = Infinity;
  private lastOut = 0;

  constructor(
    private readonly quantise: CueQuantise,
    private readonly fadeMs: number,
  ) {}

  /** Request a cue (set index, or −1 for automatic). Repeating the active cue is a no-op. */
  cue(index: number): void {
    if (index === this.active && this.pending === null) return;
    this.pending = index;
  }

  get cued(): number {
    return this.active;
  }

  /** The effective position this frame. */
  position(autoPos: number, dt: number, beatTick: boolean, barTick: boolean): number {
    if (this.pending !== null) {
      const now = this.quantise === 'none' || (this.quantise === 'beat' && (beatTick || barTick)) || (this.quantise === 'bar' && barTick);
      if (now) {
        this.active = this.pending;
        this.pending = null;
        this.fromPos = this.lastOut;
        this.fadeAgeS = 0;
      }
    }
    const goal = this.active < 0 ? autoPos : this.active;
    let out = goal;
    if (this.fadeAgeS !== Infinity) {
      this.fadeAgeS += dt;
      const k = this.fadeMs <= 0 ? 1 : this.fadeAgeS / (this.fadeMs / 1000);
      if (k >= 1) this.fadeAgeS = Infinity;
      else out = this.fromPos + (goal - this.fromPos) * smoothstep01(k);
    }
    this.lastOut = out;
    return out;
  }
}
