import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostProcessor } from '../../src/render/post.js';
import { neutralPostParams } from '../../src/visual/types.js';

const solid = (n: number, v: number) => new Uint8Array(n * 4).map((_, i) => (i % 4 === 3 ? 255 : v));

test('neutral post hands the picture through; blackout paints black; contrast and brightness as the present shader', () => {
  const p = new PostProcessor(2, 2);
  const a = solid(4, 100);
  assert.equal(p.apply(a, neutralPostParams(), 0), a);
  const black = p.apply(a, { ...neutralPostParams(), blackout: true }, 0);
  assert.deepEqual(Array.from(black.subarray(0, 4)), [0, 0, 0, 255]);
  // (100/255 − 0.5)·2 + 0.5 + 0.1 → 0.3843 → 98
  const c = p.apply(a, { ...neutralPostParams(), contrast: 2, brightness: 0.1 }, 0);
  assert.equal(c[0], Math.round(((100 / 255 - 0.5) * 2 + 0.6) * 255));
  // A full hue turn leaves grey grey.
  const h = p.apply(a, { ...neutralPostParams(), hueShift: 1 }, 0);
  assert.ok(Math.abs(h[0]! - 100) <= 1);
});

test('trails mix in the previous picture, freeze repeats it, a scene change crossfades from the old scene; state survives save/load', () => {
  const p = new PostProcessor(1, 1);
  p.apply(solid(1, 200), neutralPostParams(), 'a');
  const t = p.apply(solid(1, 0), { ...neutralPostParams(), trails: 0.5 }, 'a');
  assert.equal(t[0], 100);
  const f = p.apply(solid(1, 50), { ...neutralPostParams(), freeze: true }, 'a');
  assert.equal(f[0], 100);
  const saved = p.save();
  const q = new PostProcessor(1, 1);
  q.load(saved.bytes, saved.scene);
  const x = p.apply(solid(1, 0), { ...neutralPostParams(), crossfade: 0.5 }, 'b');
  const y = q.apply(solid(1, 0), { ...neutralPostParams(), crossfade: 0.5 }, 'b');
  assert.equal(x[0], 50);
  assert.deepEqual(y, x);
});
