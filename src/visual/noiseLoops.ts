import type { FrameParams } from '../contracts/frameParams.js';
import { writeNoiseRow, type NoiseFields } from './noise.js';
import type { Technique, TechniqueClock, TechniqueFrame, TargetSlot } from './technique.js';

/** A noise loop's period: seconds, beats or bars (the mapping's noise.slow / noise.fast). */
export interface NoiseLoopPeriod {
  periodS?: number | undefined;
  periodBeats?: number | undefined;
  periodBars?: number | undefined;
}

export interface NoiseSlots {
  speed: TargetSlot;
  loop: TargetSlot;
  fast: TargetSlot;
  /** One element per noise layer. */
  strength: TargetSlot;
  /** One strength per mask region (null: the region's mask at full strength). */
  masks: ReadonlyArray<TargetSlot | null>;
}

/**
 * Noise loops and masks: a slow and a fast loop through the noise bank (periods in seconds, beats or bars,
 * following the musical clock), per-layer strengths, and the spatial masks with each region's strength folded
 * in, so Σ_r mask[r] is the per-pixel noise multiplier.
 */
export class NoiseLoops implements Technique {
  private slowTurns = 0;
  private fastTurns = 0;

  constructor(
    private readonly m: { numNoise: number; noiseBank: number; maskRegions: number; maskSize: number },
    private readonly fields: NoiseFields,
    private readonly slow: NoiseLoopPeriod,
    private readonly fast: NoiseLoopPeriod,
    /** Rasterised mask shapes [R × M × M]. */
    private readonly maskShapes: Float32Array,
    private readonly s: NoiseSlots,
  ) {}

  frame(v: Float64Array, f: TechniqueFrame, p: FrameParams): void {
    const m = this.m;
    const s = this.s;
    const speed = v[s.speed.offset]!;
    this.slowTurns = advance(this.slowTurns, this.slow, f.clock, f.dt, speed);
    this.fastTurns = advance(this.fastTurns, this.fast, f.clock, f.dt, speed);
    const K = m.noiseBank;
    if (K > 0 && m.numNoise > 0) {
      writeNoiseRow(p.noiseMix, 0, K, this.fields, v[s.loop.offset]!, v[s.fast.offset]!, this.slowTurns, this.fastTurns);
      for (let j = 1; j < m.numNoise; j++) p.noiseMix.copyWithin(j * K, 0, K);
    }
    for (let i = 0; i < s.strength.length; i++) {
      const x = v[s.strength.offset + i]!;
      p.noiseStrength[i] = x > 0 ? x : 0;
    }
    const M2 = m.maskSize * m.maskSize;
    for (let r = 0; r < m.maskRegions; r++) {
      const slot = s.masks[r];
      const k = slot ? v[slot.offset]! : 1;
      const o = r * M2;
      for (let i = 0; i < M2; i++) p.noiseMask[o + i] = this.maskShapes[o + i]! * k;
    }
  }
}

function advance(turns: number, loop: NoiseLoopPeriod, clock: TechniqueClock, dt: number, speed: number): number {
  let d: number;
  if (loop.periodS !== undefined) d = dt / loop.periodS;
  else if (loop.periodBeats !== undefined) d = clock.dBeats / loop.periodBeats;
  else d = clock.dBars / (loop.periodBars ?? 8);
  const next = turns + d * speed;
  return next - Math.floor(next);
}
