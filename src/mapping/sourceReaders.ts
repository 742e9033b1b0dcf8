import type { FrameContext } from './frameContext.js';

/**
 * The readers the source table (sources.ts) is built from: how a source compiles into a reader, scalar and vector
 * feature readers, control-state readers with OSC wildcards, and the LFO shapes.
 */

export interface SourceReader {
  /** 1 for scalars, 12 for chroma vectors. */
  width: number;
  /** Writes `width` values at out[offset…]; returns false when the source has no value yet. */
  read(ctx: FrameContext, out: Float64Array, offset: number): boolean;
}

export interface SourceDef {
  /** Exact name, or a pattern shown in the docs (`midi:cc:<ch>:<cc>`). */
  name: string;
  /** For patterned sources: how the name is recognised. */
  pattern?: RegExp;
  group: 'features' | 'events' | 'controls' | 'time';
  width: number;
  doc: string;
  example?: string;
  compile(name: string, m: RegExpExecArray | null): SourceReader;
}

export const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

export function scalar(fn: (ctx: FrameContext) => number, needsFeatures = true): SourceReader {
  return {
    width: 1,
    read(ctx, out, offset) {
      if (needsFeatures && !ctx.features) {
        out[offset] = 0;
        return true;
      }
      out[offset] = fn(ctx);
      return true;
    },
  };
}

export function feature(name: string, doc: string, fn: (ctx: FrameContext) => number): SourceDef {
  return { name, group: 'features', width: 1, doc, compile: () => scalar(fn) };
}

export function chromaVector(key: 'chroma' | 'bassChroma'): SourceReader {
  return {
    width: 12,
    read(ctx, out, offset) {
      const c = ctx.features?.[key];
      for (let i = 0; i < 12; i++) out[offset + i] = c ? (c[i] ?? 0) : 0;
      return true;
    },
  };
}

/** OSC 1.0 address patterns (`*`, `?`, `[a-z]`, `[!a]`, `{foo,bar}`) as a RegExp; used for every control key. */
export function controlPatternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        re += '\\{';
        continue;
      }
      re += '(?:' + pattern.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const WILDCARD = /[*?[{]/;

/**
 * A control source: reads ControlState.values by key. With wildcards, the value is the matching control that
 * changed most recently (so `osc:/fader/*` follows whichever fader moves); the matching keys are re-scanned
 * only when the set of keys grows, so a frame does not walk the whole map.
 */
export function controlReader(key: string): SourceReader {
  if (!WILDCARD.test(key)) {
    return {
      width: 1,
      read(ctx, out, offset) {
        const v = ctx.controls.values.get(key);
        if (v === undefined) return false;
        out[offset] = v;
        return true;
      },
    };
  }
  const re = controlPatternToRegExp(key);
  let seenSize = -1;
  let seenMap: Map<string, number> | null = null;
  let keys: string[] = [];
  let last: number[] = [];
  let value = 0;
  let has = false;
  return {
    width: 1,
    read(ctx, out, offset) {
      const values = ctx.controls.values;
      if (values.size !== seenSize || values !== seenMap) {
        seenSize = values.size;
        seenMap = values;
        const next: string[] = [];
        for (const k of values.keys()) if (re.test(k)) next.push(k);
        const nextLast = next.map((k) => {
          const i = keys.indexOf(k);
          return i >= 0 ? last[i]! : Number.NaN;
        });
        keys = next;
        last = nextLast;
      }
      for (let i = 0; i < keys.length; i++) {
        const v = values.get(keys[i]!);
        if (v === undefined) continue;
        if (!Object.is(v, last[i])) {
          last[i] = v;
          value = v;
          has = true;
        }
      }
      out[offset] = value;
      return has;
    },
  };
}

const LFO_SHAPES = ['sine', 'tri', 'saw', 'ramp', 'square'] as const;
export type LfoShape = (typeof LFO_SHAPES)[number];

export function lfoValue(shape: LfoShape, phase: number): number {
  const p = phase - Math.floor(phase);
  switch (shape) {
    case 'sine':
      return 0.5 - 0.5 * Math.cos(2 * Math.PI * p);
    case 'tri':
      return p < 0.5 ? 2 * p : 2 - 2 * p;
    case 'saw':
      return p;
    case 'ramp':
      return 1 - p;
    case 'square':
      return p < 0.5 ? 1 : 0;
  }
}
