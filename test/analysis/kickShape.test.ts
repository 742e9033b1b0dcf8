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

test('a snare that booms like the kick, with twice its wires share and body share, is told from the kit\'s kicks', () => {
  const shape = new KickShape(BIN_HZ, BINS);
  let hop = 0;
  // Kicks: a thump with a little body, a clear beater click (wires share 0.12, as TimGM's room kit's kicks).
  for (let i = 0; i < 8; i++) {
    hop = hit(shape, hop, 1, 0.6);
    assert.equal(shape.boomSnareLike(0.12, true), false, 'a kick of the kit');
    shape.learnKick(0.12);
  }
  // The booming snare: as much thump, more body, wires share 0.38.
  hop = hit(shape, hop, 1, 1.2);
  assert.equal(shape.boomSnareLike(0.38, true), true, 'a booming snare');
  // Without a full click it is judged by the other tests only.
  assert.equal(shape.boomSnareLike(0.38, false), false, 'no full click');
  // A kick of the kit struck with a louder hat (wires share up to 1.5 times the kit's) stays a kick.
  hop = hit(shape, hop, 1, 0.6);
  assert.equal(shape.boomSnareLike(0.18, true), false, 'a kick with a hat');
  // The kick's own click picked as a snare: under 1.3 times the kicks' wires share; a snare's wires are over it.
  assert.equal(shape.kickClickLike(0.13), true);
  assert.equal(shape.kickClickLike(0.38), false);
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
});
