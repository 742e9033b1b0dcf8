import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KickShape } from '../../src/analysis/kickShape.js';

const SR = 44100;
const BINS = 1024;
const BIN_HZ = SR / 2048;

/** One hop's magnitude spectrum: `low` at 40–110 Hz (the thump), `body` at 130–220 Hz (a snare's shell). */
function spectrum(low: number, body: number): Float32Array {
  const m = new Float32Array(BINS);
  for (let k = 0; k < BINS; k++) {
    const hz = k * BIN_HZ;
    if (hz >= 40 && hz <= 110) m[k] = low;
    else if (hz >= 130 && hz <= 220) m[k] = body;
  }
  return m;
}

/**
 * Drives `shape` through a hit: silence, then the hit's spectrum for three hops (the arm window). Returns the hop
 * after it.
 */
function hit(shape: KickShape, hop: number, low: number, body: number): number {
  for (let i = 0; i < 4; i++) shape.track(spectrum(0, 0), hop++, 1);
  for (let i = 0; i < 3; i++) shape.track(spectrum(low * (i + 1), body * (i + 1)), hop++, 1);
  return hop;
}

test('a snare that booms like the kick is told from the kit\'s kicks by its wires share, with its body share', () => {
  const shape = new KickShape(BIN_HZ, BINS);
  let hop = 0;
  // Kicks: a thump with a little body, a clear beater click (wires share 0.2).
  for (let i = 0; i < 8; i++) {
    hop = hit(shape, hop, 1, 0.6);
    assert.equal(shape.boomSnareLike(0.2, true), false, 'a kick of the kit');
    shape.learnKick(0.2);
  }
  // A booming snare with a kick's body but the wires of a snare (2.5 times the kicks' share).
  hop = hit(shape, hop, 1, 0.6);
  assert.equal(shape.boomSnareLike(0.5, true), true, 'bright wires');
  // Without a full click it is left to the other tests.
  assert.equal(shape.boomSnareLike(0.5, false), false, 'no full click');
  // A kick struck with a louder hat (1.6 times the kicks' wires share) stays a kick …
  assert.equal(shape.boomSnareLike(0.32, true), false, 'a kick with a hat');
  // … but with a snare's body (twice the body share) that share is a snare's.
  hop = hit(shape, hop, 1, 1.5);
  assert.equal(shape.boomSnareLike(0.32, true), true, 'wires and body');
  // The kick's own click picked as a snare brings no more wires than the kicks; a snare's bring more.
  assert.equal(shape.kickClickLike(0.18), true);
  assert.equal(shape.kickClickLike(0.4), false);
});

test('kits whose kicks bring no consistent click of their own (a TR-808, hats on every kick) are left to the other tests', () => {
  const shape = new KickShape(BIN_HZ, BINS);
  let hop = 0;
  // The kicks' wires share spreads 0.1–2.5 (the click is the hats'), so a high share says nothing.
  const shares = [0.1, 2.2, 0.3, 1.6, 0.1, 2.5, 0.8, 0.1];
  for (const s of shares) {
    hop = hit(shape, hop, 1, 0.6);
    shape.learnKick(s);
  }
  hop = hit(shape, hop, 1, 1.5);
  assert.equal(shape.boomSnareLike(3, true), false);
  assert.equal(shape.kickClickLike(0.1), false);
  assert.equal(shape.kicksClick, false, 'the drums take the TR-808 snare-boom rule from this');
});

test('a kit whose kicks bring a consistent click says so; none before its first kick; relearning takes the next kick alone', () => {
  const shape = new KickShape(BIN_HZ, BINS);
  assert.equal(shape.kicksClick, false, 'no kick yet');
  let hop = 0;
  for (const s of [0.12, 0.15, 0.13, 0.14, 0.12, 0.16]) {
    hop = hit(shape, hop, 1, 0.6);
    shape.learnKick(s);
  }
  assert.equal(shape.kicksClick, true);
  assert.ok(Math.abs(shape.kickWires - 0.137) < 0.02, `typical wires share ${shape.kickWires}`);
  shape.relearnWires();
  hop = hit(shape, hop, 1, 0.6);
  shape.learnKick(0.4);
  assert.ok(Math.abs(shape.kickWires - 0.4) < 1e-9, `after relearning ${shape.kickWires}`);
  assert.equal(shape.kicksClick, true);
});
