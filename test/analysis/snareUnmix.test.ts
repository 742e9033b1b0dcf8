import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OnsetPicker } from '../../src/analysis/onsets.js';
import { SnareUnmix } from '../../src/analysis/snareUnmix.js';

const DECAY = Math.exp(-1 / 800); // an 8 s peak decay at 100 hops a second
const make = (): SnareUnmix => new SnareUnmix(DECAY, 0.01, new OnsetPicker(3, 10, 0.6, 7, 4));

/** Feeds `hits` snare-band spikes 50 hops apart (flux `flux`, zero between); kicks at the hops `kickAt` returns. */
function feed(u: SnareUnmix, hits: number, flux: number, kickAt: (hitHop: number) => number | null, from = 0): number {
  let lastKick = -1e9;
  let hop = from;
  for (let i = 0; i < hits; i++)
    for (let j = 0; j < 50; j++, hop++) {
      const k = kickAt(from + i * 50 + 10);
      if (k !== null && hop === k) lastKick = hop;
      u.next(j === 10 ? flux : 0, 1, false, hop, lastKick, true);
    }
  return hop;
}

test('on a kick hop the click is taken out only once the kit has shown snares apart from kicks', () => {
  const u = make();
  // Until then a snare may be struck with every kick (claps on four-on-the-floor): the flux passes whole.
  assert.equal(u.next(0.02, 0, true, 0, 0, true), 0.02);
  const hop = feed(u, 12, 0.02, () => null, 1);
  assert.ok(u.withKick < 0.3, `share with kicks ${u.withKick.toFixed(2)}`);
  // A hop that the templates call all kick gets little; one they call half snare gets all of it.
  assert.ok(u.next(0.02, 0, true, hop, hop, true) < 0.02 * 0.3);
  assert.equal(u.next(0.02, 0.5, true, hop + 1, hop, true), 0.02);
  // Without the kick sounding nothing is taken out, whatever the templates say.
  assert.equal(u.next(0.02, 0, false, hop + 2, hop, true), 0.02);
});

test('snares struck with kicks close the unmixing faster than lone ones open it', () => {
  const u = make();
  let hop = feed(u, 12, 0.02, () => null);
  const open = u.withKick;
  // Three snares with a kick on their hop, then the share is back near one; three lone ones move it far less.
  hop = feed(u, 3, 0.02, (h) => h, hop);
  assert.ok(u.withKick > 0.8, `after three with kicks: ${u.withKick.toFixed(2)} (from ${open.toFixed(2)})`);
  const closed = u.withKick;
  feed(u, 3, 0.02, () => null, hop);
  assert.ok(closed - u.withKick < 0.5, `after three alone: ${u.withKick.toFixed(2)}`);
});

test('the snare floor follows quiet snares, not hats, and stays within its bounds', () => {
  const u = make();
  u.next(0.005, 1, false, 0, -1e9, true);
  u.learnLevel(0.005, 0.0045); // as much above 6 kHz as in the snare band: a hat
  assert.equal(u.floor, 0.01);
  for (let i = 0; i < 40; i++) {
    u.next(0.0075, 1, false, 2 * i + 1, -1e9, true);
    u.learnLevel(0.0075, 0.004);
    u.next(0, 1, false, 2 * i + 2, -1e9, true);
  }
  // Four fifths of the snares' flux: they clear the threshold with room to spare.
  assert.ok(Math.abs(u.floor - 0.006) < 0.0003, `floor ${u.floor}`);
  for (let i = 0; i < 40; i++) {
    u.next(0.002, 1, false, 100 + 2 * i, -1e9, true);
    u.learnLevel(0.002, 0.001);
    u.next(0, 1, false, 101 + 2 * i, -1e9, true);
  }
  assert.equal(u.floor, 0.004);
});

test('snares under the fixed floor, once the floor has followed them, show the kit plays snares apart from kicks', () => {
  const u = make();
  for (let i = 0; i < 40; i++) {
    u.next(0.005, 1, false, 2 * i, -1e9, true);
    u.learnLevel(0.005, 0.003);
    u.next(0, 1, false, 2 * i + 1, -1e9, true);
  }
  // Lone spikes at half the fixed floor: with it they would never be picked, and the share would stay at one.
  feed(u, 12, 0.005, () => null, 1000);
  assert.ok(u.withKick < 0.3, `share with kicks ${u.withKick.toFixed(2)}`);
});

test('snares struck with a ride (as much flux above 6 kHz as in 1–8 kHz) teach the floor through the probe while kicks play', () => {
  const probeFloor = (hatsOverSnare: number): number => {
    const u = new SnareUnmix(DECAY, 0.01, new OnsetPicker(3, 10, 0.6, 7, 4), new OnsetPicker(3, 10, 0.6, 7, 4));
    // Snares at half the fixed floor, 50 hops apart, a kick 20 hops before each (the kit plays; clear of kicks).
    for (let hop = 0; hop < 50 * 12; hop++) {
      const j = hop % 50;
      const lastKick = hop - ((j + 30) % 50);
      const flux = j === 10 ? 0.005 : 0;
      u.next(flux, 1, false, hop, lastKick, true);
      u.probe(hatsOverSnare * flux, hop, lastKick, false, true);
    }
    return u.floor;
  };
  assert.ok(probeFloor(1) < 0.008, `floor ${probeFloor(1).toFixed(4)} with a ride`);
  // Hats picked as loud as that and more above 6 kHz than below are no snares: the floor stays.
  assert.equal(probeFloor(1.5), 0.01);
});
