/**
 * One mlp.ts network that is the ensemble of several of the same depth: it runs them side by side (first layers
 * stacked, hidden layers block-diagonal) and its outputs are the sigmoid of the members' mean logit. Seeds of one
 * training differ as much as many changes to it do (the drum net: tools/drumnet/train.ts), and their mean is steadier
 * on sounds none of them trained on; as one weights file in the same format, the runtime needs no code of its own
 * for it, and costs the members' multiply-adds (plus the zeros of the block-diagonal layers).
 */
import type { MlpWeights } from '../src/analysis/mlp.js';

export function ensembleMlp(nets: MlpWeights[]): MlpWeights {
  if (nets.length === 0) throw new Error('an ensemble needs at least one net');
  const L = nets[0]!.sizes.length - 1;
  const inputs = nets[0]!.sizes[0]!;
  const outputs = nets[0]!.sizes[L]!;
  for (const n of nets) {
    if (n.sizes.length - 1 !== L || n.sizes[0] !== inputs || n.sizes[L] !== outputs) {
      throw new Error(`ensemble members differ in shape: ${nets.map((m) => m.sizes.join('×')).join(', ')}`);
    }
  }
  const sizes = [inputs];
  for (let l = 1; l < L; l++) sizes.push(nets.reduce((s, n) => s + n.sizes[l]!, 0));
  sizes.push(outputs);
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l]!;
    const W = new Float32Array(sizes[l + 1]! * nIn);
    const B = new Float32Array(sizes[l + 1]!);
    const last = l === L - 1;
    // Row and column offsets of each member's block.
    let row = 0;
    let col = 0;
    for (const n of nets) {
      const mIn = n.sizes[l]!;
      const mOut = n.sizes[l + 1]!;
      const scale = last ? 1 / nets.length : 1;
      for (let o = 0; o < mOut; o++) {
        const r = last ? o : row + o;
        for (let i = 0; i < mIn; i++) W[r * nIn + (l === 0 ? i : col + i)]! += scale * n.w[l]![o * mIn + i]!;
        B[r]! += scale * n.b[l]![o]!;
      }
      row += mOut;
      col += mIn;
    }
    w.push(W);
    b.push(B);
  }
  return { sizes, w, b };
}

/**
 * The seeds in environment variable `name` (comma-separated whole numbers; `fallback` where it is unset): one member
 * is trained per seed. Empty entries are skipped; anything else that is not a whole number throws, naming the variable.
 */
export function seedsOf(name: string, fallback: string): number[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .filter((v) => v.trim() !== '')
    .map((v) => {
      if (!/^\s*\d+\s*$/.test(v)) {
        throw new Error(`${name}: "${v}" is not a seed (a whole number; several are separated by commas)`);
      }
      return Number(v);
    });
}
