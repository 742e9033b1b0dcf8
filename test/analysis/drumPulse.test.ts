/**
 * The drum pulse (drumPulse.ts) on envelopes given hop by hop (100 hops a second, 47 hops a beat): off-beat eighth
 * hats read against a beat grid, and the beat's offset against the pulse while the drums stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumPulse } from '../../src/analysis/drumPulse.js';
import { periodSearch } from '../../src/analysis/periodicity.js';

const PERIOD = 47;
const search = periodSearch(30, 100, 100, 120);
const pulse = (): DrumPulse => new DrumPulse(403, Math.exp(-1 / 400), search);

/** Pushes `beats` beats of hats at the given beat phases (0..1; level 0.2 as a bit-crushed kit's quiet hats read). */
function hats(p: DrumPulse, beats: number, phases: number[], level = 0.2): void {
  for (let n = 0; n < beats * PERIOD; n++) {
    const inBeat = n % PERIOD;
    const h = phases.some((f) => inBeat === Math.round(f * PERIOD)) ? level : 0;
    p.push({ drums: h, kick: 0, snare: 0, hats: h });
  }
}

test('off-beat eighth hats: half a beat from the beats and none on them, at this beat; not at the beat twice as long', () => {
  const p = pulse();
  hats(p, 8, [0.5]);
  // The last beat began PERIOD − 1 hops before the newest hop (which is the beat's last).
  const phi = PERIOD - 1;
  assert.equal(p.offbeatHats(phi, PERIOD), true);
  // At twice the period they fall on its beats and its halves alike: sixteenths' second and fourth they are not.
  assert.equal(p.offbeatHats(phi, 2 * PERIOD), false);
});

test('eighth hats on and off the beat, or hats on the beat alone, are no off-beat hats', () => {
  const eighths = pulse();
  hats(eighths, 8, [0, 0.5]);
  assert.equal(eighths.offbeatHats(PERIOD - 1, PERIOD), false);
  const onBeat = pulse();
  hats(onBeat, 8, [0]);
  assert.equal(onBeat.offbeatHats(PERIOD - 1, PERIOD), false);
});

test('hats alone on every beat read off the beat; when they stop, the offset stands while the newest beat hears no drum', () => {
  const p = pulse();
  hats(p, 8, [0], 0.6);
  // The pulse's last hit was PERIOD − 1 hops ago: a lone pulse of hats, the beat half a beat from it.
  assert.equal(p.beatOffset(PERIOD - 1, PERIOD), 0.5);
  // One beat of silence: the pulse train, which measures the phase within the last period, still puts the pulse
  // where the next hit would have been; the beats before it hold seven hits, the newest none (the evenness test alone
  // would now read the pulse as the beat).
  for (let n = 0; n < PERIOD; n++) p.push({ drums: 0, kick: 0, snare: 0, hats: 0 });
  assert.equal(p.beatOffset(PERIOD - 1, PERIOD), 0.5);
});

/**
 * An intro's off-beat hats whose kit leaks into the kick envelope (0.1 at each hat, as a modal kit's do) over chord
 * attacks on the beats that leak more into it (0.18) and a little into the hats band: no kick event anywhere.
 */
function hatsOverChords(p: DrumPulse, beats: number, kickOnHats = false, chordKick = 0.18): void {
  for (let n = 0; n < beats * PERIOD; n++) {
    const inBeat = n % PERIOD;
    const hat = inBeat === 0;
    const chord = inBeat === Math.round(PERIOD / 2);
    p.push({
      drums: hat ? 0.6 : chord ? 0.2 : 0,
      kick: hat ? 0.1 : chord ? chordKick : 0,
      snare: 0,
      hats: hat ? 0.6 : chord ? 0.2 : 0,
      kickEvent: kickOnHats && hat,
    });
  }
}

test('a pulse the hats lead, with more kick envelope half a beat away and no kick event, is off the beat', () => {
  const led = pulse();
  hatsOverChords(led, 8);
  // The tempo tracker reads the phase of the hats alone: their leak into the kick envelope is no kick.
  assert.equal(led.beatOffset(PERIOD - 1, PERIOD, true), 0.5);
  // Read from the whole onset envelope (not the hats alone), the kick envelope on the pulse still makes it the beat.
  const whole = pulse();
  hatsOverChords(whole, 8);
  assert.equal(whole.beatOffset(PERIOD - 1, PERIOD, false), 0);
  // Kick events on the pulse: a kick plays there, the pulse is the beat.
  const kicked = pulse();
  hatsOverChords(kicked, 8, true);
  assert.equal(kicked.beatOffset(PERIOD - 1, PERIOD, true), 0);
  // Less kick envelope half a beat away than on the pulse: the pulse is the beat.
  const onPulse = pulse();
  hatsOverChords(onPulse, 8, false, 0.08);
  assert.equal(onPulse.beatOffset(PERIOD - 1, PERIOD, true), 0);
});

/**
 * A bar of 4/4 at `beatHops` a beat: kick (1.0) on 1 and 3 (on every beat with `kickEvery`), snare (`snare`) on 2
 * and 4, and hats (`hats`) on the eighths between the beats.
 */
function backbeat(p: DrumPulse, beatHops: number, bars: number, snare: number, hats = 0, kickEvery = false): void {
  const eighth = beatHops / 2;
  for (let n = 0; n < bars * 4 * beatHops; n++) {
    const beat = n / beatHops;
    const on = Number.isInteger(beat);
    const kick = on && (kickEvery || beat % 2 === 0) ? 1 : 0;
    const sn = on && beat % 2 === 1 ? snare : 0;
    const hat = !on && Number.isInteger(n / eighth) ? hats : 0;
    p.push({ drums: Math.max(kick, sn, hat), kick, snare: sn, hats: hat });
  }
}

test('backbeat octave: kick and snare alike on every beat halve the two-beat period; a kick alone does not', () => {
  // 140 BPM (43 hops a beat), the two-beat period 86 hops.
  const backbeat140 = pulse();
  backbeat(backbeat140, 43, 6, 0.8);
  assert.equal(backbeat140.halfPeriod(86), 43);
  const alone = pulse();
  backbeat(alone, 43, 6, 0.1);
  assert.equal(alone.halfPeriod(86), 86);
});

test('backbeat octave: slow backbeats with quiet eighth hats keep their period, a kick on 1 and 3 or on every beat', () => {
  // 70 BPM (86 hops a beat): snare on 2 and 4, hats at 0.25 between the beats: the drum envelope half a period on (the
  // hats) reads about half of that at the period, as a slow groove's quiet hats do (0.37–0.44 rendered).
  const slow = pulse();
  backbeat(slow, 86, 3, 0.8, 0.25);
  assert.equal(slow.halfPeriod(86), 86);
  const fourOnTheFloor = pulse();
  backbeat(fourOnTheFloor, 86, 3, 0.8, 0.25, true);
  assert.equal(fourOnTheFloor.halfPeriod(86), 86);
  // With loud hats they read at the eighths (the octave a backbeat rule cannot settle otherwise).
  const loud = pulse();
  backbeat(loud, 86, 3, 0.8, 0.8);
  assert.equal(loud.halfPeriod(86), 43);
});
