/**
 * Minibatch training of an mlp.ts network in plain loops (the drum net's; the chord net's trainer uses MlpTrainer
 * below with its own loss and augmentation): ReLU hidden layers, a sigmoid per output, binary cross-entropy where a
 * target is −1 left out, Adam (Kingma & Ba), L2 weight decay 1e-5. Inputs are standardised
 * (mean and spread of up to 20 000 samples) while training; the returned weights have that folded into the first
 * layer, so they read the raw inputs. Deterministic for a given `rnd`.
 */
import type { MlpWeights } from '../src/analysis/mlp.js';

export interface TrainSpec<S> {
  sizes: number[];
  epochs: number;
  rnd: () => number;
  samples: S[];
  input: (s: S, out: Float32Array) => void;
  /** Writes each output's target: 0, 1, or −1 (not in the loss). */
  target: (s: S, out: Float32Array) => void;
  /** The sample's weight in the loss (absent: 1). */
  weight?: (s: S) => number;
  batch?: number;
  lr?: number;
  /** After each epoch: its index, the mean loss and a getter of the folded weights so far. */
  onEpoch?: (epoch: number, loss: number, weights: () => MlpWeights) => void;
}

/** Weights reading raw inputs x from weights trained on (x − mean) / spread. */
export function foldStandardisation(net: MlpWeights, mean: Float64Array, spread: Float64Array): MlpWeights {
  const [nIn, nOut] = [net.sizes[0]!, net.sizes[1]!];
  const w0 = new Float32Array(net.w[0]!.length);
  const b0 = Float32Array.from(net.b[0]!);
  for (let o = 0; o < nOut; o++) {
    let shift = 0;
    for (let i = 0; i < nIn; i++) {
      const w = net.w[0]![o * nIn + i]! / spread[i]!;
      w0[o * nIn + i] = w;
      shift += w * mean[i]!;
    }
    b0[o] = b0[o]! - shift;
  }
  return { sizes: net.sizes.slice(), w: [w0, ...net.w.slice(1).map((w) => Float32Array.from(w))], b: [b0, ...net.b.slice(1).map((b) => Float32Array.from(b))] };
}

export function trainMlp<S>(spec: TrainSpec<S>): MlpWeights {
  const { sizes, rnd, samples } = spec;
  const BATCH = spec.batch ?? 64;
  const LR = spec.lr ?? 2e-3;
  const L = sizes.length - 1;
  const nIn = sizes[0]!;
  const nOut = sizes[L]!;
  const x = new Float32Array(nIn);
  const t = new Float32Array(nOut);
  // Standardisation from an evenly spaced subset.
  const mean = new Float64Array(nIn);
  const sq = new Float64Array(nIn);
  const step0 = Math.max(1, Math.floor(samples.length / 20000));
  let m = 0;
  for (let k = 0; k < samples.length; k += step0, m++) {
    spec.input(samples[k]!, x);
    for (let i = 0; i < nIn; i++) {
      mean[i]! += x[i]!;
      sq[i]! += x[i]! * x[i]!;
    }
  }
  const spread = new Float64Array(nIn);
  for (let i = 0; i < nIn; i++) {
    mean[i]! /= m;
    spread[i] = Math.sqrt(Math.max(sq[i]! / m - mean[i]! * mean[i]!, 0)) + 1e-4;
  }
  const tr = new MlpTrainer(sizes, rnd);
  const { acts, deltas } = tr;
  const order = samples.map((_, i) => i);
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const E = spec.epochs;
    const lr = LR * (epoch < E * 0.6 ? 1 : epoch < E * 0.85 ? 0.3 : 0.1);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const end = Math.min(order.length, start + BATCH);
      tr.zeroGrad();
      for (let s = start; s < end; s++) {
        const sample = samples[order[s]!]!;
        spec.input(sample, x);
        spec.target(sample, t);
        const wt = spec.weight ? spec.weight(sample) : 1;
        const a0 = acts[0]!;
        for (let i = 0; i < nIn; i++) a0[i] = (x[i]! - mean[i]!) / spread[i]!;
        const out = tr.forward();
        const dOut = deltas[L]!;
        for (let k = 0; k < nOut; k++) {
          const y = t[k]!;
          const p = out[k]!;
          if (y < 0) {
            dOut[k] = 0;
            continue;
          }
          lossSum -= wt * (y * Math.log(p + 1e-7) + (1 - y) * Math.log(1 - p + 1e-7));
          dOut[k] = wt * (p - y);
        }
        tr.backward();
      }
      tr.adam(lr, end - start);
    }
    spec.onEpoch?.(epoch, lossSum / order.length, () => foldStandardisation(tr.net, mean, spread));
  }
  return foldStandardisation(tr.net, mean, spread);
}

