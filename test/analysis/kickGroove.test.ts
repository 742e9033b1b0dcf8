import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpectedKicks } from '../../src/analysis/kickGroove.js';

interface Hop {
  /** The net's kick activation, the low band's normalised flux and its jump (defaults 0, 0, 1). */
  act?: number;
  low?: number;
  jump?: number;
  /** A kick event of the merge's other paths on this hop. */
  kick?: boolean;
}

/**
 * Steps ExpectedKicks over `hops` hops at 100 Hz as the merge does: other kick events first (the hop and the six after
 * a kick event are not free), then the hop. `snares`: the merge's snare events. Returns the hops it fires on.
 */
function drive(
  hops: number,
  at: (hop: number) => Hop,
  snares: number[] = [],
  free: (hop: number) => boolean = () => true,
): number[] {
  const k = new ExpectedKicks(100);
  const fired: number[] = [];
  let lastKick = -1e9;
  let lastSnare = -1e9;
  for (let hop = 0; hop < hops; hop++) {
    const h = at(hop);
    if (h.kick) {
      k.kick(hop);
      lastKick = hop;
    }
    if (snares.includes(hop)) lastSnare = hop;
    if (k.step(hop, h.act ?? 0, h.low ?? 0, h.jump ?? 1, lastSnare, hop - lastKick > 6 && free(hop))) {
      fired.push(hop);
      k.kick(hop);
      lastKick = hop;
    }
  }
  return fired;
}

/**
 * Bars of 100 hops (1 s): a kick event on hop 0 of each bar up to `kicksTo`, the net crossing on it; on hop 60 the net
 * crosses over too little low band (no event) until `testBar`, from which hops 60 and 61 read `second`.
 */
interface GrooveOptions {
  testBar?: number;
  bars?: number;
  snares?: number[];
  kicksTo?: number;
  free?: (h: number) => boolean;
}

function groove(second: Hop, opts: GrooveOptions = {}): number[] {
  const { testBar = 3, bars = 5, snares = [], kicksTo = 99 } = opts;
  const at = (hop: number): Hop => {
    const bar = Math.floor(hop / 100);
    const pos = hop % 100;
    if (pos === 0 && bar <= kicksTo) return { act: 0.9, low: 0.9, jump: 5, kick: true };
    if (bar >= testBar && (pos === 60 || pos === 61)) return second;
    if (pos === 60) return { act: 0.7, low: 0.05, jump: 1.1 };
    return {};
  };
  return drive(bars * 100, at, snares, opts.free);
}

const soft: Hop = { act: 0.6, low: 0.2, jump: 2 };

test('a kick the groove expects fires a hop after the net crosses 0.5, once the low band has risen', () => {
  assert.deepEqual(groove(soft), [361, 461]);
  assert.deepEqual(groove({ ...soft, act: 0.5 }), [361, 461], 'from 0.5');
  assert.deepEqual(groove({ ...soft, act: 0.45 }), [], 'under 0.5');
  assert.deepEqual(groove({ ...soft, low: 0.1 }), [], 'too little low-band flux');
  assert.deepEqual(groove({ ...soft, jump: 1.4 }), [], 'the low band barely above what it was');
  assert.deepEqual(groove({ ...soft, act: Number.NaN }), [], 'no activation');
  const onCrossing = (hop: number): Hop => {
    const pos = hop % 100;
    if (pos === 0) return { act: 0.9, low: 0.9, jump: 5, kick: true };
    if (pos === 60) return hop > 300 ? soft : { act: 0.7 };
    return pos === 61 && hop > 300 ? { act: 0.6 } : {};
  };
  assert.deepEqual(drive(500, onCrossing), [361, 461], 'the low band rising on the crossing hop counts');
});

