/**
 * The metrical level's lock (levelLock.ts) on evidence given hop by hop (100 hops a second): it locks after
 * LEVEL_LOCK_S of evidence, holds through a lapse as short as a moving beat grid's dip in salience, and lets go when
 * drums return after a real lapse (a breakdown, the next track).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEVEL_LAPSE_S, LEVEL_LOCK_S, LevelLock } from '../../src/analysis/levelLock.js';

const HOP_RATE = 100;

function run(lock: LevelLock, evidence: boolean, seconds: number): boolean {
  let locked = lock.locked;
  for (let i = 0; i < Math.round(seconds * HOP_RATE); i++) locked = lock.step(evidence);
  return locked;
}

test('the level locks after LEVEL_LOCK_S of evidence, not before', () => {
  const lock = new LevelLock(HOP_RATE);
  assert.equal(run(lock, true, LEVEL_LOCK_S - 0.5), false);
  assert.equal(run(lock, true, 0.6), true);
});

test('a lapse of a few hops (the salience dip of a beat grid that moves under drums) keeps the lock', () => {
  const lock = new LevelLock(HOP_RATE);
  run(lock, true, LEVEL_LOCK_S + 1);
  assert.equal(run(lock, false, 0.16), true);
  // The evidence returns: the lock holds on at once (not after LEVEL_LOCK_S more).
  assert.equal(run(lock, true, 0.01), true);
  assert.equal(run(lock, true, 2), true);
});

test('drums returning after a lapse longer than LEVEL_LAPSE_S must play LEVEL_LOCK_S again before the level locks', () => {
  const lock = new LevelLock(HOP_RATE);
  run(lock, true, LEVEL_LOCK_S + 1);
  // Locked through the drumless passage itself…
  assert.equal(run(lock, false, LEVEL_LAPSE_S + 2), true);
  // …and open once drums return, until they have played long enough.
  assert.equal(run(lock, true, 0.01), false);
  assert.equal(run(lock, true, LEVEL_LOCK_S - 0.5), false);
  assert.equal(run(lock, true, 1), true);
});

test('drums returning without a cymbal (a breakdown\'s struck chords in the kick and snare envelopes) keep the lock until a cymbal comes with them', () => {
  const lock = new LevelLock(HOP_RATE);
  run(lock, true, LEVEL_LOCK_S + 1);
  run(lock, false, LEVEL_LAPSE_S + 2);
  let locked = true;
  for (let i = 0; i < 2 * HOP_RATE; i++) locked = lock.step(true, false);
  assert.equal(locked, true, 'locked through evidence without a cymbal');
  assert.equal(lock.step(true, true), false, 'open once a cymbal is heard with the returning drums');
});

test('a move to another level before the lock restarts the count; a locked level stays locked through one', () => {
  const lock = new LevelLock(HOP_RATE);
  run(lock, true, LEVEL_LOCK_S - 0.5);
  lock.restart();
  assert.equal(run(lock, true, 1), false, 'the evidence heard at the old level counts for nothing at the new one');
  assert.equal(run(lock, true, LEVEL_LOCK_S - 1.5), false);
  assert.equal(run(lock, true, 0.6), true);
  lock.restart();
  assert.equal(run(lock, true, 0.01), true, 'the drums moved a locked level up an octave: it stays locked there');
});
