import type { FrameParams } from '../contracts/frameParams.js';
import { angleAround, catmullRomCoefs, slerpCoefs } from './interp.js';
import type { Technique, TechniqueFrame, TargetSlot } from './technique.js';

/** A latent generator as the mapping declares it (`latents.<name>`). */
export interface GeneratorSpec {
  bank: string;
  mode: 'weights' | 'loop' | 'index';
  order?: number[] | undefined;
  interp: 'slerp' | 'spline' | 'linear';
  bars: number;
}

/** Everything the mixer is compiled from; `fail` turns a problem into the mapping's error at `path`. */
export interface LatentMixerOptions {
  numWs: number;
  wDim: number;
  wAvg: Float32Array;
  /** Bank vectors by name, in declaration order. */
  banks: ReadonlyArray<{ name: string; vectors: Float32Array[]; capture?: { size: number; slot: TargetSlot } }>;
  generators: ReadonlyArray<{ name: string; spec: GeneratorSpec; rows: number[]; mix: TargetSlot; weights: TargetSlot | null; index: TargetSlot | null }>;
  pulls: ReadonlyArray<{ name: string; bank: string; index: number; rows: number[]; slot: TargetSlot }>;
  loopSpeed: TargetSlot;
  /** Set indices each generator belongs to (sections), or none. */
  setsOf(generator: string): number[];
  /** The section sets' weights this frame (written by SectionMix before the mixer runs). */
  setWeights: Float64Array;
  fail(path: Array<string | number>, message: string): Error;
}

interface Gen {
  name: string;
  bank: string;
  mode: GeneratorSpec['mode'];
  /** Global latent index of the bank's first vector (index 0 is w_avg). */
  base: number;
  n: number;
  order: number[];
  interp: GeneratorSpec['interp'];
  bars: number;
  /** Slerp angle between order[i] and order[i+1] (mode loop) or bank i and i+1 (mode index). */
  omegas: Float64Array;
  weightsSlot: TargetSlot | null;
  mixSlot: TargetSlot;
  indexSlot: TargetSlot | null;
  sets: number[];
  loopBars: number;
  position: number;
  /** The generator's own coefficients this frame, over global latent indices. */
  coefIdx: Int32Array;
  coefVal: Float64Array;
  ncoef: number;
  /** Weight of each bank latent this frame (for inspection). */
  bankWeights: Float64Array;
  effMix: number;
}

interface Pull {
  latent: number;
  slot: TargetSlot;
}

interface Segment {
  rows: number[];
  gens: Gen[];
  pulls: Pull[];
}

const scratch4 = new Float64Array(4);

/**
 * The latent techniques: chroma-weighted banks (`weights`), bar-locked loops through a bank (`loop`), an index
 * walked through a bank (`index`), pulls toward one latent, and captures of the current picture into a bank.
 * W+ rows that see the same generators and pulls share one computed vector (segments), and latents with a zero
 * coefficient are skipped, so a frame costs a few weighted sums of wDim floats.
 */
export class LatentMixer implements Technique {
  private readonly vecs: Float32Array[] = [];
  private readonly bankBase = new Map<string, number>();
  private readonly gens: Gen[] = [];
  private readonly segments: Segment[] = [];
  private readonly coef: Float64Array;
  private readonly captures: Array<{ bank: string; size: number; slot: TargetSlot; prev: number; next: number }> = [];
  private started = false;
  /** The previous frame's params (captures copy its W). */
  private last: FrameParams | null = null;

