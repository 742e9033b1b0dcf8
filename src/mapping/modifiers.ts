import { z } from 'zod';
import type { FrameContext } from './frameContext.js';

/**
 * The table of route modifiers. Each entry gives the YAML key, the zod schema of its value (the mapping schema
 * and the JSON Schema are built from these), the doc line, and a factory that compiles the value once into an
 * instance with preallocated state. Per frame, `apply` rewrites the route's values in place; state lives in
 * the instance (one per route, like an RxJS operator's closure), nothing is allocated.
 */

export interface ModifierInstance {
  apply(x: Float64Array, n: number, ctx: FrameContext): void;
}

export interface ModifierDef<S extends z.ZodType = z.ZodType> {
  key: string;
  schema: S;
  doc: string;
  example: string;
  create(value: z.output<S>, width: number): ModifierInstance;
}

function def<S extends z.ZodType>(d: ModifierDef<S>): ModifierDef {
  return d as unknown as ModifierDef;
}

const pair = z.tuple([z.number(), z.number()]);

/** exp(−dt/τ) step of a one-pole follower; τ = 0 follows at once. */
function follow(y: number, x: number, dt: number, ms: number): number {
  if (!(ms > 0)) return x;
  const a = 1 - Math.exp(-dt / (ms / 1000));
  return y + (x - y) * a;
}

export const CURVES = ['linear', 'exp', 'log', 'power', 'smoothstep'] as const;

const EXP_K = 4;
const EXP_NORM = Math.exp(EXP_K) - 1;
const LOG_K = 9;
const LOG_NORM = Math.log1p(LOG_K);

/** Curves map 0..1 onto 0..1 (values outside are clamped first). */
export function applyCurve(curve: (typeof CURVES)[number], v: number): number {
  const x = v < 0 ? 0 : v > 1 ? 1 : v;
  switch (curve) {
    case 'linear':
      return x;
    case 'exp':
      return (Math.exp(EXP_K * x) - 1) / EXP_NORM;
    case 'log':
      return Math.log1p(LOG_K * x) / LOG_NORM;
    case 'power':
      return x * x;
    case 'smoothstep':
      return x * x * (3 - 2 * x);
  }
}

const QUANTISE_PATTERN = /^(beat|bar|(\d+(?:\.\d+)?)\s*(beats?|bars?))$/;

export const COMBINE_MODES = ['sum', 'max', 'min', 'mean', 'product', 'mix'] as const;
export type CombineMode = (typeof COMBINE_MODES)[number];