/**
 * The network being trained and its training state: Glorot-uniform weights drawn from `rnd` (layer by layer, zero
 * biases), a forward pass (ReLU hidden layers, sigmoid outputs), back-propagation into summed gradients, and Adam
 * steps. The caller writes the inputs into acts[0] and the output deltas into deltas[L] (its loss's gradient).
 */
export class MlpTrainer {
  readonly net: MlpWeights;
  readonly acts: Float64Array[];
  readonly deltas: Float64Array[];
  private readonly params: Float32Array[];
  private readonly grads: Float64Array[];
  private readonly m1: Float64Array[];
  private readonly m2: Float64Array[];
  private steps = 0;

  constructor(
    readonly sizes: number[],
    rnd: () => number,
  ) {
    const L = sizes.length - 1;
    this.net = { sizes, w: [], b: [] };
    for (let l = 0; l < L; l++) {
      const lim = Math.sqrt(6 / sizes[l]!);
      this.net.w.push(Float32Array.from({ length: sizes[l]! * sizes[l + 1]! }, () => (2 * rnd() - 1) * lim));
      this.net.b.push(new Float32Array(sizes[l + 1]!));
    }
    this.params = [...this.net.w, ...this.net.b];
    this.grads = this.params.map((p) => new Float64Array(p.length));
    this.m1 = this.params.map((p) => new Float64Array(p.length));
    this.m2 = this.params.map((p) => new Float64Array(p.length));
    this.acts = sizes.map((n) => new Float64Array(n));
    this.deltas = sizes.map((n) => new Float64Array(n));
  }

  /** The forward pass from acts[0]; returns the outputs (acts[L]). */
  forward(): Float64Array {
    const { sizes, acts, net } = this;
    const L = sizes.length - 1;
    for (let l = 0; l < L; l++) {
      const xin = acts[l]!;
      const yout = acts[l + 1]!;
      const W = net.w[l]!;
      const B = net.b[l]!;
      const ni = sizes[l]!;
      for (let o = 0, row = 0; o < sizes[l + 1]!; o++, row += ni) {
        let z = B[o]!;
        for (let i = 0; i < ni; i++) z += W[row + i]! * xin[i]!;
        yout[o] = l === L - 1 ? 1 / (1 + Math.exp(-z)) : z > 0 ? z : 0;
      }
    }
    return acts[L]!;
  }

  /** Adds one sample's gradients, from the output deltas in deltas[L] and the activations of its forward pass. */
  backward(): void {
    const { sizes, acts, deltas, net, grads } = this;
    const L = sizes.length - 1;
    for (let l = L - 1; l >= 0; l--) {
      const xin = acts[l]!;
      const d = deltas[l + 1]!;
      const W = net.w[l]!;
      const gW = grads[l]!;
      const gB = grads[L + l]!;
      const ni = sizes[l]!;
      const dIn = deltas[l]!;
      if (l > 0) dIn.fill(0);
      for (let o = 0, row = 0; o < sizes[l + 1]!; o++, row += ni) {
        const dv = d[o]!;
        if (dv === 0) continue;
        gB[o]! += dv;
        for (let i = 0; i < ni; i++) {
          gW[row + i]! += dv * xin[i]!;
          if (l > 0) dIn[i]! += dv * W[row + i]!;
        }
      }
      if (l > 0) for (let i = 0; i < ni; i++) if (xin[i]! <= 0) dIn[i] = 0;
    }
  }

  zeroGrad(): void {
    for (const g of this.grads) g.fill(0);
  }

  /** One Adam step (Kingma & Ba) on the gradients averaged over `n` samples, with L2 decay 1e-5 on the weights. */
  adam(lr: number, n: number): void {
    const L = this.sizes.length - 1;
    this.steps++;
    const c1 = 1 - Math.pow(0.9, this.steps);
    const c2 = 1 - Math.pow(0.999, this.steps);
    for (let p = 0; p < this.params.length; p++) {
      const P = this.params[p]!;
      const G = this.grads[p]!;
      const M = this.m1[p]!;
      const V = this.m2[p]!;
      for (let i = 0; i < P.length; i++) {
        const g = G[i]! / n + (p < L ? 1e-5 * P[i]! : 0);
        M[i] = 0.9 * M[i]! + 0.1 * g;
        V[i] = 0.999 * V[i]! + 0.001 * g * g;
        P[i] = P[i]! - (lr * (M[i]! / c1)) / (Math.sqrt(V[i]! / c2) + 1e-8);
      }
    }
  }
}
