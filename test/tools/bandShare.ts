import { Biquad } from '../../src/analysis/filters.js';
import { STEM_RATE_HZ } from '../../tools/corpus/stem.js';

/** Share of a stem-rate sound's energy between loHz and hiHz (second-order high- and low-pass). */
export function bandShare(x: Float32Array, loHz: number, hiHz: number): number {
  const hp = Biquad.highpass(loHz, 0.7, STEM_RATE_HZ);
  const lp = Biquad.lowpass(hiHz, 0.7, STEM_RATE_HZ);
  let inBand = 0;
  let all = 0;
  for (const v of x) {
    const y = lp.process(hp.process(v));
    inBand += y * y;
    all += v * v;
  }
  return inBand / all;
}
