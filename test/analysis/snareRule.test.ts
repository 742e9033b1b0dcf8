/**
 * SnareRule on its own: the envelope's pick, the hop a snare picked with a kick waits, the snare told after the kick's
 * click, and the hat that reaches into the snare band. The detector's whole chain is tested in snareOnKick.test.ts,
 * snareUnmix.test.ts and the kit tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnareRule, type SnareRuleHop } from '../../src/analysis/snareRule.js';
import { KitShares } from '../../src/analysis/kitShares.js';
import { KickShape } from '../../src/analysis/kickShape.js';
import { SnareOnKick } from '../../src/analysis/snareOnKick.js';
import { DrumTonality } from '../../src/analysis/drumTonality.js';
import { OnsetPicker } from '../../src/analysis/onsets.js';
import { SNARE_HATS_OVER_CLICK, SNARE_HOLD_MARGIN } from '../../src/analysis/drumThresholds.js';

const NONE = -1e9;
const BIN_HZ = 44100 / 2048;
const BINS = 1025;

/** A rule as the detector builds one (its picker as drums.ts makes the snare's), with the kit's shares to set. */
function rule(snareWithKick: number): { rule: SnareRule; shares: KitShares } {
  const shares = new KitShares();
  shares.snareWithKick = snareWithKick;
  const r = new SnareRule(
    new OnsetPicker(3, 10, 0.3, 5, 2.5),
    shares,
    new KickShape(BIN_HZ, BINS),
    new SnareOnKick(),
    new DrumTonality(BIN_HZ, BINS, 150, 16000, 100),
  );
  return { rule: r, shares };
}

/** Runs hops 0…n−1 (quiet unless `at` says otherwise) and returns the hops on which a snare fired. */
function run(r: SnareRule, n: number, at: (hop: number) => Partial<SnareRuleHop>): number[] {
  const fired: number[] = [];
  for (let hop = 0; hop < n; hop++) {
    const h: SnareRuleHop = {
      hop, ok: true, envelope: 0, snareFlux: 0, kickRef: 0, kick: 0, hats: 0, click: 0, over: 0.4,
      ruleKickHop: NONE, ruleSnareHop: NONE, netSnare: 0, ...at(hop),
    };
    r.decide(h);
    if (r.snare) fired.push(hop);
  }
  return fired;
}

/** A snare's hop: the envelope up, flux in the snare band with its click under the hats' reach. */
const snareAt = (extra: Partial<SnareRuleHop> = {}): Partial<SnareRuleHop> => ({ envelope: 0.9, snareFlux: 1, click: 1, hats: 0.5, ...extra });

test('a snare on its own fires on the hop its envelope is picked, and not on a silent hop', () => {
  const { rule: r } = rule(1);
  assert.deepEqual(run(r, 30, (hop) => (hop === 20 ? snareAt() : {})), [20]);
  const { rule: quiet } = rule(1);
  assert.deepEqual(run(quiet, 30, (hop) => (hop === 20 ? snareAt({ ok: false }) : {})), []);
});

test('where snares come apart from kicks, one picked on the kick hop waits a hop and fires if it stands over the kick', () => {
  // Under SNARE_HOLD_MARGIN times the kick's share: held. On the next hop it fires if its flux was over `over` times
  // the larger kick reference.
  const over = 0.4;
  const kickRef = 1;
  const held = (flux: number, kickNext: number): number[] => {
    const { rule: r } = rule(0.2);
    return run(r, 30, (hop) =>
      hop === 20 ? snareAt({ snareFlux: flux, kickRef, over, ruleKickHop: 20 })
      : hop === 21 ? { kick: kickNext, ruleKickHop: 20, click: 0.8, hats: 0.3 } // the snare's noise goes on
      : {},
    );
  };
  assert.ok(0.6 < SNARE_HOLD_MARGIN * over * kickRef, 'the flux below is in the hold');
  assert.deepEqual(held(0.6, 0.5), [21], 'over the kick share: fires a hop late');
  assert.deepEqual(held(0.6, 2), [], 'the kick grew on the next hop (a slow thump): its click, no snare');
  // Where the kit's snares come with its kicks (claps on four-on-the-floor), nothing waits.
  const { rule: claps } = rule(1);
  assert.deepEqual(run(claps, 30, (hop) => (hop === 20 ? snareAt({ snareFlux: 0.6, kickRef, over, ruleKickHop: 20 }) : {})), [20]);
});

test('a hat whose flux above 6 kHz is SNARE_HATS_OVER_CLICK times its 1–6 kHz flux is no snare', () => {
  const fire = (hats: number): number[] => run(rule(1).rule, 30, (hop) => (hop === 20 ? snareAt({ hats, click: 1 }) : {}));
  assert.deepEqual(fire(SNARE_HATS_OVER_CLICK * 0.9), [20]);
  assert.deepEqual(fire(SNARE_HATS_OVER_CLICK), []);
});
