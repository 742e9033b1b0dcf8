/** Small signal helpers shared by the audio tests (measurements, not assertions). */

/** Mono mix of planar channels. */
export function mono(channels: Float32Array[]): Float32Array {
  const n = channels[0]!.length;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i]! += ch[i]! / channels.length;
  return out;
}

/** Power of one frequency over x[from, to) (Goertzel), normalised by window length. */
export function goertzelPower(x: Float32Array, sampleRate: number, freqHz: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const n = to - from;
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

/** Energy (sum of squares) of x[from, to). */
export function energy(x: Float32Array, from: number, to: number): number {
  let e = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) e += x[i]! * x[i]!;
  return e;
}

export function rmsDb(x: Float32Array, from = 0, to = x.length): number {
  return 10 * Math.log10(energy(x, from, to) / (to - from));
}

export function peakDb(channels: Float32Array[]): number {
  let p = 0;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) p = Math.max(p, Math.abs(ch[i]!));
  return 20 * Math.log10(p);
}

/** One-pole high-pass (first difference smoothed): cheap emphasis of the highs for onset checks. */
export function highpass(x: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  const rc = 1 / (2 * Math.PI * cutoffHz);
  const a = rc / (rc + 1 / sampleRate);
  const y = new Float32Array(x.length);
  let prevX = 0;
  let prevY = 0;
  for (let i = 0; i < x.length; i++) {
    prevY = a * (prevY + x[i]! - prevX);
    prevX = x[i]!;
    y[i] = prevY;
  }
  return y;
}

/** One-pole low-pass. */
export function lowpass(x: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  const a = 1 - Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
  const y = new Float32Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += a * (x[i]! - s);
    y[i] = s;
  }
  return y;
}

/** Frequency estimate from rising zero crossings with linear interpolation between samples. */
export function zeroCrossingHz(x: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1]! < 0 && x[i]! >= 0) {
      const t = i - 1 + -x[i - 1]! / (x[i]! - x[i - 1]!);
      if (first < 0) first = t;
      else count++;
      last = t;
    }
  }
  return count > 0 ? (count * sampleRate) / (last - first) : 0;
}

/** A sine tone as a Float32Array. */
export function sine(freqHz: number, amplitude: number, frames: number, sampleRate: number, phase = 0): Float32Array {
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = amplitude * Math.sin(phase + (2 * Math.PI * freqHz * i) / sampleRate);
  return x;
}

/** Keeps every `factor`-th sample after three one-pole low-passes at `cutoffHz` (enough for band-energy checks). */
export function decimate(x: Float32Array, sampleRate: number, factor: number, cutoffHz: number): Float32Array {
  const y = lowpass(lowpass(lowpass(x, sampleRate, cutoffHz), sampleRate, cutoffHz), sampleRate, cutoffHz);
  const out = new Float32Array(Math.floor(y.length / factor));
  for (let i = 0; i < out.length; i++) out[i] = y[i * factor]!;
  return out;
}

/** Power summed over a band of ±`halfWidthRatio` around freqHz, sampled every `stepHz` (a line spectrum between
 * Goertzel points is not missed when stepHz is below the window's bin width). */
export function bandPower(x: Float32Array, sampleRate: number, freqHz: number, halfWidthRatio: number, stepHz: number, from = 0, to = x.length): number {
  let p = 0;
  for (let f = freqHz * (1 - halfWidthRatio); f <= freqHz * (1 + halfWidthRatio); f += stepHz) p += goertzelPower(x, sampleRate, f, from, to);
  return p;
}
