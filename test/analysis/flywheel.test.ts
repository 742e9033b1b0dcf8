import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flywheel } from '../../src/analysis/flywheel.js';

const PERIOD = 50;
const BAR = 4 * PERIOD;

interface HopOptions {
  beatsPerBar?: number;
  drumEvent?: boolean;
  /** Hats on every eighth note while the evidence holds (a cymbal hit every half beat); default true. */
  hats?: boolean;
  /** A cymbal hit this hop, in place of the hats' eighths. */
  cymbalHit?: boolean;
}

/** One hop at PERIOD hops a beat; `level` 0 is silence. */
function step(fw: Flywheel, evidence: boolean, evidenceHops: number, level: number, o: HopOptions = {}): boolean {
  return fw.step({
    evidence,
    evidenceHops,
    silent: level === 0,
    rms: level,
    periodHops: PERIOD,
    beatsPerBar: o.beatsPerBar ?? 4,
    drumEvent: o.drumEvent ?? false,
    cymbalHit: o.cymbalHit ?? (evidence && (o.hats ?? true) && evidenceHops % (PERIOD / 2) === 1),
  });
}

/** Whether a lapse after `beats` beats of evidence at level 1, with `drums(n)` on hop n, starts the flywheel. */
function startsAfter(beats: number, drums: (n: number) => HopOptions): boolean {
  const fw = new Flywheel(100);
  for (let n = 0; n < beats * PERIOD; n++) step(fw, true, n + 1, 1, drums(n));
  return step(fw, false, 0, 0.5);
}

/**
 * Steps a flywheel through 20 s of evidence at level 1 (100 hops a second, 120 BPM) and 1 s more of it at `tailLevel`
 * (the drums have stopped, the rhythm memory holds), then `after` hops without it, where `levelAt(i)` gives hop i's
 * level (0: silent). Returns the hops after the lapse that it carried.
 */
function carriedAfterLapse(after: number, levelAt: (i: number) => number, tailLevel = 0.03): number[] {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) step(fw, true, n + 1, n < 2000 ? 1 : tailLevel);
  const carried: number[] = [];
  for (let i = 0; i < after; i++) {
    const level = levelAt(i);
    if (step(fw, false, 0, level)) carried.push(i);
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
  + 'otherwise it takes 8 with 2 drum sounds', () => {
  const lapseAfter = (beats: number, events: number): boolean =>
    startsAfter(beats, (n) => ({ drumEvent: n % PERIOD === 0 && n / PERIOD < events, hats: false }));
  assert.equal(lapseAfter(5, 4), true);
  assert.equal(lapseAfter(4, 4), false);
  assert.equal(lapseAfter(5, 3), false);
  assert.equal(lapseAfter(7, 3), false);
  assert.equal(lapseAfter(8, 2), true);
  // The events count within one run of evidence: a lapse clears them.
  const fw = new Flywheel(100);
  for (let n = 0; n < 2 * PERIOD; n++) step(fw, true, n + 1, 1, { drumEvent: n % 10 === 0, hats: false });
  step(fw, false, 0, 0.5);
  for (let n = 0; n < 5 * PERIOD; n++) step(fw, true, n + 1, 1, { hats: false });
  assert.equal(step(fw, false, 0, 0.5), false);
});

test('flywheel: a lapse within 20 dB of the groove starts it at once', () => {
  const carried = carriedAfterLapse(20 * BAR, () => 0.2, 0.2);
  assert.equal(carried[0], 0);
  assert.equal(carried.length, 16 * BAR);
});

test('flywheel: a wait that ends in vain leaves it armed: a groove back briefly that lapses again starts it', () => {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) step(fw, true, n + 1, n < 2000 ? 1 : 0.03);
  const carried: number[] = [];
  for (let i = 0; i < 20 * BAR; i++) {
    // The wait expires at 0.03; evidence returns for a beat at 0.5 (hops 400–449) and lapses again.
    const back = i >= 400 && i < 450;
    if (step(fw, back, back ? i - 399 : 0, i < 400 ? 0.03 : 0.5)) carried.push(i);
  }
  assert.equal(carried[0], 450);
});

test('flywheel: its 16 bars count from the lapse in hops, whatever the meter reads while it waits', () => {
  const fw = new Flywheel(100);
  for (let n = 0; n < 2100; n++) step(fw, true, n + 1, n < 2000 ? 1 : 0.03);
  let last = -1;
  for (let i = 0; i < 20 * BAR; i++) {
    // The meter reads 3/4 from the wait's 20th hop; the chord comes at its 80th.
    if (step(fw, false, 0, i < 80 ? 0.03 : 0.2, { beatsPerBar: i < 20 ? 4 : 3 })) last = i;
  }
  assert.equal(last, 16 * 3 * PERIOD - 1);
});

test('flywheel: a fill of four hits in a break it carries does not start its 16 bars again (8 beats do)', () => {
  const lastCarried = (burstBeats: number, burstEvents: number, hats = false): number => {
    const fw = new Flywheel(100);
    for (let n = 0; n < 2000; n++) step(fw, true, n + 1, 1, { drumEvent: n % PERIOD === 0 });
    let last = -1;
    for (let i = 0; i < 40 * BAR; i++) {
      // A breakdown at 0.3 of the groove's level; 8 bars in, drums return for `burstBeats` beats.
      const from = 8 * BAR;
      const burst = i >= from && i < from + burstBeats * PERIOD;
      const event = burst && (i - from) % 10 === 0 && (i - from) / 10 < burstEvents;
      if (step(fw, burst, burst ? i - from + 1 : 0, 0.3, { drumEvent: event, hats })) last = i;
    }
    return last;
  };
  assert.equal(lastCarried(6, 4), 16 * BAR - 1);
  assert.ok(lastCarried(8, 0, true) > 16 * BAR, 'a groove of 8 beats is established again');
});

test('flywheel: 8 beats of evidence with fewer than 2 drum sounds in them (a bass note on the beat after a groove) '
  + 'do not arm it', () => {
  // A lone hit on a known beat is evidence for the rhythm memory's 3 s: 8.5 beats at 170 BPM, without a drum in it.
  const lapseAfter = (beats: number, cymbals: number): boolean =>
    startsAfter(beats, (n) => ({ cymbalHit: n % PERIOD === 0 && n / PERIOD < cymbals }));
  assert.equal(lapseAfter(12, 0), false);
  assert.equal(lapseAfter(12, 1), false);
  assert.equal(lapseAfter(8, 2), true);
  assert.equal(lapseAfter(7, 2), false);
  // After a groove whose flywheel has run out, such a run starts no second one.
  const fw = new Flywheel(100);
  for (let n = 0; n < 2000; n++) step(fw, true, n + 1, 1);
  for (let i = 0; i < 16 * BAR; i++) step(fw, false, 0, 0.3);
  let carried = 0;
  for (let i = 0; i < 16 * BAR; i++) {
    const bassRun = i >= 100 && i < 100 + 9 * PERIOD;
    if (step(fw, bassRun, bassRun ? i - 99 : 0, 0.3, { hats: false, drumEvent: false })) carried++;
  }
  assert.equal(carried, 0);
});
