import type { FrameParams, PostParams } from '../contracts/frameParams.js';
import type { Technique, TechniqueFrame, TargetSlot } from './technique.js';

/** One post parameter: a `post.<key>` target of the target table, and whether it is an on/off flag. */
export interface PostTarget {
  key: keyof PostParams;
  slot: TargetSlot;
  /** Flags are on while ≥ 0.5; blackout and freeze are also on while the control state says so. */
  flag: boolean;
}

/**
 * Post-processing for the display (brightness, contrast, hue, trails, crossfade, blackout, freeze): one write
 * per `post.*` target of the table (src/mapping/targets.ts), so a new post parameter is a table entry, its
 * PostParams field and its shader line.
 */
export class Post implements Technique {
  constructor(private readonly targets: readonly PostTarget[]) {}

  frame(v: Float64Array, f: TechniqueFrame, p: FrameParams): void {
    const post = p.post as unknown as Record<string, number | boolean>;
    for (let i = 0; i < this.targets.length; i++) {
      const t = this.targets[i]!;
      const x = v[t.slot.offset]!;
      if (!t.flag) post[t.key] = x;
      else post[t.key] = x >= 0.5 || (t.key === 'blackout' && f.controls.blackout) || (t.key === 'freeze' && f.controls.freeze);
    }
  }
}
