import type { FrameParams } from '../contracts/frameParams.js';
import type { ModelDirections } from '../contracts/directions.js';
import type { Technique, TargetSlot } from './technique.js';

/**
 * Steps the mixed W+ after the latent techniques: along the model's stored directions (`direction.<k>`, one amount
 * in σ per W row) and toward a class of a conditional model (`class`, by the difference of class means). Both
 * add to the latents before the generator's truncation, so at ψ < 1 a step shrinks with the rest of the latent.
 */

/** One `direction.<k>` target: a unit vector in W, its σ, and the per-row amounts slot (numWs long). */
export interface DirectionTarget {
  name: string;
  vector: Float32Array;
  sigma: number;
  slot: TargetSlot;
}

/**
 * The direction steps a mapping asks for, checked against the model's stored directions; `fail` turns a problem
 * into the mapping's error at the route that asked.
 */
export function createDirectionSteps(o: {
  numWs: number;
  wDim: number;
  directions: ModelDirections | null;
  wanted: ReadonlyArray<{ name: string; ref: { method: 'ganspace' | 'sefa'; index: number }; slot: TargetSlot; path: Array<string | number> }>;
  fail(path: Array<string | number>, message: string): Error;
}): DirectionSteps {
  const targets: DirectionTarget[] = [];
  for (const w of o.wanted) {
    if (!o.directions) throw o.fail(w.path, `'${w.name}' needs the model's directions; compute them with 'latentvj directions --model <dir>'`);
    const set = o.directions[w.ref.method];
    const k = w.ref.index;
    if (k >= set.components.length) {
      const prefix = w.ref.method === 'ganspace' ? 'direction' : 'direction.sefa';
      throw o.fail(w.path, `'${w.name}': this model has ${set.components.length} ${w.ref.method} directions (${prefix}.0 … ${prefix}.${set.components.length - 1})`);
    }
    targets.push({ name: w.name, vector: set.components[k]!, sigma: set.sigmas[k]!, slot: w.slot });
  }
  return new DirectionSteps(o.numWs, o.wDim, targets);
}

export class DirectionSteps implements Technique {
  constructor(
    private readonly numWs: number,
    private readonly wDim: number,
    private readonly targets: readonly DirectionTarget[],
  ) {}

  frame(values: Float64Array, _f: unknown, p: FrameParams): void {
    const wDim = this.wDim;
    const ws = p.ws;
    for (const t of this.targets) {
      const v = t.vector;
      for (let r = 0; r < this.numWs; r++) {
        const a = values[t.slot.offset + r]!;
        if (a === 0 || !Number.isFinite(a)) continue;
        const s = a * t.sigma;
        const o = r * wDim;
        for (let i = 0; i < wDim; i++) ws[o + i] = ws[o + i]! + s * v[i]!;
      }
    }
  }

  /** The amounts per W row of each direction this frame, by target name (for trace). */
  resolved(values: Float64Array): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const t of this.targets) out[t.name] = Array.from(values.subarray(t.slot.offset, t.slot.offset + this.numWs));
    return out;
  }
}

/**
 * `class`: w += μ(k) − μ_0 on every row, μ(k) the mean W of class k (fractions blend the two neighbouring means,
 * linearly; k wraps around the classes), μ_0 that of class 0, which seed, z and file banks of a conditional model
 * are mapped with. Below 0 (the base −1) nothing moves.
 */
export class ClassSteer implements Technique {
  private readonly delta: Float32Array;
  /** The class in effect last frame (−1: none), for trace. */
  value = -1;

  constructor(
    private readonly numWs: number,
    private readonly wDim: number,
    private readonly means: readonly Float32Array[],
    private readonly slot: TargetSlot,
  ) {
    this.delta = new Float32Array(wDim);
  }

  frame(values: Float64Array, _f: unknown, p: FrameParams): void {
    const k = values[this.slot.offset]!;
    if (!(k >= 0) || k === Infinity) {
      this.value = -1;
      return;
    }
    // Wraps around like a bank index, so a section count or a note number cycles through the classes.
    const n = this.means.length;
    const c = k % n;
    this.value = c;
    const i0 = Math.floor(c);
    const i1 = (i0 + 1) % n;
    const f = c - i0;
    const a = this.means[i0]!;
    const b = this.means[i1]!;
    const m0 = this.means[0]!;
    const d = this.delta;
    for (let i = 0; i < this.wDim; i++) d[i] = (1 - f) * a[i]! + f * b[i]! - m0[i]!;
    const ws = p.ws;
    for (let r = 0; r < this.numWs; r++) {
      const o = r * this.wDim;
      for (let i = 0; i < this.wDim; i++) ws[o + i] = ws[o + i]! + d[i]!;
    }
  }
}
