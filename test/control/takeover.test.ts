import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveKnob, newTakeover, setFromElsewhere, stepKnob } from '../../src/control/takeover.js';
import type { TakeoverMode } from '../../src/control/config.js';

const TOL = 0.02;

/** Recall a value of 0.8 while the knob sits at 0.2, then sweep the knob; returns the values seen. */
function sweep(mode: TakeoverMode, positions: number[]): number[] {
  const c = newTakeover();
  moveKnob(c, mode, 0.2, TOL);
  setFromElsewhere(c, 0.8, TOL);
  return positions.map((p) => (moveKnob(c, mode, p, TOL), Math.round(c.value * 1000) / 1000));
}

test('takeover modes after a recall (table)', () => {
  const up = [0.3, 0.5, 0.7, 0.79, 0.9, 1];
  const table: Array<[TakeoverMode, number[], number[]]> = [
    // jump: the value follows the knob at once.
    ['jump', up, [0.3, 0.5, 0.7, 0.79, 0.9, 1]],
    // pickup: nothing until the knob reaches 0.8 ± tolerance, then it follows.
    ['pickup', up, [0.8, 0.8, 0.8, 0.79, 0.9, 1]],
    // scale: moves toward 1 proportionally: (1-0.8)/(1-0.2) = 0.25 per unit of knob travel, then meets it.
    ['scale', up, [0.825, 0.875, 0.925, 0.948, 0.975, 1]],
    // pickup by crossing: one fast move from below to above the value picks up.
    ['pickup', [0.5, 0.95, 0.9], [0.8, 0.95, 0.9]],
    // scale downward: value shrinks by value/knob per unit; meets the knob at 0 at the latest.
    ['scale', [0.1, 0.05, 0], [0.4, 0.2, 0]],
  ];
  for (const [mode, positions, want] of table) {
    assert.deepEqual(sweep(mode, positions), want, `${mode} ${positions.join(',')}`);
  }
});

test('scale meets the knob once they coincide, and then follows', () => {
  const c = newTakeover();
  moveKnob(c, 'scale', 0.0, TOL);
  setFromElsewhere(c, 0.5, TOL);
  for (let p = 0.05; p <= 1.0001; p += 0.05) moveKnob(c, 'scale', p, TOL);
  assert.equal(c.locked, true);
  moveKnob(c, 'scale', 0.3, TOL);
  assert.equal(c.value, 0.3);
});

test('a control never set takes the knob; a recall at the knob position stays locked', () => {
  const c = newTakeover();
  assert.equal(moveKnob(c, 'pickup', 0.6, TOL), true);
  assert.equal(c.value, 0.6);
  setFromElsewhere(c, 0.61, TOL);
  assert.equal(c.locked, true);
  moveKnob(c, 'pickup', 0.4, TOL);
  assert.equal(c.value, 0.4);
});

test('relative steps move the value and clamp to 0..1', () => {
  const c = newTakeover(0.5);
  stepKnob(c, 10, 0.01);
  assert.ok(Math.abs(c.value - 0.6) < 1e-12);
  stepKnob(c, -100, 0.01);
  assert.equal(c.value, 0);
  stepKnob(c, 1000, 0.01);
  assert.equal(c.value, 1);
});
