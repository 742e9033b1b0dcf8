import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flywheel } from '../../src/analysis/flywheel.js';

const PERIOD = 50;
const BAR = 4 * PERIOD;

/**
 * Steps a flywheel through 20 s of evidence at level 1 (100 hops a second, 120 BPM) and 1 s more of it at `tailLevel`
 * (the drums have stopped, the rhythm memory holds), then `after` hops without it, where `levelAt(i)` gives hop i's
 * level (0: silent). Returns the hops after the lapse that it carried.
 */
function carriedAfterLapse(after: number, levelAt: (i: number) => number, tailLevel = 0.03): number[] {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) fw.step(true, n + 1, false, n < 2000 ? 1 : tailLevel, PERIOD, 4);
  const carried: number[] = [];
  for (let i = 0; i < after; i++) {
    const level = levelAt(i);
    if (fw.step(false, 0, level === 0, level, PERIOD, 4)) carried.push(i);
  }
  return carried;
}

test('flywheel: a lapse in a chord\'s decay (29 dB under the groove) starts it at the next chord (13 dB under)', () => {
  // A piano's chord struck on each bar, decayed to 29 dB under the groove's level (which the 1 s tail lowers) when
  // the rhythm memory lets the evidence lapse; the next comes 0.8 s later, 13 dB under it.
  const carried = carriedAfterLapse(40 * BAR, (i) => (i < 80 ? 0.03 : 0.2));
  assert.ok(carried.length > 0, 'the flywheel never started');
  // The level is smoothed over 0.2 s: it reaches −20 dB a few hops after the chord.
  assert.ok(carried[0]! >= 80 && carried[0]! < 100, `started ${carried[0]} hops after the lapse`);
  // Bounded as a flywheel started at the lapse: 16 bars from it.
  assert.equal(carried[carried.length - 1], 16 * BAR - 1, 'carried until 16 bars after the lapse');
});

test('flywheel: music that stays 29 dB under the groove after the lapse (an ending\'s release) is not carried', () => {
  assert.deepEqual(carriedAfterLapse(20 * BAR, () => 0.03), []);
});

test('flywheel: a level that returns only after a bar (the next song of a playlist) is not carried', () => {
  assert.deepEqual(carriedAfterLapse(20 * BAR, (i) => (i < BAR + 20 ? 0.03 : 0.5)), []);
});

test('flywheel: a beat of silence after the lapse ends the wait', () => {
  assert.deepEqual(carriedAfterLapse(20 * BAR, (i) => (i < 70 ? 0 : 0.5)), []);
});

test('flywheel: 5 beats of evidence with 4 drum events in them are a groove (a start just before a break); '
  + 'with none (a bass line after a groove) it takes 8', () => {
  const lapseAfter = (beats: number, events: number): boolean => {
    const fw = new Flywheel(100);
    const hops = beats * PERIOD;
    for (let n = 0; n < hops; n++) fw.step(true, n + 1, false, 1, PERIOD, 4, n % PERIOD === 0 && n / PERIOD < events);
    return fw.step(false, 0, false, 0.5, PERIOD, 4);
  };
  assert.equal(lapseAfter(5, 4), true);
  assert.equal(lapseAfter(4, 4), false);
  assert.equal(lapseAfter(5, 3), false);
  assert.equal(lapseAfter(7, 0), false);
  assert.equal(lapseAfter(8, 0), true);
  // The events count within one run of evidence: a lapse clears them.
  const fw = new Flywheel(100);
  for (let n = 0; n < 2 * PERIOD; n++) fw.step(true, n + 1, false, 1, PERIOD, 4, n % 10 === 0);
  fw.step(false, 0, false, 0.5, PERIOD, 4);
  for (let n = 0; n < 5 * PERIOD; n++) fw.step(true, n + 1, false, 1, PERIOD, 4);
  assert.equal(fw.step(false, 0, false, 0.5, PERIOD, 4), false);
});

test('flywheel: a lapse within 20 dB of the groove starts it at once', () => {
  const carried = carriedAfterLapse(20 * BAR, () => 0.2, 0.2);
  assert.equal(carried[0], 0);
  assert.equal(carried.length, 16 * BAR);
});

test('flywheel: a wait that ends in vain leaves it armed: a groove back briefly that lapses again starts it', () => {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) fw.step(true, n + 1, false, n < 2000 ? 1 : 0.03, PERIOD, 4);
  const carried: number[] = [];
  for (let i = 0; i < 20 * BAR; i++) {
    // The wait expires at 0.03; evidence returns for a beat at 0.5 (hops 400–449) and lapses again.
    const back = i >= 400 && i < 450;
    if (fw.step(back, back ? i - 399 : 0, false, i < 400 ? 0.03 : 0.5, PERIOD, 4)) carried.push(i);
  }
  assert.equal(carried[0], 450);
});

test('flywheel: its 16 bars count from the lapse in hops, whatever the meter reads while it waits', () => {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) fw.step(true, n + 1, false, n < 2000 ? 1 : 0.03, PERIOD, 4);
  let last = -1;
  for (let i = 0; i < 20 * BAR; i++) {
    // The meter reads 3/4 from the wait's 20th hop; the chord comes at its 80th.
    if (fw.step(false, 0, false, i < 80 ? 0.03 : 0.2, PERIOD, i < 20 ? 4 : 3)) last = i;
  }
  assert.equal(last, 16 * 3 * PERIOD - 1);
});

test('flywheel: a fill of four hits in a break it carries does not start its 16 bars again (8 beats do)', () => {
  const lastCarried = (burstBeats: number, burstEvents: number): number => {
    const fw = new Flywheel(100);
    for (let n = 0; n < 2000; n++) fw.step(true, n + 1, false, 1, PERIOD, 4, n % PERIOD === 0);
    let last = -1;
    for (let i = 0; i < 40 * BAR; i++) {
      // A breakdown at 0.3 of the groove's level; 8 bars in, drums return for `burstBeats` beats.
      const from = 8 * BAR;
      const burst = i >= from && i < from + burstBeats * PERIOD;
      const event = burst && (i - from) % 10 === 0 && (i - from) / 10 < burstEvents;
      if (fw.step(burst, burst ? i - from + 1 : 0, false, 0.3, PERIOD, 4, event)) last = i;
    }
    return last;
  };
  assert.equal(lastCarried(6, 4), 16 * BAR - 1);
  assert.ok(lastCarried(8, 0) > 16 * BAR, 'a groove of 8 beats is established again');
});