test('an expected kick needs the grid: a crossing an interval back that two kick events span', () => {
  // On bar 0 one kick event sets no interval; on bar 1 the crossing a bar back counts.
  assert.deepEqual(groove(soft, { testBar: 0, bars: 2 }), [161]);
  // Kick events every bar, the net crossing on hop 60 only from bar 3: nothing a bar back then; the next bar fires.
  const late = (hop: number): Hop => {
    const pos = hop % 100;
    if (pos === 0) return { act: 0.9, low: 0.9, jump: 5, kick: true };
    return hop >= 300 && (pos === 60 || pos === 61) ? soft : {};
  };
  assert.deepEqual(drive(500, late), [461]);
  // Crossings off the kicks' intervals (on hop 10 of the first bars) expect nothing on hop 60.
  const half = (hop: number): Hop => {
    const pos = hop % 100;
    if (pos === 0) return { act: 0.9, low: 0.9, jump: 5, kick: true };
    if (pos === 10 && hop < 300) return { act: 0.7 };
    return hop >= 300 && (pos === 60 || pos === 61) ? soft : {};
  };
  assert.deepEqual(drive(400, half), []);
});

test('a snare event on the crossing or the hop before drops the expected kick', () => {
  assert.deepEqual(groove(soft, { snares: [360] }), [461]);
  assert.deepEqual(groove(soft, { snares: [359] }), [461]);
  assert.deepEqual(groove(soft, { snares: [361] }), [461], 'on its firing hop (the merge steps it after the snares)');
  assert.deepEqual(groove(soft, { snares: [358] }), [361, 461], 'two hops before: not the same hit');
});

test('an expected kick waits at most two hops, stops after the groove, and yields to other kick events', () => {
  // The low band rises only on the third hop after the crossing: too late.
  const slow = (hop: number): Hop => {
    const pos = hop % 100;
    if (pos === 0) return { act: 0.9, low: 0.9, jump: 5, kick: true };
    if (pos === 60) return { act: 0.7 };
    if (pos === 61 || pos === 62) return { act: 0.7, low: 0.05 };
    return pos === 63 && hop > 300 ? { act: 0.7, low: 0.5, jump: 3 } : {};
  };
  assert.deepEqual(drive(500, slow), []);
  // No kick event for over 3 s before the crossing: no groove.
  assert.deepEqual(groove(soft, { kicksTo: 2, bars: 8, testBar: 6 }), []);
  // Not free (a silent hop, or a kick event within the merge window).
  assert.deepEqual(groove(soft, { free: (h) => h !== 361 && h !== 461 }), []);
  // A kick event while it waits takes its place.
  const taken = (hop: number): Hop => ({
    ...(hop === 361 ? { kick: true } : {}),
    ...(hop % 100 === 0 ? { act: 0.9, kick: true } : {}),
    ...(hop > 300 && hop % 100 === 60 ? soft : {}),
  });
  assert.deepEqual(drive(500, taken), [461]);
});

test('the grid counts intervals from 0.25 s to 2.5 s', () => {
  // Kick events 0.1 s apart (a flam), then the net crossing 0.1 s after an earlier crossing.
  const flam = (hop: number): Hop =>
    hop === 0 || hop === 10 ? { act: 0.9, kick: true }
      : hop === 40 ? { act: 0.7 }
      : hop === 50 || hop === 51 ? soft
      : {};
  assert.deepEqual(drive(60, flam), []);
  // Kick events 2.6 s apart, and a crossing 2.6 s after one.
  const long = (hop: number): Hop =>
    hop === 0 || hop === 260 ? { act: 0.9, kick: true }
      : hop === 270 ? { act: 0.7 }
      : hop === 530 || hop === 531 ? soft
      : {};
  assert.deepEqual(drive(540, long), []);
  const inside = (hop: number): Hop =>
    hop === 0 || hop === 240 ? { act: 0.9, kick: true }
      : hop === 250 ? { act: 0.7 }
      : hop === 490 || hop === 491 ? soft
      : {};
  assert.deepEqual(drive(500, inside), [491], '2.4 s');
});
