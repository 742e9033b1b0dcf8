import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KickClaps } from '../../src/analysis/snareGroove.js';

/**
 * Kicks every 50 hops from hop 0; `snareAt(kickIndex)` the net's snare activation on the kick's hop and the next
 * (a clap holds over both), `events(hop)` the merge's own snare events (the rules' or the net's). Returns the kick
 * indexes where KickClaps says a clap came.
 */
type Events = (hop: number) => boolean;
function claps(kicks: number, snareAt: (k: number) => number, events: Events = () => false, free = true): number[] {
  const c = new KickClaps(6, 800);
  const out: number[] = [];
  let prev = 0;
  let lastKick = -1e9;
  for (let hop = 0; hop < kicks * 50; hop++) {
    const k = Math.floor(hop / 50);
    const off = hop - 50 * k;
    if (off === 0) {
      c.kick(hop);
      lastKick = hop;
    }
    if (events(hop)) c.snare(hop);
    const net = off <= 1 ? snareAt(k) : 0;
    if (c.step(hop, net, prev, lastKick, free)) out.push(k);
    prev = net;
  }
  return out;
}

test('a kick brings a clap where the net holds a snare two hops on it and held none on the kick before', () => {
  // Claps on every other kick (two and four), the first heard by the rules (a snare event on kick 1's hop).
  const onTwoAndFour = (k: number): number => (k % 2 === 1 ? 0.3 : 0);
  const heardFirst = (hop: number): boolean => hop === 50;
  assert.deepEqual(claps(8, onTwoAndFour, heardFirst), [3, 5, 7], 'the claps after the first the rules heard');
  assert.deepEqual(claps(8, onTwoAndFour), [], 'no clap on a kick heard by the rules or the net yet');
  assert.deepEqual(claps(8, (k) => (k % 2 === 1 ? 0.08 : 0), heardFirst), [], 'under 0.1');
  const every = (k: number): number => (k >= 1 ? 0.3 : 0);
  assert.deepEqual(claps(8, every, heardFirst), [], "every kick reads so: this kit's kicks, no claps");
  assert.deepEqual(claps(8, onTwoAndFour, heardFirst, false), [], 'a net snare waits (it is the clap if any)');
});

test('a clap on a kick needs kicks at a steady gap, and a kit whose snares come with its kicks', () => {
  const c = new KickClaps(6, 800);
  // A snare event 20 hops after each kick (a backbeat: snares apart from kicks) drives the share under 0.7.
  let prev = 0;
  const fired: number[] = [];
  for (let hop = 0; hop < 600; hop++) {
    if (hop % 50 === 0) c.kick(hop);
    if (hop % 50 === 20) c.snare(hop);
    if (hop === 50) c.snare(hop);
    const k = Math.floor(hop / 50);
    const net = hop % 50 <= 1 && k % 2 === 1 ? 0.3 : 0;
    if (c.step(hop, net, prev, hop - (hop % 50), true)) fired.push(k);
    prev = net;
  }
  assert.deepEqual(fired, [], 'snares apart from the kicks');
  // Kicks at 0, 50, 100, then 180 (not 150): the clap on the fourth kick is not in a steady groove.
  const d = new KickClaps(6, 800);
  const kicksAt = [0, 50, 100, 180, 230, 280];
  const out: number[] = [];
  prev = 0;
  let last = -1e9;
  for (let hop = 0; hop < 300; hop++) {
    const i = kicksAt.indexOf(hop);
    if (i >= 0) {
      d.kick(hop);
      last = hop;
    }
    if (hop === 50) d.snare(hop);
    const ki = kicksAt.findIndex((h) => hop - h >= 0 && hop - h <= 1);
    const net = ki === 1 || ki === 3 || ki === 5 ? 0.3 : 0;
    if (d.step(hop, net, prev, last, true)) out.push(ki);
    prev = net;
  }
  assert.deepEqual(out, [5], 'the clap after the uneven gap, not on it');
});

test('a clap on a kick needs one the rules or the net heard with a kick lately; its own claps do not renew that', () => {
  // Claps on two and four, the first heard by the rules; the clap rule's own claps fed back as the merge does.
  const c = new KickClaps(6, 250);
  const fired: number[] = [];
  let prev = 0;
  for (let hop = 0; hop < 1000; hop++) {
    const k = Math.floor(hop / 50);
    if (hop % 50 === 0) c.kick(hop);
    if (hop === 50) c.snare(hop);
    const net = hop % 50 <= 1 && k % 2 === 1 ? 0.3 : 0;
    if (c.step(hop, net, prev, hop - (hop % 50), true)) {
      fired.push(k);
      c.snare(hop, true);
    }
    prev = net;
  }
  assert.deepEqual(fired, [3, 5], 'within 250 hops of the heard one, then none');
});

test('a net snare reading that is not a number counts as none', () => {
  const heardFirst = (hop: number): boolean => hop === 50;
  const withNaN = (k: number): number => (k === 3 ? Number.NaN : k % 2 === 1 && k !== 3 ? 0.3 : 0);
  assert.deepEqual(claps(8, withNaN, heardFirst), [5, 7]);
});
