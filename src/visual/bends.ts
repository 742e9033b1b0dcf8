import type { Bend, FrameParams } from '../contracts/frameParams.js';
import { bendAspects, wrapShift, writeBendMatrix } from '../contracts/bend.js';
import type { Technique, TechniqueFrame, TargetSlot } from './technique.js';

/** The per-layer targets of network bending (one element per bendable layer). */
export interface BendSlots {
  zoom: TargetSlot;
  rotate: TargetSlot;
  tx: TargetSlot;
  ty: TargetSlot;
  scrollX: TargetSlot;
  scrollY: TargetSlot;
  mirrorX: TargetSlot;
  mirrorY: TargetSlot;
}

/**
 * Network bending: zoom, rotation (turns, counter-clockwise, in square pixels), translation plus a seamless
 * scroll integrated over the frame period, and mirroring, per bendable layer, as the one bend matrix
 * (contracts/bend.ts).
 */
export class Bends implements Technique {
  private readonly scrollX: Float64Array;
  private readonly scrollY: Float64Array;
  /** Width / height of each bendable layer: turns are made in square pixels. */
  private readonly aspect: Float64Array;

  constructor(
    private readonly numBend: number,
    layers: ReadonlyArray<{ bendIndex: number; resolution: number; width?: number; height?: number }>,
    private readonly s: BendSlots,
  ) {
    this.scrollX = new Float64Array(numBend);
    this.scrollY = new Float64Array(numBend);
    this.aspect = bendAspects(layers, numBend);
  }

  frame(v: Float64Array, f: TechniqueFrame, p: FrameParams): void {
    const s = this.s;
    for (let j = 0; j < this.numBend; j++) {
      this.scrollX[j] = wrapShift(this.scrollX[j]! + v[s.scrollX.offset + j]! * f.dt);
      this.scrollY[j] = wrapShift(this.scrollY[j]! + v[s.scrollY.offset + j]! * f.dt);
      writeBendMatrix(
        p.bend,
        j * 6,
        v[s.zoom.offset + j]!,
        v[s.rotate.offset + j]!,
        v[s.tx.offset + j]! + this.scrollX[j]!,
        v[s.ty.offset + j]! + this.scrollY[j]!,
        v[s.mirrorX.offset + j]! >= 0.5,
        v[s.mirrorY.offset + j]! >= 0.5,
        this.aspect[j]!,
      );
    }
  }

  /** The bends of the last frame by layer, for `trace` (allocates). */
  resolved(v: Float64Array): Bend[] {
    const s = this.s;
    const out: Bend[] = [];
    for (let j = 0; j < this.numBend; j++) {
      out.push({
        layer: j,
        zoom: v[s.zoom.offset + j]!,
        rotate: v[s.rotate.offset + j]!,
        tx: wrapShift(v[s.tx.offset + j]! + this.scrollX[j]!),
        ty: wrapShift(v[s.ty.offset + j]! + this.scrollY[j]!),
        mirrorX: v[s.mirrorX.offset + j]! >= 0.5,
        mirrorY: v[s.mirrorY.offset + j]! >= 0.5,
      });
    }
    return out;
  }
}
