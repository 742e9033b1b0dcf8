import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catmullRomCoefs, slerpCoefs, angleAround } from '../../src/visual/interp.js';
import { defaultNoiseFields, writeNoiseRow, rasteriseMask } from '../../src/visual/noise.js';
import { writeBendMatrix, wrapShift } from '../../src/contracts/bend.js';
import { CueState, sectionWeights } from '../../src/visual/sections.js';
import { encodePng } from '../../src/contracts/png.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const close = (a: number, b: number, eps = 1e-9): boolean => Math.abs(a - b) <= eps;

test('slerp keeps the norm between two orthogonal latents of equal length; Catmull-Rom passes through its points', () => {
  const c = new Float32Array(2);
  const a = Float32Array.from([1, 0]);
  const b = Float32Array.from([0, 1]);
  const omega = angleAround(a, b, c);
  assert.ok(close(omega, Math.PI / 2, 1e-6));
  const k = new Float64Array(2);
  for (const t of [0, 0.25, 0.5, 0.9, 1]) {
    slerpCoefs(omega, t, k);
    const x = k[0]! * 1;
    const y = k[1]! * 1;
    assert.ok(close(Math.hypot(x, y), 1, 1e-6), `|slerp(${t})| = 1`);
  }
  const cr = new Float64Array(4);
  catmullRomCoefs(0, cr);
  assert.deepEqual(Array.from(cr), [0, 1, 0, 0]);
  catmullRomCoefs(1, cr);
  assert.ok(close(cr[2]!, 1) && close(cr[0]!, 0) && close(cr[1]!, 0) && close(cr[3]!, 0));
  catmullRomCoefs(0.37, cr);
  assert.ok(close(cr.reduce((s, v) => s + v, 0), 1), 'weights sum to 1');
});

test('noise mix rows have unit norm for every phase and mix (independent fields), and loop back after one turn', () => {
  const K = 5;
  const f = defaultNoiseFields(K);
  const row = new Float32Array(K);
  for (const loop of [0, 0.3, 1]) {
    for (const fast of [0, 0.5, 1]) {
      for (const turns of [0, 0.13, 0.5, 0.77]) {
        writeNoiseRow(row, 0, K, f, loop, fast, turns, turns * 3);
        const norm = Math.hypot(...row);
        assert.ok(close(norm, 1, 1e-6), `loop ${loop} fast ${fast} turns ${turns}: |row| = ${norm}`);
      }
    }
  }
  const a = new Float32Array(K);
  const b = new Float32Array(K);
  writeNoiseRow(a, 0, K, f, 1, 0.4, 0.2, 0.7);
  writeNoiseRow(b, 0, K, f, 1, 0.4, 1.2, 1.7);
  for (let i = 0; i < K; i++) assert.ok(close(a[i]!, b[i]!, 1e-6));
  writeNoiseRow(a, 0, K, f, 0, 0, 0.3, 0.3);
  assert.deepEqual(Array.from(a), [1, 0, 0, 0, 0], 'loop 0 = the checkpoint constant noise');
});

test('masks: a circle is 1 inside and 0 outside, halves split, gradients ramp', () => {
  const M = 16;
  const m = new Float32Array(M * M);
  rasteriseMask({ shape: 'circle', x: 0.5, y: 0.5, radius: 0.25, feather: 0, invert: false }, M, m, 0);
  assert.equal(m[8 * M + 8], 1);
  assert.equal(m[0], 0);
  rasteriseMask({ shape: 'half', side: 'left', feather: 0 }, M, m, 0);
  assert.equal(m[3 * M + 2], 1);
  assert.equal(m[3 * M + 13], 0);
  rasteriseMask({ shape: 'gradient', direction: 'y', from: 0, to: 1 }, M, m, 0);
  assert.ok(m[0]! < 0.05 && m[15 * M]! > 0.95);
  // An image mask: a 64×32 PNG, white on the right half, black on the left.
  const dir = mkdtempSync(join(tmpdir(), 'lvj-mask-'));
  try {
    const W = 64;
    const H = 32;
    const rgba = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rgba.fill(x >= W / 2 ? 255 : 0, (y * W + x) * 4, (y * W + x) * 4 + 3), (rgba[(y * W + x) * 4 + 3] = 255);
    const file = join(dir, 'mask.png');
    writeFileSync(file, encodePng(rgba, W, H));
    rasteriseMask({ shape: 'image', file, invert: false }, M, m, 0);
    assert.ok(close(m[5 * M + 2]!, 0, 1e-6) && close(m[5 * M + 13]!, 1, 1e-6));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bend matrices: identity, zoom 2 samples half the area, mirror flips, translation wraps every 2 widths', () => {
  const out = new Float32Array(6);
  writeBendMatrix(out, 0, 1, 0, 0, 0, false, false);
  assert.deepEqual(Array.from(out), [1, 0, 0, 0, 1, 0]);
  writeBendMatrix(out, 0, 2, 0, 0, 0, false, false);
  assert.deepEqual(Array.from(out), [0.5, 0, 0, 0, 0.5, 0]);
  writeBendMatrix(out, 0, 1, 0, 0, 0, true, false);
  assert.deepEqual(Array.from(out), [-1, 0, 0, 0, 1, 0]);
  writeBendMatrix(out, 0, 1, 0.25, 0, 0, false, false);
  assert.ok(close(out[0]!, 0, 1e-6) && close(Math.abs(out[1]!), 1, 1e-6), 'a quarter turn');
  assert.ok(close(wrapShift(0.5), 0.5) && close(wrapShift(1.5), -0.5) && close(wrapShift(-1.25), 0.75));
  const a = new Float32Array(6);
  const b = new Float32Array(6);
  writeBendMatrix(a, 0, 1, 0, 0.3, 0, false, false);
  writeBendMatrix(b, 0, 1, 0, 2.3, 0, false, false);
  assert.ok(close(a[2]!, b[2]!, 1e-6), 'a scroll of 2 widths lands where it started (reflection period)');
});

test('section weights crossfade between neighbours; a cue waits for the bar and fades', () => {
  const w = new Float64Array(3);
  sectionWeights(0, 0.5, w);
  assert.deepEqual(Array.from(w), [1, 0, 0]);
  sectionWeights(1.5, 0.5, w);
  assert.ok(close(w[1]!, 0.5) && close(w[2]!, 0.5));
  sectionWeights(1.2, 0.5, w);
  assert.deepEqual(Array.from(w), [0, 1, 0]);
  sectionWeights(7, 0, w);
  assert.deepEqual(Array.from(w), [0, 0, 1]);
  const cue = new CueState('bar', 100);
  assert.equal(cue.position(0.2, 0.01, false, false), 0.2);
  cue.cue(2);
  assert.equal(cue.position(0.2, 0.01, true, false), 0.2, 'a beat is not a bar');
  const p0 = cue.position(0.2, 0.01, false, true);
  assert.ok(p0 > 0.2 && p0 < 2, 'fading on the bar');
  let p = p0;
  for (let i = 0; i < 20; i++) p = cue.position(0.2, 0.01, false, false);
  assert.equal(p, 2);
  cue.cue(-1);
  for (let i = 0; i < 20; i++) p = cue.position(0.7, 0.01, false, i === 0);
  assert.equal(p, 0.7, 'back to automatic');
});