  constructor(private readonly o: LatentMixerOptions) {
    // Latents: index 0 is w_avg, then every bank in declaration order.
    this.vecs.push(o.wAvg);
    for (const b of o.banks) {
      this.bankBase.set(b.name, this.vecs.length);
      for (const v of b.vectors) this.vecs.push(v);
      if (b.capture) this.captures.push({ bank: b.name, size: b.capture.size, slot: b.capture.slot, prev: 0, next: 0 });
    }
    this.coef = new Float64Array(this.vecs.length);
    const bankSize = (name: string): number => o.banks.find((b) => b.name === name)!.vectors.length;

    for (const g of o.generators) {
      const n = bankSize(g.spec.bank);
      if (n === 0) throw o.fail(['latents', g.name, 'bank'], `bank '${g.spec.bank}' is empty`);
      const order = g.spec.order ?? Array.from({ length: n }, (_, i) => i);
      const badIdx = order.findIndex((i) => i >= n);
      if (badIdx >= 0) throw o.fail(['latents', g.name, 'order', badIdx], `index ${order[badIdx]} is beyond bank '${g.spec.bank}' (${n} latents, 0…${n - 1})`);
      const gen: Gen = {
        name: g.name,
        bank: g.spec.bank,
        mode: g.spec.mode,
        base: this.bankBase.get(g.spec.bank)!,
        n,
        order,
        interp: g.spec.interp,
        bars: g.spec.bars,
        omegas: new Float64Array(g.spec.mode === 'loop' ? order.length : n),
        weightsSlot: g.weights,
        mixSlot: g.mix,
        indexSlot: g.index,
        sets: o.setsOf(g.name),
        loopBars: 0,
        position: 0,
        coefIdx: new Int32Array(n + 5),
        coefVal: new Float64Array(n + 5),
        ncoef: 0,
        bankWeights: new Float64Array(n),
        effMix: 0,
      };
      this.computeOmegas(gen);
      this.gens.push(gen);
    }
    const pulls = o.pulls.map((p): Pull => {
      const n = bankSize(p.bank);
      if (p.index >= n) throw o.fail(['pulls', p.name, 'index'], `index ${p.index} is beyond bank '${p.bank}' (${n} latents, 0…${n - 1})`);
      return { latent: this.bankBase.get(p.bank)! + p.index, slot: p.slot };
    });

    // Segments: rows with the same generators and pulls share one computed W.
    const genRows = o.generators.map((g) => new Set(g.rows));
    const pullRows = o.pulls.map((p) => new Set(p.rows));
    const byKey = new Map<string, Segment>();
    for (let r = 0; r < o.numWs; r++) {
      const gi = this.gens.map((_, i) => i).filter((i) => genRows[i]!.has(r));
      const pi = pulls.map((_, i) => i).filter((i) => pullRows[i]!.has(r));
      const key = gi.join(',') + '|' + pi.join(',');
      let seg = byKey.get(key);
      if (!seg) {
        seg = { rows: [], gens: gi.map((i) => this.gens[i]!), pulls: pi.map((i) => pulls[i]!) };
        byKey.set(key, seg);
        this.segments.push(seg);
      }
      seg.rows.push(r);
    }
  }

  frame(v: Float64Array, f: TechniqueFrame, p: FrameParams): void {
    if (!this.started) {
      for (const g of this.gens) g.loopBars = f.clock.bars;
      this.started = true;
    }
    this.capture(v);
    this.coefficients(v, f);
    this.sum(v, p);
    this.last = p;
  }

  /** Per bank: the weight of each latent last frame; per generator: its effective mix and loop position. */
  resolved(): { latentWeights: Record<string, number[]>; latentMix: Record<string, number>; loop: Record<string, number> } {
    const latentWeights: Record<string, number[]> = {};
    const latentMix: Record<string, number> = {};
    const loop: Record<string, number> = {};
    for (const g of this.gens) {
      const acc = (latentWeights[g.bank] ??= new Array<number>(g.n).fill(0));
      for (let i = 0; i < g.n; i++) acc[i] = acc[i]! + g.bankWeights[i]!;
      latentMix[g.name] = g.effMix;
      if (g.mode === 'loop') loop[g.name] = g.position;
    }
    return { latentWeights, latentMix, loop };
  }

  /** A rising capture target copies the previous frame's mean W into the bank's next slot (a ring). */
  private capture(v: Float64Array): void {
    if (this.captures.length === 0) return;
    const { numWs, wDim } = this.o;
    for (const c of this.captures) {
      const val = v[c.slot.offset]!;
      if (val >= 0.5 && c.prev < 0.5 && this.last) {
        const dst = this.vecs[this.bankBase.get(c.bank)! + c.next]!;
        dst.fill(0);
        const ws = this.last.ws;
        for (let r = 0; r < numWs; r++) for (let i = 0; i < wDim; i++) dst[i] = dst[i]! + ws[r * wDim + i]! / numWs;
        c.next = (c.next + 1) % c.size;
        for (const g of this.gens) if (g.bank === c.bank) this.computeOmegas(g);
      }
      c.prev = val;
    }
  }

  private coefficients(v: Float64Array, f: TechniqueFrame): void {
    const speed = v[this.o.loopSpeed.offset]!;
    const tmp = scratch4;
    const setWeights = this.o.setWeights;
    for (let gi = 0; gi < this.gens.length; gi++) {
      const g = this.gens[gi]!;
      let factor = 1;
      if (setWeights.length > 0 && g.sets.length > 0) {
        factor = 0;
        for (let k = 0; k < g.sets.length; k++) factor += setWeights[g.sets[k]!]!;
      }
      const mix = v[g.mixSlot.offset]!;
      g.effMix = (mix > 0 ? mix : 0) * factor;
      g.ncoef = 0;
      g.bankWeights.fill(0);
      if (g.mode === 'weights') {
        const ws = g.weightsSlot!;
        let sum = 0;
        for (let i = 0; i < g.n; i++) {
          const w = v[ws.offset + i]!;
          if (w > 0) sum += w;
        }
        for (let i = 0; i < g.n; i++) {
          const w = v[ws.offset + i]!;
          const c = sum > 1e-12 ? (w > 0 ? w / sum : 0) : 1 / g.n;
          g.bankWeights[i] = c;
          if (c !== 0) this.pushCoef(g, g.base + i, c);
        }
      } else if (g.mode === 'loop') {
        g.loopBars += f.clock.dBars * speed;
        const pos = g.loopBars / g.bars;
        g.position = pos - Math.floor(pos);
        const L = g.order.length;
        const u = g.position * L;
        this.pathCoefs(g, g.order, Math.floor(u) % L, u - Math.floor(u), L, tmp);
      } else {
        const idx = v[g.indexSlot!.offset]!;
        const n = g.n;
        const fl = Math.floor(idx);
        g.position = idx;
        this.pathCoefs(g, null, ((fl % n) + n) % n, idx - fl, n, tmp);
      }
    }
  }