export const MODIFIERS: ModifierDef[] = [
  def({
    key: 'combine',
    schema: z.enum(COMBINE_MODES),
    doc:
      'Only first, and only when `source` is a list: reduce the sources to one value — sum, max, min, mean, product, ' +
      'or mix (crossfade from the first source to the second by the third).',
    example: 'combine: max',
    create: () => ({ apply() {} }), // the route compiler performs the reduction (it sees every source)
  }),
  def({
    key: 'gain',
    schema: z.number(),
    doc: 'Multiply by a number.',
    example: 'gain: 2',
    create: (g) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) x[i]! *= g;
      },
    }),
  }),
  def({
    key: 'offset',
    schema: z.number(),
    doc: 'Add a number.',
    example: 'offset: -0.2',
    create: (o) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) x[i]! += o;
      },
    }),
  }),
  def({
    key: 'normalise',
    schema: pair,
    doc: 'Map the input range [lo, hi] onto 0..1 and clamp (e.g. `[90, 180]` for bpm).',
    example: 'normalise: [0.2, 0.8]',
    create: ([lo, hi]) => ({
      apply(x, n) {
        const span = hi - lo || 1;
        for (let i = 0; i < n; i++) {
          const v = (x[i]! - lo) / span;
          x[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
      },
    }),
  }),
  def({
    key: 'range',
    schema: pair,
    doc: 'Map 0..1 onto [lo, hi] (the target\'s units), e.g. `[0.5, 1.2]` for truncation.',
    example: 'range: [0.5, 1.2]',
    create: ([lo, hi]) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) x[i] = lo + x[i]! * (hi - lo);
      },
    }),
  }),
  def({
    key: 'clamp',
    schema: pair,
    doc: 'Clamp into [lo, hi].',
    example: 'clamp: [0, 1]',
    create: ([lo, hi]) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          x[i] = v < lo ? lo : v > hi ? hi : v;
        }
      },
    }),
  }),
  def({
    key: 'curve',
    schema: z.enum(CURVES),
    doc: 'Shape 0..1: linear, exp (slow start), log (fast start), power (square), smoothstep. Input is clamped to 0..1.',
    example: 'curve: exp',
    create: (curve) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) x[i] = applyCurve(curve, x[i]!);
      },
    }),
  }),
  def({
    key: 'power',
    schema: z.number().positive(),
    doc: 'x^k for x ≥ 0 (negative values keep their sign); k > 1 sharpens a chroma so the strongest pitch dominates.',
    example: 'power: 3',
    create: (k) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          x[i] = v >= 0 ? Math.pow(v, k) : -Math.pow(-v, k);
        }
      },
    }),
  }),
  def({
    key: 'invert',
    schema: z.literal(true),
    doc: '1 − x.',
    example: 'invert: true',
    create: () => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) x[i] = 1 - x[i]!;
      },
    }),
  }),
  def({
    key: 'threshold',
    schema: z.number(),
    doc: 'Values below the threshold become 0; the rest pass unchanged.',
    example: 'threshold: 0.3',
    create: (th) => ({
      apply(x, n) {
        for (let i = 0; i < n; i++) if (x[i]! < th) x[i] = 0;
      },
    }),
  }),
  def({
    key: 'gate',
    schema: z.number(),
    doc: 'Output 1 while the input is at or above the level, else 0, with 10 % hysteresis so it does not chatter.',
    example: 'gate: 0.5',
    create: (level, width) => {
      const open = new Uint8Array(width);
      const close = level * 0.9;
      return {
        apply(x, n) {
          for (let i = 0; i < n; i++) {
            const v = x[i]!;
            if (open[i]) {
              if (v < close) open[i] = 0;
            } else if (v >= level) open[i] = 1;
            x[i] = open[i]!;
          }
        },
      };
    },
  }),
  def({
    key: 'smooth',
    schema: z.strictObject({
      attackMs: z.number().min(0).default(0),
      releaseMs: z.number().min(0).default(0),
    }),
    doc: 'Causal exponential smoothing with separate time constants (ms) for rising (attack) and falling (release) values.',
    example: 'smooth: { attackMs: 20, releaseMs: 300 }',
    create: ({ attackMs, releaseMs }, width) => {
      const y = new Float64Array(width);
      let primed = false;
      return {
        apply(x, n, ctx) {
          for (let i = 0; i < n; i++) {
            const v = x[i]!;
            y[i] = primed ? follow(y[i]!, v, ctx.dt, v > y[i]! ? attackMs : releaseMs) : v;
            x[i] = y[i]!;
          }
          primed = true;
        },
      };
    },
  }),
  def({
    key: 'gaussian',
    schema: z.number().positive(),
    doc: 'Causal one-sided Gaussian smoothing over the past, σ in ms (weights exp(−age²/2σ²) over 3σ). Smoother than `smooth`, a little more lag.',
    example: 'gaussian: 80',
    create: (sigmaMs, width) => {
      // A ring of past values per element; sized for up to 240 fps over 3σ.
      const sigma = sigmaMs / 1000;
      const cap = Math.max(4, Math.ceil(3 * sigma * 240) + 2);
      const ring = new Float64Array(cap * width);
      const times = new Float64Array(cap);
      let head = 0;
      let count = 0;
      let now = 0;
      return {
        apply(x, n, ctx) {
          now += ctx.dt;
          times[head] = now;
          for (let i = 0; i < n; i++) ring[head * width + i] = x[i]!;
          head = (head + 1) % cap;
          if (count < cap) count++;
          for (let i = 0; i < n; i++) {
            let s = 0;
            let w = 0;
            for (let k = 1; k <= count; k++) {
              const slot = (head - k + cap) % cap;
              const age = now - times[slot]!;
              if (age > 3 * sigma) break;
              const wk = Math.exp(-(age * age) / (2 * sigma * sigma));
              s += wk * ring[slot * width + i]!;
              w += wk;
            }
            x[i] = w > 0 ? s / w : x[i]!;
          }
        },
      };
    },
  }),
  def({
    key: 'envelope',
    schema: z.strictObject({
      attackMs: z.number().min(0).default(0),
      decayMs: z.number().positive().default(250),
      threshold: z.number().default(0.5),
    }),
    doc:
      'Attack/decay envelope fired when the input rises through `threshold` (an event, an onset peak, a note); it peaks at the ' +
      'input value after attackMs, then decays exponentially (to 5 % after decayMs). Retriggers from the current level.',
    example: 'envelope: { attackMs: 0, decayMs: 300 }',
    create: ({ attackMs, decayMs, threshold }, width) => {
      const level = new Float64Array(width);
      const peak = new Float64Array(width);
      const start = new Float64Array(width);
      const age = new Float64Array(width).fill(Infinity);
      const prev = new Float64Array(width);
      const attackS = attackMs / 1000;
      const tau = decayMs / 1000 / 3;
      return {
        apply(x, n, ctx) {
          for (let i = 0; i < n; i++) {
            const v = x[i]!;
            if (v >= threshold && prev[i]! < threshold) {
              peak[i] = Math.max(v, level[i]!);
              start[i] = level[i]!;
              age[i] = 0;
            } else age[i]! += ctx.dt;
            prev[i] = v;
            const a = age[i]!;
            if (a === Infinity) level[i] = 0;
            else if (a < attackS) level[i] = start[i]! + (peak[i]! - start[i]!) * (a / attackS);
            else level[i] = peak[i]! * Math.exp(-(a - attackS) / tau);
            x[i] = level[i]!;
          }
        },
      };
    },
  }),
  def({
    key: 'hold',
    schema: z.number().min(0),
    doc: 'Peak hold: keep the highest value for this many ms, then follow the input again.',
    example: 'hold: 150',
    create: (ms, width) => {
      const held = new Float64Array(width);
      const since = new Float64Array(width).fill(Infinity);
      const holdS = ms / 1000;
      return {
        apply(x, n, ctx) {
          for (let i = 0; i < n; i++) {
            const v = x[i]!;
            since[i]! += ctx.dt;
            if (v >= held[i]! || since[i]! > holdS) {
              held[i] = v;
              since[i] = 0;
            }
            x[i] = held[i]!;
          }
        },
      };
    },
  }),
  def({
    key: 'quantise',
    schema: z
      .string()
      .regex(QUANTISE_PATTERN, { message: "expected 'beat', 'bar', or a count like '2 beats' / '4bars'" }),
    doc: "Sample and hold: the value changes only when a new beat, bar, or every n beats / bars starts ('beat', 'bar', '2 beats', '4 bars').",
    example: 'quantise: bar',
    create: (spec, width) => {
      const m = QUANTISE_PATTERN.exec(spec)!;
      const count = m[2] ? Number(m[2]) : 1;
      const unit: 'beats' | 'bars' = (m[3] ?? m[1]!).startsWith('beat') ? 'beats' : 'bars';
      const held = new Float64Array(width);
      let lastSlot = Number.NaN;
      return {
        apply(x, n, ctx) {
          const slot = Math.floor(ctx[unit] / count);
          if (slot !== lastSlot) {
            lastSlot = slot;
            for (let i = 0; i < n; i++) held[i] = x[i]!;
          }
          for (let i = 0; i < n; i++) x[i] = held[i]!;
        },
      };
    },
  }),
];

export const MODIFIER_KEYS = MODIFIERS.map((m) => m.key);
export const MODIFIER_BY_KEY = new Map(MODIFIERS.map((m) => [m.key, m]));

/** Reduce k source buffers of `width` values (laid out one after another in `buf`) into buf[0…width). */
export function combine(mode: CombineMode, buf: Float64Array, k: number, width: number): void {
  for (let i = 0; i < width; i++) {
    let acc = buf[i]!;
    switch (mode) {
      case 'sum':
      case 'mean':
        for (let j = 1; j < k; j++) acc += buf[j * width + i]!;
        if (mode === 'mean') acc /= k;
        break;
      case 'max':
        for (let j = 1; j < k; j++) acc = Math.max(acc, buf[j * width + i]!);
        break;
      case 'min':
        for (let j = 1; j < k; j++) acc = Math.min(acc, buf[j * width + i]!);
        break;
      case 'product':
        for (let j = 1; j < k; j++) acc *= buf[j * width + i]!;
        break;
      case 'mix': {
        const b = buf[width + i]!;
        const m = k > 2 ? buf[2 * width + i]! : 0.5;
        acc = acc + (b - acc) * m;
        break;
      }
    }
    buf[i] = acc;
  }
}
