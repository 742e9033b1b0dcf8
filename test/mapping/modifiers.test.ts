import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODIFIER_BY_KEY, combine, applyCurve } from '../../src/mapping/modifiers.js';
import { createFrameContext, type FrameContext } from '../../src/mapping/frameContext.js';
import { lfoValue, controlPatternToRegExp, findSource } from '../../src/mapping/sources.js';
import { resolveLayers } from '../../src/mapping/layers.js';
import { fakeManifest } from './helpers.js';

/** Runs a modifier over a sequence of scalar inputs at `fps`. */
function runMod(key: string, value: unknown, inputs: number[], fps = 100, each?: (ctx: FrameContext, i: number) => void): number[] {
  const mod = MODIFIER_BY_KEY.get(key)!.create(value as never, 1);
  const ctx = createFrameContext();
  ctx.dt = 1 / fps;
  const x = new Float64Array(1);
  return inputs.map((v, i) => {
    each?.(ctx, i);
    x[0] = v;
    mod.apply(x, 1, ctx);
    return x[0]!;
  });
}

const close = (a: number, b: number, eps = 1e-6): boolean => Math.abs(a - b) <= eps;

test('gain, offset, range, normalise, clamp, invert, threshold, power, curves', () => {
  assert.deepEqual(runMod('gain', 2, [0.25]), [0.5]);
  assert.deepEqual(runMod('offset', -0.5, [0.25]), [-0.25]);
  assert.deepEqual(runMod('range', [0.5, 1.5], [0, 0.5, 1]), [0.5, 1, 1.5]);
  assert.deepEqual(runMod('normalise', [90, 180], [45, 135, 200]), [0, 0.5, 1]);
  assert.deepEqual(runMod('clamp', [0, 1], [-1, 0.5, 2]), [0, 0.5, 1]);
  assert.deepEqual(runMod('invert', true, [0.25]), [0.75]);
  assert.deepEqual(runMod('threshold', 0.3, [0.2, 0.4]), [0, 0.4]);
  assert.deepEqual(runMod('power', 2, [0.5]), [0.25]);
  for (const c of ['linear', 'exp', 'log', 'power', 'smoothstep'] as const) {
    assert.ok(close(applyCurve(c, 0), 0) && close(applyCurve(c, 1), 1), `${c} maps 0→0, 1→1`);
  }
  assert.ok(applyCurve('exp', 0.5) < 0.5 && applyCurve('log', 0.5) > 0.5);
});

test('gate has hysteresis; smooth has separate attack and release', () => {
  assert.deepEqual(runMod('gate', 0.5, [0.4, 0.5, 0.46, 0.44, 0.6]), [0, 1, 1, 0, 1]);
  const up = runMod('smooth', { attackMs: 0, releaseMs: 1000 }, [0, 1, 0, 0]);
  assert.equal(up[1], 1, 'instant attack');
  assert.ok(close(up[2]!, Math.exp(-0.01), 1e-9), 'slow release: one 10 ms step of a 1 s time constant');
});

test('envelope fires on a rising edge, peaks after attackMs, decays to 5 % after decayMs', () => {
  const inputs = new Array<number>(60).fill(0);
  inputs[5] = 1;
  const out = runMod('envelope', { attackMs: 20, decayMs: 300, threshold: 0.5 }, inputs, 100);
  assert.equal(out[4], 0);
  assert.ok(out[6]! > 0 && out[6]! < 1, 'attacking');
  assert.ok(close(out[7]!, 1, 1e-9), 'peak after 20 ms');
  assert.ok(close(out[7 + 30]!, Math.exp(-3), 1e-6), '≈ 5 % after 300 ms');
  // A held input does not retrigger.
  const held = runMod('envelope', { attackMs: 0, decayMs: 100, threshold: 0.5 }, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 100);
  assert.ok(held[11]! < 0.1);
});

test('hold keeps a peak for its time; quantise changes only on the beat; gaussian is causal and smooth', () => {
  const h = runMod('hold', 50, [1, 0, 0, 0, 0, 0, 0, 0.2], 100);
  assert.deepEqual(h.slice(0, 5), [1, 1, 1, 1, 1]);
  assert.equal(h[7], 0.2);
  const q = runMod('quantise', 'beat', [0.1, 0.2, 0.3, 0.4, 0.5], 100, (ctx, i) => {
    ctx.beats = [0.5, 0.8, 1.1, 1.5, 2.01][i]!;
  });
  assert.deepEqual(q, [0.1, 0.1, 0.3, 0.3, 0.5]);
  const step = [...new Array(20).fill(0), ...new Array(40).fill(1)];
  const g = runMod('gaussian', 50, step, 100);
  assert.equal(g[19], 0, 'nothing before the step (causal)');
  for (let i = 21; i < 60; i++) assert.ok(g[i]! >= g[i - 1]! - 1e-12, 'monotone rise');
  assert.ok(g[59]! > 0.999);
});

test('combine reduces several sources; LFOs and control wildcards', () => {
  const buf = Float64Array.from([0.2, 0.6, 0.5]);
  combine('mix', buf, 3, 1);
  assert.ok(close(buf[0]!, 0.4));
  const b2 = Float64Array.from([0.2, 0.6]);
  combine('max', b2, 2, 1);
  assert.equal(b2[0], 0.6);
  assert.ok(close(lfoValue('sine', 0), 0) && close(lfoValue('sine', 0.5), 1) && close(lfoValue('square', 0.7), 0));
  assert.ok(controlPatternToRegExp('/fader/*').test('/fader/12'));
  assert.ok(!controlPatternToRegExp('/fader/*').test('/fader/1/x'));
  assert.ok(controlPatternToRegExp('/{a,b}/[0-3]').test('/b/2'));
  assert.ok(findSource('lfo.tri.4bars@0.25') && findSource('midi:cc:1:7') && findSource('chroma.F#') && !findSource('chroma.13x'));
});

test('layer ranges: names follow the Karras bands, ranges and lists resolve against the manifest', () => {
  const m = fakeManifest(1024);
  assert.deepEqual(resolveLayers('low', m).rows, [0, 1, 2, 3]);
  assert.deepEqual(resolveLayers('mid', m).rows, [4, 5, 6, 7]);
  assert.equal(resolveLayers('high', m).rows.length, 10);
  assert.deepEqual(resolveLayers('2-4,16-', m).rows, [2, 3, 4, 16, 17]);
  assert.deepEqual(resolveLayers('-1', m).rows, [0, 1]);
  assert.deepEqual(resolveLayers('20-21', m).outside, [20, 21]);
});
