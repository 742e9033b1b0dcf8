/**
 * NetVetoes on its own: the vetoes that hang on what it remembers (the net's activations of the hops before, the
 * snares it heard, the kicks it heard) and on the two facts the merge hands it (a plucked tail, the snare before the
 * newest). The kick-click and booming-snare vetoes are tested through the merge (drumMerge.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetVetoes } from '../../src/analysis/netVetoes.js';
import type { NetHop, RuleHop } from '../../src/analysis/drumHop.js';

const NONE = -1e9;
const RATE_HZ = 100;

interface Hop {
  rule?: Partial<RuleHop>;
  net?: Partial<NetHop>;
  plucked?: boolean;
  snareBefore?: number;
  /** A kick event at this hop (after the vetoes' step, as the merge calls it). */
  kicked?: boolean;
}

/** Runs hops 0…n−1 and returns [ruleKick, ruleSnare] as the vetoes left them on each hop `watch` lists. */
function run(n: number, at: (hop: number) => Hop, watch: number[], netActive = true): Map<number, [boolean, boolean]> {
  const v = new NetVetoes(RATE_HZ, netActive);
  const out = new Map<number, [boolean, boolean]>();
  for (let hop = 0; hop < n; hop++) {
    const h = at(hop);
    const r: RuleHop = {
      hop, ok: true, ruleKick: false, ruleSnare: false, ruleKickHop: NONE, ruleSnareHop: NONE, ruleThumpHop: NONE,
      ...h.rule,
    };
    const net: NetHop = {
      netKick: 0, netSnare: 0, snareWithKick: 0, lowJump: 1, lowNorm: 0, hats: 0, click: 1,
      ...h.net,
    };
    v.step(r, net, h.plucked ?? false, h.snareBefore ?? NONE);
    if (watch.includes(hop)) out.set(hop, [v.ruleKick, v.ruleSnare]);
    if (h.kicked) v.kicked(hop);
    v.endHop(net);
  }
  return out;
}

/** The net heard this kit's snares at hop 10 and a kick at hop 20 (an event there); a rule snare at hop 50. */
const heardKit = (hop: number, snare: Partial<NetHop>): Hop =>
  hop === 10
    ? { net: { netSnare: 0.95 } }
    : hop === 20
      ? { net: { netKick: 0.9 }, kicked: true }
      : hop === 50
        ? { rule: { ruleSnare: true, ruleSnareHop: 50 }, net: snare }
        : {};

test('a rule snare the net hears nothing of is vetoed while it hears the kit; one heard a hop before stands', () => {
  assert.deepEqual(run(60, (h) => heardKit(h, {}), [50]).get(50), [false, false]);
  // No snare of this kit heard (hop 10 read 0.85, under 0.9), or the last one over 8 s back: it stands.
  const unsure = (hop: number): Hop => (hop === 10 ? { net: { netSnare: 0.85 } } : heardKit(hop, {}));
  assert.deepEqual(run(60, unsure, [50]).get(50), [false, true]);
  const old = (hop: number): Hop =>
    hop === 860
      ? { rule: { ruleSnare: true, ruleSnareHop: 860 }, net: {} }
      : hop === 850
        ? { kicked: true, net: { netKick: 0.9 } }
        : heardKit(hop, {});
  assert.deepEqual(run(870, old, [860]).get(860), [false, true]);
  assert.deepEqual(run(60, (h) => heardKit(h, { netSnare: 0.6 }), [50]).get(50), [false, true]);
  // The activation of the hop before counts (the net may peak a hop ahead of the rules).
  const before = run(60, (h) => (h === 49 ? { net: { netSnare: 0.6 } } : heardKit(h, {})), [50]);
  assert.deepEqual(before.get(50), [false, true]);
  // Without a net nothing is vetoed.
  assert.deepEqual(run(60, (h) => heardKit(h, {}), [50], false).get(50), [false, true]);
});

test('where no kick the net heard came for 1.5 s, a rule snare it does not hear as a snare is vetoed', () => {
  // Heard kick at hop 20: at hop 50 (0.3 s later) a snare read at 0.3 stands; at hop 200 (1.8 s later) it does not.
  const at = (late: number) => (hop: number): Hop =>
    hop === late ? { rule: { ruleSnare: true, ruleSnareHop: late }, net: { netSnare: 0.3 } } : heardKit(hop, {});
  assert.deepEqual(run(60, at(50), [50]).get(50), [false, true]);
  assert.deepEqual(run(210, at(200), [200]).get(200), [false, false]);
  // A kick event the net did not hear (0.2 on its hop and the one before) does not count as heard.
  const unheard = (hop: number): Hop =>
    hop === 190 ? { net: { netKick: 0.2 }, kicked: true } : at(200)(hop);
  assert.deepEqual(run(210, unheard, [200]).get(200), [false, false]);
  const heard = (hop: number): Hop => (hop === 190 ? { net: { netKick: 0.3 }, kicked: true } : at(200)(hop));
  assert.deepEqual(run(210, heard, [200]).get(200), [false, true]);
});

test('1.5 s after the last heard kick, a rule kick the net hears as neither drum stands only while snares play', () => {
  const at = (extra: Hop) => (hop: number): Hop =>
    hop === 200 ? { rule: { ruleKick: true, ruleKickHop: 200 }, ...extra } : heardKit(hop, {});
  assert.deepEqual(run(210, at({}), [200]).get(200), [false, false]);
  // Two snares within 3 s (the one before the newest 2.9 s back): a groove.
  assert.deepEqual(run(210, at({ snareBefore: -90 }), [200]).get(200), [true, false]);
  assert.deepEqual(run(210, at({ snareBefore: -110 }), [200]).get(200), [false, false]);
  // The net's snare reading makes it heard, unless a plucked tail marks the snares as a pluck's.
  assert.deepEqual(run(210, at({ net: { netSnare: 0.2 } }), [200]).get(200), [true, false]);
  assert.deepEqual(run(210, at({ net: { netSnare: 0.2 }, plucked: true }), [200]).get(200), [false, false]);
});

test('the rule snare that holds the net kicks back, and the hop the net was last sure of a kick', () => {
  const v = new NetVetoes(RATE_HZ, true);
  const rule: RuleHop = {
    hop: 5, ok: true, ruleKick: false, ruleSnare: true, ruleKickHop: NONE, ruleSnareHop: 5, ruleThumpHop: NONE,
  };
  const net: NetHop = { netKick: 0.95, netSnare: 0.7, snareWithKick: 0, lowJump: 1, lowNorm: 0, hats: 0, click: 1 };
  v.step(rule, net, false, NONE);
  assert.equal(v.snareOverKickHop, 5);
  assert.equal(v.sureKickHop, 5);
  v.endHop(net);
  assert.equal(v.prevNetKick, 0.95);
  assert.equal(v.prevNetSnare, 0.7);
  // A rule snare the net hears nothing of, once it has heard this kit's snares, holds no kick back.
  const quiet: NetHop = { ...net, netKick: 0, netSnare: 0 };
  // endHop alone stands for quiet hops here: it clears the activations of the hops before, which is all they change.
  v.endHop(quiet);
  v.step({ ...rule, hop: 7, ruleSnareHop: 7 }, { ...quiet, netSnare: 0.95 }, false, NONE);
  v.endHop(quiet);
  v.endHop(quiet);
  v.step({ ...rule, hop: 50, ruleSnareHop: 50 }, quiet, false, NONE);
  assert.equal(v.ruleSnare, false);
  assert.equal(v.snareOverKickHop, 7);
});