  /** Per segment: mix generators (normalised effective mixes), apply pulls, sum the vectors once. */
  private sum(v: Float64Array, p: FrameParams): void {
    const { wDim } = this.o;
    const coef = this.coef;
    const vecs = this.vecs;
    const ws = p.ws;
    for (let si = 0; si < this.segments.length; si++) {
      const seg = this.segments[si]!;
      coef.fill(0);
      let total = 0;
      for (let k = 0; k < seg.gens.length; k++) total += seg.gens[k]!.effMix;
      if (total <= 1e-9) coef[0] = 1;
      else {
        for (let k = 0; k < seg.gens.length; k++) {
          const g = seg.gens[k]!;
          if (g.effMix <= 0) continue;
          const s = g.effMix / total;
          for (let j = 0; j < g.ncoef; j++) coef[g.coefIdx[j]!] = coef[g.coefIdx[j]!]! + s * g.coefVal[j]!;
        }
      }
      for (let k = 0; k < seg.pulls.length; k++) {
        const pl = seg.pulls[k]!;
        let s = v[pl.slot.offset]!;
        s = s < 0 ? 0 : s > 1 ? 1 : s;
        if (s === 0) continue;
        for (let i = 0; i < coef.length; i++) coef[i] = coef[i]! * (1 - s);
        coef[pl.latent] = coef[pl.latent]! + s;
      }
      const row0 = seg.rows[0]! * wDim;
      ws.fill(0, row0, row0 + wDim);
      for (let g = 0; g < coef.length; g++) {
        const c = coef[g]!;
        if (c > -1e-12 && c < 1e-12) continue;
        const vec = vecs[g]!;
        for (let i = 0; i < wDim; i++) ws[row0 + i] = ws[row0 + i]! + c * vec[i]!;
      }
      for (let k = 1; k < seg.rows.length; k++) ws.copyWithin(seg.rows[k]! * wDim, row0, row0 + wDim);
    }
  }

  /** Coefficients along a path of bank latents (a loop's `order`, or the bank itself): segment i, fraction f. */
  private pathCoefs(g: Gen, order: number[] | null, i: number, f: number, L: number, tmp: Float64Array): void {
    if (g.interp === 'spline') {
      catmullRomCoefs(f, tmp);
      for (let k = 0; k < 4; k++) this.addBank(g, pathAt(order, i - 1 + k, L), tmp[k]!);
    } else {
      if (g.interp === 'slerp') slerpCoefs(g.omegas[i]!, f, tmp);
      else {
        tmp[0] = 1 - f;
        tmp[1] = f;
      }
      this.addBank(g, pathAt(order, i, L), tmp[0]!);
      this.addBank(g, pathAt(order, i + 1, L), tmp[1]!);
      // Slerp around w_avg: the centre takes what the two do not.
      this.pushCoef(g, 0, 1 - tmp[0]! - tmp[1]!);
    }
  }

  private addBank(g: Gen, bankIndex: number, c: number): void {
    g.bankWeights[bankIndex] = g.bankWeights[bankIndex]! + c;
    this.pushCoef(g, g.base + bankIndex, c);
  }

  private pushCoef(g: Gen, idx: number, c: number): void {
    g.coefIdx[g.ncoef] = idx;
    g.coefVal[g.ncoef] = c;
    g.ncoef++;
  }

  private computeOmegas(g: Gen): void {
    const seq = g.mode === 'loop' ? g.order : Array.from({ length: g.n }, (_, i) => i);
    for (let i = 0; i < seq.length; i++) {
      const a = this.vecs[g.base + seq[i]!]!;
      const b = this.vecs[g.base + seq[(i + 1) % seq.length]!]!;
      g.omegas[i] = angleAround(a, b, this.vecs[0]!);
    }
  }
}

/** Bank index of step k of a path (wrapping), through `order` when given. */
function pathAt(order: number[] | null, k: number, L: number): number {
  const j = ((k % L) + L) % L;
  return order ? order[j]! : j;
}
